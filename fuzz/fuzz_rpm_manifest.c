/*
 * libFuzzer target for the rpm-manifest parser
 * (src/inventory/rpm_manifest.c).
 *
 * Beyond the sanitizers' own checks: the OS is never reported; every
 * package has a name, an arch and a source of rpm's characters, a version
 * and source version "[epoch:]version-release" with no epoch "0", and
 * "gpg-pubkey" never appears; a failure leaves a terminated, non-empty
 * message. The callback stops the parse at a point chosen by the input's
 * length, which must then return its code, prefixed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/rpm_manifest.h"

#define STOP_CODE 42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	size_t npkg;
	size_t stop_after; /* 0: never; else after this many packages */
};

/* Non-empty, and only ASCII letters, digits and the characters in extra. */
static void check_chars(const char *s, size_t len, const char *extra)
{
	if (!len || !s)
		abort();
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z') || (ch && strchr(extra, ch))))
			abort();
	}
}

/* "[epoch:]version-release": one '-', at most one ':', no "0:" epoch. */
static void check_evr(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len), *dash = memchr(s, '-', len);

	check_chars(s, len, "._+%{}~^:-");
	if (!dash || memchr(dash + 1, '-', len - (size_t)(dash - s) - 1))
		abort();
	if (colon && (colon > dash || colon == s || s[0] == '0'))
		abort();
}

static void on_os_never(void)
{
	abort();
}

static int on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	(void)os, (void)ctx, (void)e;
	on_os_never();
	return 0;
}

static int on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	check_chars(p->name, p->name_len, ".-_+%{}");
	check_chars(p->source, p->source_len, ".-_+%{}");
	check_chars(p->arch, p->arch_len, "_");
	check_evr(p->version, p->version_len);
	check_evr(p->source_version, p->source_version_len);
	if (p->name_len == 10 && !memcmp(p->name, "gpg-pubkey", 10))
		abort();
	if (p->line)
		abort();
	if (++c->npkg == c->stop_after)
		return err_set(e, STOP_CODE, "stop");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c = { 0 };
	const struct inv_sink sink = { on_os, on_pkg, NULL, &c };
	struct err e;
	int r;

	/* Padding with blanks keeps the JSON and picks where to stop. */
	if (size % 3 == 0)
		c.stop_after = (size / 3) % 8 + 1;
	(void)rpm_manifest_looks_like((const char *)data, size);
	memset(e.msg, 0, sizeof(e.msg));
	r = rpm_manifest_parse((const char *)data, size, "fuzz", &sink, &e);
	if (r == STOP_CODE) {
		if (c.npkg != c.stop_after || strncmp(e.msg, "fuzz: rpms[", 11))
			abort();
	} else if (r == ERR_INPUT || r == ERR_NOMEM) {
		if (!e.msg[0] || strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg) ||
		    strncmp(e.msg, "fuzz: ", 6))
			abort();
	} else if (r != 0) {
		abort();
	}
	return 0;
}
