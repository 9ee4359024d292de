/*
 * Running a program: always an argv (posix_spawnp, no shell), standard
 * input from /dev/null, standard output read into a bounded buffer and
 * standard error kept (bounded) for the error message.
 */
#ifndef HFX_BASE_PROC_H
#define HFX_BASE_PROC_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * Runs argv[0] (searched in PATH) with argv; appends its standard output
 * to out (ERR_NOMEM past out->max) and puts the start of its standard
 * error in errtext. *ret_status is the exit status (255 when killed).
 * Returns 0 whenever the program ran, whatever its status.
 */
int proc_run(const char *const argv[], struct buf *out, char *errtext, size_t errlen,
	     int *ret_status, struct err *e);

#endif
