/*
 * libFuzzer target for the CycloneDX and SPDX JSON readers
 * (src/inventory/sbom.c): every input goes through both parsers and both
 * sniffs.
 *
 * Beyond the sanitizers' own checks: a failure leaves a message; the OS
 * comes at most once and before any package, with an ID and a version;
 * every package has a name, version, source and source version of
 * printable ASCII without blanks (arch too when given), and a record
 * number; the sink stops the parse at a point chosen by the input, which
 * must then return the sink's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	size_t n;
	size_t stop_after; /* 0: never */
	int os_calls;
};

static int word(const char *s, size_t len)
{
	if (!s || memchr(s, '\0', len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	(void)e;
	if (c->os_calls++ || c->n || !os->id[0] || !os->version_id[0] ||
	    !memchr(os->id, '\0', sizeof(os->id)) ||
	    !memchr(os->version_id, '\0', sizeof(os->version_id)))
		abort();
	return 0;
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	if (!p->name_len || !p->version_len || !p->source_len || !p->source_version_len ||
	    !word(p->name, p->name_len) || !word(p->version, p->version_len) ||
	    !word(p->arch, p->arch_len) || !word(p->source, p->source_len) ||
	    !word(p->source_version, p->source_version_len) || !p->line)
		abort();
	if (c->stop_after && ++c->n == c->stop_after)
		return err_set(e, ERR_IO, "stop");
	if (!c->stop_after)
		c->n++;
	return 0;
}

typedef int (*parse_fn)(const char *, size_t, const char *, const struct inv_sink *,
			struct err *);

static void run(parse_fn fn, const uint8_t *data, size_t size, size_t stop_after)
{
	struct fuzz_ctx c = { 0, stop_after, 0 };
	struct inv_sink sink = { on_os, on_pkg, NULL, &c };
	struct err e = { "" };
	int r = fn((const char *)data, size, "fuzz.json", &sink, &e);

	if (r && !e.msg[0])
		abort();
	if (r == ERR_IO && (!stop_after || c.n != stop_after || strcmp(e.msg, "stop")))
		abort();
	if (!r && stop_after && c.n >= stop_after)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The last byte, when there is one, picks where the sink stops. */
	size_t stop = size ? data[size - 1] % 4 : 0;

	run(sbom_cyclonedx_json_parse, data, size, stop);
	run(sbom_spdx_json_parse, data, size, stop);
	(void)sbom_cyclonedx_json_looks_like((const char *)data, size);
	(void)sbom_spdx_json_looks_like((const char *)data, size);
	return 0;
}
