/*
 * libFuzzer target for the dpkg status parser (src/inventory/dpkg_status.c).
 *
 * Beyond the sanitizers' own checks, every reported package must point
 * into the input, have a name and valid versions, and a failure must leave
 * a message; the callback stops the parse at a point chosen by the input,
 * which must then return the callback's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"
#include "inventory/dpkg_status.h"

struct fuzz_ctx {
	const char *data;
	size_t len;
	size_t n;
	size_t stop_after; /* 0: never */
};

static void check_span(const struct fuzz_ctx *c, const char *s, size_t len)
{
	if (!len)
		return;
	if (!s || s < c->data || len > c->len || (size_t)(s - c->data) > c->len - len)
		abort();
}

static int on_pkg(const struct dpkg_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	check_span(c, p->name, p->name_len);
	check_span(c, p->version, p->version_len);
	check_span(c, p->arch, p->arch_len);
	check_span(c, p->source, p->source_len);
	check_span(c, p->source_version, p->source_version_len);
	if (!p->name_len || !p->source_len || !p->arch || p->line < 1)
		abort();
	if (!deb_version_valid(p->version, p->version_len, NULL) ||
	    !deb_version_valid(p->source_version, p->source_version_len, NULL))
		abort();
	if (++c->n == c->stop_after)
		return err_set(e, 42, "stop");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c = { .data = (const char *)data, .len = size };
	struct err e;
	int r;

	/* The last byte picks whether, and after which package, to stop. */
	if (size && (data[size - 1] & 0x80))
		c.stop_after = (data[size - 1] & 7) + 1;
	memset(e.msg, 0, sizeof(e.msg));
	r = dpkg_status_parse(c.data, size, "fuzz", on_pkg, &c, &e);
	if (r == 42) {
		if (c.n != c.stop_after)
			abort();
	} else if (r == ERR_INPUT || r == ERR_NOMEM) {
		if (!e.msg[0] || strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
			abort();
	} else if (r != 0) {
		abort();
	}
	return 0;
}
