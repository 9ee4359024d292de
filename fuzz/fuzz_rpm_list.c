/*
 * libFuzzer target for the RPM inventory parser (src/inventory/rpm_list.c).
 *
 * Beyond the sanitizers' own checks: every reported package must point
 * into the input, have its fields non-empty and free of tabs and line
 * ends, and a source name that begins its SOURCERPM; a failure must leave
 * a message. rpm_list_looks_like() must agree with a parse of the first
 * non-blank line. The callback stops the parse at a point chosen by the
 * input, which must then return the callback's code.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/rpm_list.h"

struct fuzz_ctx {
	const char *data;
	size_t len;
	size_t n;
	size_t stop_after; /* 0: never */
};

static void check_field(const struct fuzz_ctx *c, const char *s, size_t len)
{
	if (!len || !s || s < c->data || len > c->len || (size_t)(s - c->data) > c->len - len)
		abort();
	if (memchr(s, '\t', len) || memchr(s, '\n', len) || memchr(s, '\r', len))
		abort();
}

static int on_pkg(const struct rpm_pkg *p, void *ctx, struct err *e)
{
	struct fuzz_ctx *c = ctx;

	check_field(c, p->name, p->name_len);
	check_field(c, p->epoch, p->epoch_len);
	check_field(c, p->version, p->version_len);
	check_field(c, p->release, p->release_len);
	check_field(c, p->arch, p->arch_len);
	if (!p->source)
		abort();
	if (p->source_len) {
		check_field(c, p->source, p->source_len);
		/* The source name starts the SOURCERPM field: after the 5th tab. */
		if (p->source != p->arch + p->arch_len + 1 ||
		    memchr(p->version, '-', p->version_len) ||
		    memchr(p->release, '-', p->release_len))
			abort();
	}
	if (p->line < 1 || (p->name_len == 10 && !memcmp(p->name, "gpg-pubkey", 10)))
		abort();
	if (++c->n == c->stop_after)
		return err_set(e, 42, "stop");
	return 0;
}

static int count_only(const struct rpm_pkg *p, void *ctx, struct err *e)
{
	(void)p;
	(void)e;
	++*(size_t *)ctx;
	return 0;
}

/* What looks_like should say: does the first non-blank line parse alone? */
static bool first_line_parses(const char *data, size_t len)
{
	size_t pos = 0, eol, n, count = 0, blank;
	const char *nl;
	struct err e;

	while (pos < len && pos < RPM_LINE_MAX) {
		nl = memchr(data + pos, '\n', len - pos);
		eol = nl ? (size_t)(nl - data) : len;
		n = eol - pos;
		for (blank = 0; blank < n && (data[pos + blank] == ' ' || data[pos + blank] == '\t' ||
					       (data[pos + blank] == '\r' && blank == n - 1));)
			blank++;
		if (blank < n) {
			if (eol > RPM_LINE_MAX || (eol == RPM_LINE_MAX && eol < len))
				return false;
			return rpm_list_parse(data + pos, n, "fuzz", count_only, &count, &e) == 0;
		}
		pos = eol + 1;
	}
	return false;
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
	r = rpm_list_parse(c.data, size, "fuzz", on_pkg, &c, &e);
	if (r == 42) {
		if (c.n != c.stop_after)
			abort();
	} else if (r == ERR_INPUT || r == ERR_NOMEM) {
		if (!e.msg[0] || strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg) ||
		    strncmp(e.msg, "fuzz: ", 6))
			abort();
	} else if (r != 0) {
		abort();
	}
	if (rpm_list_looks_like(c.data, size) != first_line_parses(c.data, size))
		abort();
	return 0;
}
