/*
 * libFuzzer target for the listing parsers of the package-manager
 * backends (src/deploy/pkg_apt.c, pkg_dnf.c for every rpm backend,
 * pkg_apk.c): each runs on the same bytes.
 *
 * Beyond the sanitizers' own checks: every reported package passes the
 * family's checks (so it can go straight back into an argv), its name,
 * architecture and version appear in the input and hold no tab or line
 * end, and the backend builds an install argv from it whose last entry
 * starts with the name; there are no more packages than lines; a success
 * means empty input or a last '\n'; a failure is ERR_INPUT with a message
 * naming the tool's output and a line. The callback stops the parse at a
 * point chosen by the input, which must then return the callback's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deploy/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	const struct pkg_backend *b;
	const char *data;
	size_t len, n, stop_after;
};

static void check_value(const struct fuzz_ctx *c, const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n == 0 || n > max || strpbrk(s, "\t\n\r") || !memmem(c->data, c->len, s, n))
		abort();
}

static int on_pkg(const struct pkg_spec *p, void *ctx, struct err *e)
{
	static struct pkg_argv a;
	struct fuzz_ctx *c = ctx;
	struct err e2;

	if (!p || !p->name || !p->arch || !p->version)
		abort();
	check_value(c, p->name, PKG_NAME_MAX);
	check_value(c, p->arch, PKG_ARCH_MAX);
	check_value(c, p->version, PKG_VERSION_MAX);
	if (pkg_spec_check(c->b->family, p, &e2) ||
	    !pkg_arch_valid(c->b->family, p->arch, strlen(p->arch)))
		abort();
	/* An argv for the first few (each build allocates 96 KiB). */
	if (c->n < 4) {
		if (c->b->install(p, 1, &a, &e2) || a.argc < 2 ||
		    strncmp(a.argv[a.argc - 1], p->name, strlen(p->name)) ||
		    strcmp(a.argv[a.argc - 2], "--"))
			abort();
		pkg_argv_release(&a);
	}
	if (++c->n == c->stop_after)
		return err_set(e, 42, "stop");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "apt", "dnf", "apk" };
	static const char *const prefixes[] = { "dpkg-query output: line ", "rpm output: line ",
						"apk list output: line " };
	size_t lines = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t k = 0; k < 3; k++) {
		struct fuzz_ctx c = { pkg_backend_named(names[k]), (const char *)data, size, 0, 0 };
		struct err e;
		int r;

		/* The last byte picks whether, and after which package, to stop. */
		if (size && (data[size - 1] & 0x80))
			c.stop_after = (data[size - 1] & 7) + 1;
		memset(e.msg, 0, sizeof(e.msg));
		r = c.b->parse_installed(c.data, size, on_pkg, &c, &e);
		if (c.n > lines)
			abort();
		if (r == 42) {
			if (c.n != c.stop_after)
				abort();
		} else if (r == ERR_INPUT) {
			if (strncmp(e.msg, prefixes[k], strlen(prefixes[k])) ||
			    strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
				abort();
		} else if (r != 0 || (size && data[size - 1] != '\n')) {
			abort();
		}
	}
	return 0;
}
