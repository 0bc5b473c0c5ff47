/*
 * libFuzzer target: archive.c's, the input being the tar inside the
 * gzip stream, gzipped before it is read: mutations reach the tar and
 * the members without having to keep a gzip stream whole.
 */
#define ARCHIVE_TAR 1
#include "archive.c"
