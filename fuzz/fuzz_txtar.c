/*
 * libFuzzer target for the txtar archive reader (src/inventory/txtar.c),
 * and through it the dpkg, apk, rpm-manifest and os-release parsers on
 * the members it finds.
 *
 * A counting sink checks, beyond the sanitizers: the OS is reported at
 * most once and before any package, with terminated, non-empty id; every
 * package has a non-empty name and version and readable spans; a failure
 * leaves a terminated, non-empty message. The callbacks stop the parse at
 * a point chosen by the input's length, which must then return their
 * code.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/txtar.h"

#define STOP_CODE 42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	size_t nos, npkg;
	size_t stop_after; /* 0: never; else after this many callbacks */
	size_t calls;
	unsigned sum; /* every byte read, so that ASan sees the reads */
};

static void touch(struct fuzz_ctx *c, const char *s, size_t len)
{
	if (len && !s)
		abort();
	for (size_t i = 0; i < len; i++)
		c->sum += (unsigned char)s[i];
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

	if (c->nos++ || c->npkg)
		abort();
	if (!os->id[0] || !memchr(os->id, '\0', sizeof(os->id)) ||
	    !memchr(os->version_id, '\0', sizeof(os->version_id)) || os->kernel[0] ||
	    os->arch[0] || os->hostname[0])
		abort();
	return stop(c, e);
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	touch(c, p->name, p->name_len);
	touch(c, p->version, p->version_len);
	touch(c, p->arch, p->arch_len);
	touch(c, p->source, p->source_len);
	touch(c, p->source_version, p->source_version_len);
	if (!p->name_len || !p->version_len || !p->source_len || !p->source_version_len)
		abort();
	c->npkg++;
	return stop(c, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c = { 0 };
	const struct inv_sink sink = { on_os, on_pkg, NULL, &c };
	struct err e;
	int r;

	if (size % 3 == 0)
		c.stop_after = (size / 3) % 8 + 1;
	(void)txtar_looks_like((const char *)data, size);
	memset(e.msg, 0, sizeof(e.msg));
	r = txtar_parse((const char *)data, size, "fuzz", &sink, &e);
	if (r == STOP_CODE) {
		if (c.calls != c.stop_after || strncmp(e.msg, "fuzz", 4))
			abort();
	} else if (r == ERR_INPUT || r == ERR_NOMEM) {
		if (!e.msg[0] || strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg) ||
		    strncmp(e.msg, "fuzz", 4))
			abort();
	} else if (r != 0) {
		abort();
	}
	return 0;
}
