/*
 * One writer at a time: an exclusive flock(2) on a lock file, waited for
 * up to a number of seconds.  The lock goes with the process: a killed
 * writer never leaves it held.
 */
#ifndef LB_LOCK_H
#define LB_LOCK_H

#include <sys/types.h>

int lock_wait(const char *, mode_t, double);

#endif
