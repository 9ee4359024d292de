/* Error messages for library code; see err.h. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int err_prefix(struct err *e, int code, const char *fmt, ...)
{
	char prefix[512];
	char old[sizeof(e->msg)];
	size_t n, len, rest;
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* Truncation keeps the start of the message, which names the input. */
	n = strlen(prefix);
	if (n > sizeof(e->msg) - 3)
		n = sizeof(e->msg) - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	rest = sizeof(e->msg) - n - 3;
	len = strnlen(old, sizeof(old) - 1);
	if (len > rest)
		len = rest;
	memcpy(e->msg + n + 2, old, len);
	e->msg[n + 2 + len] = '\0';
	return code;
}
