/*
 * hfx quickstart, the main job: create the workspace, collect this
 * machine, sync the feeds, scan, and print what matters most. Each step is
 * the same code as its own command.
 */
#include "cli/cli.h"

#include "inventory/host_inventory.h"
#include "scan/scan.h"
#include "store/finding_store.h"

static int print_top(const struct top_row *r, void *ctx, struct err *e)
{
	char epss[16] = "-";

	(void)ctx, (void)e;
	if (r->epss >= 0)
		snprintf(epss, sizeof(epss), "%.3f", r->epss);
	printf("  %-12s %-10s %-22s %-18s %-22s %-24s %-6s %s\n", r->priority, r->due,
	       r->advisory, r->package, r->version, r->fixed_version ? r->fixed_version : "-",
	       epss, r->aliases);
	return 0;
}

static int run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct scan_totals t;
	struct host h;
	struct scan_opts o = { .nnames = 1 };
	struct policy p;
	const char *name;
	int rc;

	o.policy = &p;
	o.actor = a->actor;
	printf("== workspace %s\n", a->db_path);
	rc = cli_load_policy(a, &p, NULL, 0, e);
	if (!rc)
		rc = cli_init_db(a->db_path, a->actor, e);
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc) {
		printf("== collecting this machine\n");
		rc = inventory_collect(s, "/", a->values[0], &h, e);
	}
	if (!rc) {
		printf("%s: %s, %ld installed packages\n", h.name, h.ecosystem, h.packages);
		printf("== syncing feeds\n");
		rc = cli_sync(s, a->db_path, a->actor, false, e);
	}
	name = h.name;
	if (!rc) {
		printf("== scanning\n");
		o.names = &name;
		rc = cli_scan(s, &o, true, &t, e);
	}
	if (!rc && t.fixable) {
		printf("== most important fixable findings (by SSVC priority, then due date)\n"
		       "  %-12s %-10s %-22s %-18s %-22s %-24s %-6s %s\n", "PRIORITY", "DUE",
		       "ADVISORY", "PACKAGE", "INSTALLED", "FIXED IN", "EPSS", "CVE");
		rc = finding_top_fixable(s, 15, print_top, NULL, e);
	}
	if (!rc)
		printf("\nNext: 'hfx findings --host %s' lists every finding; add --explain to see "
		       "why each matched.\n", h.name);
	store_close(s);
	return rc;
}

static const struct cli_option options[] = {
	{ "name", "NAME", "the name to record this machine under (default: its host name)" },
	{ NULL, NULL, NULL },
};

const struct cli_command cmd_quickstart = {
	.name = "quickstart",
	.role = ROLE_OPERATOR,
	.summary = "set up, sync the feeds, inventory this machine, scan, show what matters",
	.details = "Creates or migrates the database, collects this machine, downloads the "
		   "feeds (HFX_MIRROR to use a mirror), scans, and prints a summary with the "
		   "most important fixable findings.",
	.max_pos = 0,
	.options = options,
	.run = run,
};
