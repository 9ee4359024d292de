/*
 * libFuzzer target for the services listings the deploy step reads from a
 * host (pkg_parse_services(): needrestart's batch lines for apt, one unit
 * a line for dnf and zypper).
 *
 * Beyond the sanitizers' own checks: every reported unit passes
 * pkg_unit_valid() (so it can go straight into systemctl's argv), appears
 * in the input, and the restart argv built from it ends with it; there are
 * no more units than lines; a failure is ERR_INPUT naming the output and a
 * line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deploy/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	const char *data;
	size_t len, n;
};

static int on_unit(const char *unit, void *ctx, struct err *e)
{
	static struct pkg_argv a;
	struct fuzz_ctx *c = ctx;
	size_t n = strnlen(unit, PKG_UNIT_MAX + 1);

	(void)e;
	if (!pkg_unit_valid(unit, n) || !memmem(c->data, c->len, unit, n))
		abort();
	if (c->n++ < 4) {
		const char *units[] = { unit };

		if (pkg_restart_units(units, 1, &a, e) || strcmp(a.argv[a.argc - 1], unit) ||
		    strcmp(a.argv[a.argc - 2], "--"))
			abort();
		pkg_argv_release(&a);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "apt", "dnf", "zypper" };
	size_t lines = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t k = 0; k < 3; k++) {
		struct fuzz_ctx c = { (const char *)data, size, 0 };
		struct err e;
		int r;

		memset(e.msg, 0, sizeof(e.msg));
		r = pkg_parse_services(pkg_backend_named(names[k]), c.data, size, on_unit, &c, &e);
		if (c.n > lines)
			abort();
		if (r == ERR_INPUT) {
			if (!strstr(e.msg, " services output: line ") ||
			    strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
				abort();
		} else if (r != 0) {
			abort();
		}
	}
	return 0;
}
