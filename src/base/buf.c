/* Growable byte buffer with a ceiling; see buf.h. */
#include "base/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_grow(struct buf *b, size_t extra, struct err *e)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return err_set(e, ERR_NOMEM, "input larger than the limit of %zu bytes", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return err_set(e, ERR_NOMEM, "out of memory");
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t len, struct err *e)
{
	int r = buf_grow(b, len, e);

	if (r)
		return r;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int buf_appendf(struct buf *b, struct err *e, const char *fmt, ...)
{
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err_set(e, ERR_INPUT, "cannot format text");
	r = buf_grow(b, (size_t)n, e);
	if (r)
		return r;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int buf_read_file(struct buf *b, const char *path, struct err *e)
{
	char chunk[65536];
	ssize_t n;
	int fd, r = 0;

	buf_reset(b);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_INPUT : ERR_IO,
			       "cannot open '%s': %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = err_set(e, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		r = buf_append(b, chunk, (size_t)n, e);
		if (r) {
			err_prefix(e, r, "'%s'", path);
			break;
		}
	}
	close(fd);
	if (!r && !b->data)
		r = buf_append(b, "", 0, e);
	return r;
}
