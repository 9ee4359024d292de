/*
 * Growable byte buffer with a ceiling.
 *
 * Every buffer has a maximum size fixed when it is initialised, so that no
 * input, however large or hostile, can make hfx grow without bound. The
 * data is always NUL-terminated (the terminator is not counted in len).
 */
#ifndef HFX_BASE_BUF_H
#define HFX_BASE_BUF_H

#include <stddef.h>

#include "base/err.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);

/* Appends; returns 0, or ERR_NOMEM when the ceiling would be exceeded. */
int buf_append(struct buf *b, const void *data, size_t len, struct err *e);
int buf_appendf(struct buf *b, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads a whole file into b (replacing its contents). */
int buf_read_file(struct buf *b, const char *path, struct err *e);

#endif
