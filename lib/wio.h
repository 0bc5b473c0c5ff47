/*
 * The one write loop of the programs, after pigz's writen(): all of a
 * buffer to a descriptor, again after a signal or a short write.  Every
 * write(2) of logbook goes through it, so a short write is never taken
 * for the whole and an error is never dropped.
 */
#ifndef LB_WIO_H
#define LB_WIO_H

#include <stddef.h>

int wr_all(int, const void *, size_t);

#endif
