/*
 * libFuzzer target for the Vuls scan result parser (src/inventory/vuls.c).
 *
 * Beyond the sanitizers' own checks: the OS is reported at most once and
 * before any package; every package has a name and a source, spans without
 * NUL bytes or control characters, and a version unless the host is
 * Windows; every KB is "KB" and digits; a failure leaves a terminated,
 * non-empty message. The callbacks stop the parse at a point chosen by the
 * input's length, which must then return the callbacks' code, prefixed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/vuls.h"

#define STOP_CODE 42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	size_t nos, npkg, nkb;
	bool windows;
	size_t stop_after; /* 0: never; else after this many callbacks */
	size_t calls;
};

/* Reads every byte (for ASan), and rejects NUL and control characters. */
static void check_span(const char *s, size_t len)
{
	if (len && !s)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
}

static int stop(struct fuzz_ctx *c, struct err *e)
{
	if (++c->calls == c->stop_after)
		return err_set(e, STOP_CODE, "stop");
	return 0;
}

static int on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	if (c->nos++ || c->npkg || c->nkb)
		abort();
	if (!os->id[0] || !memchr(os->id, '\0', sizeof(os->id)) ||
	    !memchr(os->version_id, '\0', sizeof(os->version_id)) ||
	    !memchr(os->kernel, '\0', sizeof(os->kernel)) ||
	    !memchr(os->arch, '\0', sizeof(os->arch)) ||
	    !memchr(os->hostname, '\0', sizeof(os->hostname)))
		abort();
	c->windows = !strcmp(os->id, "windows");
	return stop(c, e);
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	if (c->nos != 1 || c->nkb)
		abort();
	check_span(p->name, p->name_len);
	check_span(p->version, p->version_len);
	check_span(p->arch, p->arch_len);
	check_span(p->source, p->source_len);
	check_span(p->source_version, p->source_version_len);
	if (!p->name_len || !p->source_len || !p->arch || p->line != 0)
		abort();
	if (!c->windows && (!p->version_len || !p->source_version_len))
		abort();
	c->npkg++;
	return stop(c, e);
}

static int on_kb(const char *kb, size_t len, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	if (c->nos != 1 || len < 3 || kb[0] != 'K' || kb[1] != 'B')
		abort();
	for (size_t i = 2; i < len; i++)
		if (kb[i] < '0' || kb[i] > '9')
			abort();
	c->nkb++;
	return stop(c, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c = { 0 };
	const struct inv_sink sink = { on_os, on_pkg, on_kb, &c };
	struct err e;
	int r;

	/* The input's length (padding with blanks keeps the JSON) picks
	 * whether, and after which callback, to stop. */
	if (size % 3 == 0)
		c.stop_after = (size / 3) % 8 + 1;
	(void)vuls_looks_like((const char *)data, size);
	memset(e.msg, 0, sizeof(e.msg));
	r = vuls_parse((const char *)data, size, "fuzz", &sink, &e);
	if (r == STOP_CODE) {
		if (c.calls != c.stop_after || strncmp(e.msg, "fuzz", 4))
			abort();
	} else if (r == ERR_INPUT || r == ERR_NOMEM) {
		if (!e.msg[0] || strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
			abort();
	} else if (r != 0) {
		abort();
	}
	return 0;
}
