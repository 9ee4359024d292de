/*
 * libFuzzer target for the CycloneDX XML parser (src/inventory/sbom_xml.c)
 * and its sniff.
 *
 * Beyond the sanitizers' own checks: every reported package has a name,
 * a version, a source and a source version, with no blank or control
 * byte in them or in the architecture; the OS is reported at most once
 * and before any package; a failure leaves a message. The callback stops
 * the parse at a point chosen by the input, which must then return the
 * callback's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/sbom_xml.h"

struct fuzz_ctx {
	size_t n;
	size_t stop_after; /* 0: never */
	int os_calls;
};

static int word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return 0;
	return 1;
}

static int on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	(void)e;
	if (c->os_calls++ || c->n)
		abort();
	if (!memchr(os->id, '\0', sizeof(os->id)) || !os->id[0] ||
	    !memchr(os->version_id, '\0', sizeof(os->version_id)))
		abort();
	return 0;
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	if (!p->name_len || !p->version_len || !p->source_len || !p->source_version_len ||
	    !p->arch)
		abort();
	if (!word(p->name, p->name_len) || !word(p->arch, p->arch_len) ||
	    !word(p->version, p->version_len) || !word(p->source, p->source_len) ||
	    !word(p->source_version, p->source_version_len))
		abort();
	if (++c->n == c->stop_after)
		return err_set(e, 42, "stop");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c = { 0 };
	struct inv_sink sink = { .os = on_os, .pkg = on_pkg, .ctx = &c };
	struct err e;
	int r;

	/* The last byte picks whether, and after which package, to stop. */
	if (size && (data[size - 1] & 0x80))
		c.stop_after = (data[size - 1] & 7) + 1;
	memset(e.msg, 0, sizeof(e.msg));
	(void)sbom_cyclonedx_xml_looks_like((const char *)data, size);
	r = sbom_cyclonedx_xml_parse((const char *)data, size, "fuzz", &sink, &e);
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
