/* hfx scan: match hosts against the advisories and record the findings. */
#include "cli/cli.h"

#include "scan/scan.h"

static void per_host(const char *host, long new_, long still_open, long resolved, void *ctx)
{
	(void)ctx;
	printf("%s: %ld new, %ld still open, %ld resolved\n", host, new_, still_open, resolved);
}

int cli_scan(struct store *s, struct scan_opts *o, bool quiet, struct scan_totals *ret,
	     struct err *e)
{
	int rc;

	o->cb = quiet ? NULL : per_host;
	rc = scan_run(s, o, ret, e);
	if (rc)
		return rc;
	printf("scanned %ld host%s: %ld new, %ld still open, %ld resolved; "
	       "open now: %ld fixable, %ld with no fix yet\n", ret->hosts,
	       ret->hosts == 1 ? "" : "s", ret->new_, ret->still_open, ret->resolved,
	       ret->fixable, ret->no_fix);
	if (ret->reissued || ret->regressed)
		printf("came back: %ld reissued (the fix they had was superseded), %ld regressed "
		       "(fixed before, missing again)\n", ret->reissued, ret->regressed);
	if (ret->withdrawn)
		printf("%ld finding%s closed as withdrawn (the advisory was withdrawn)\n",
		       ret->withdrawn, ret->withdrawn == 1 ? "" : "s");
	if (ret->unsupported)
		printf("(%ld host%s not scanned: hfx has no advisory feed for their OS)\n",
		       ret->unsupported, ret->unsupported == 1 ? "" : "s");
	if (ret->skipped)
		printf("(%ld host%s unchanged since the last scan: findings kept; --full "
		       "rescans them)\n", ret->skipped, ret->skipped == 1 ? "" : "s");
	return 0;
}

static const struct cli_option scan_options[] = {
	{ "quiet", NULL, "print only the totals, not one line per host" },
	{ "full", NULL, "rescan hosts whose inventory and advisories did not change" },
	{ NULL, NULL, NULL },
};

static int run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct scan_opts o = { .names = (const char *const *)a->pos, .nnames = (size_t)a->npos,
			       .full = a->values[1] != NULL };
	struct scan_totals t;
	struct policy p;
	int rc = cli_load_policy(a, &p, NULL, 0, e);

	o.policy = &p;
	o.actor = a->actor;
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = cli_scan(s, &o, a->values[0] != NULL, &t, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_scan = {
	.name = "scan",
	.role = ROLE_OPERATOR,
	.args = "[NAME...]",
	.summary = "match hosts (default: all) against the advisories of their ecosystem",
	.details = "Records the findings and reports what is new, still open and resolved "
		   "since the last scan. All hosts are scanned in one transaction. A host whose "
		   "inventory and the advisories are unchanged since its last scan keeps its "
		   "findings without being matched again (--full matches it anyway). New "
		   "findings get their priority and due date from the policy (docs/POLICY.md); "
		   "when the policy changed, every open finding is ranked again.",
	.max_pos = -1,
	.options = scan_options,
	.run = run,
};
