/*
 * Error reporting for library code.
 *
 * Library functions never print or exit: they fill a caller-provided
 * struct err with one human-readable message ("cannot parse 'x.json':
 * affected[2].ranges[0]: unknown type 'FOO'") and return a negative code.
 * Only the command at the top prints the message, once.
 */
#ifndef HFX_BASE_ERR_H
#define HFX_BASE_ERR_H

#include <stdarg.h>

enum err_code {
	ERR_INPUT = -2,  /* bad input data or usage: exit status 2 */
	ERR_IO = -3,     /* file system or process failure */
	ERR_DB = -4,     /* SQLite failure */
	ERR_NOMEM = -5,  /* allocation failed or a size limit was hit */
	ERR_NET = -6,    /* download failed */
	ERR_STATE = -7,  /* the database is not in a usable state */
	ERR_DENIED = -8, /* the acting person lacks the role: exit status 3 */
};

struct err {
	char msg[1024];
};

/* Sets the message (e may be NULL) and returns code. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "<context>: " to the current message and returns code. */
int err_prefix(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
