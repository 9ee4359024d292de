/*
 * libFuzzer target for the apk installed-database parser
 * (src/inventory/apk_installed.c) and its sniff.
 *
 * Beyond the sanitizers' own checks, every reported package must point
 * into the input, have a name, an origin and a valid version, with no
 * blank or control byte in name, origin and architecture, and a failure
 * must leave a message; the callback stops the parse at a point chosen by
 * the input, which must then return the callback's code. The sniff runs
 * on every input too, for the sanitizers' sake.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"
#include "inventory/apk_installed.h"

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

/* Names, origins and architectures hold no blank, control or non-ASCII byte. */
static int printable_word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return 0;
	return len > 0;
}

static int on_pkg(const struct apk_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	check_span(c, p->name, p->name_len);
	check_span(c, p->version, p->version_len);
	check_span(c, p->arch, p->arch_len);
	check_span(c, p->origin, p->origin_len);
	if (!p->name_len || !p->origin_len || !p->arch || p->line < 1)
		abort();
	if (!apk_version_valid(p->version, p->version_len))
		abort();
	if (!printable_word(p->name, p->name_len) || !printable_word(p->origin, p->origin_len) ||
	    (p->arch_len && !printable_word(p->arch, p->arch_len)))
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
	(void)apk_installed_looks_like(c.data, size);
	r = apk_installed_parse(c.data, size, "fuzz", on_pkg, &c, &e);
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
