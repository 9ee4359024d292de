/* hfx scan: match hosts against the advisories and record the findings. */
#include "cli/cli.h"

#include "scan/scan.h"

static void per_host(const char *host, long new_, long still_open, long resolved, void *ctx)
{
	(void)ctx;
	printf("%s: %ld new, %ld still open, %ld resolved\n", host, new_, still_open, resolved);
}

int cli_scan(struct store *s, const char *const *names, size_t n, bool quiet,
	     struct scan_totals *ret, struct err *e)
{
	int rc = scan_run(s, names, n, quiet ? NULL : per_host, NULL, ret, e);

	if (!rc)
		printf("scanned %ld host%s: %ld new, %ld still open, %ld resolved; "
		       "open now: %ld fixable, %ld with no fix yet\n", ret->hosts,
		       ret->hosts == 1 ? "" : "s", ret->new_, ret->still_open, ret->resolved,
		       ret->fixable, ret->no_fix);
	return rc;
}

static const struct cli_option scan_options[] = {
	{ "quiet", NULL, "print only the totals, not one line per host" },
	{ NULL, NULL, NULL },
};

static int run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct scan_totals t;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = cli_scan(s, (const char *const *)a->pos, (size_t)a->npos, a->values[0] != NULL,
			      &t, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_scan = {
	.name = "scan",
	.args = "[NAME...]",
	.summary = "match hosts (default: all) against the advisories of their ecosystem",
	.details = "Stores one finding per host, advisory and binary package, and reports "
		   "what is new, still open and resolved since the last scan. All hosts are "
		   "scanned in one transaction.",
	.max_pos = -1,
	.options = scan_options,
	.run = run,
};
