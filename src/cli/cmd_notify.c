/*
 * hfx notify: one digest of what is news since the last one, to the
 * [notify] channels of hfx.conf (notify/notify.h; docs/NOTIFY.md).
 */
#include "cli/cli.h"

#include <stdio.h>

#include "notify/notify.h"

enum { OPT_DRY_RUN };

static const struct cli_option options[] = {
	[OPT_DRY_RUN] = { "dry-run", NULL, "print the digest; send nothing, and record nothing "
			  "as sent" },
	{ NULL, NULL, NULL },
};

static int run(const struct cli_args *a, struct err *e)
{
	bool dry_run = a->values[OPT_DRY_RUN] != NULL;
	struct notify_result r = { 0 };
	struct store *s = NULL;
	struct policy p;
	int rc = cli_load_policy(a, &p, NULL, 0, e);

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = notify_run(s, &p, a->actor, dry_run, &r, e);
	if (!rc && !r.events)
		printf("nothing new to notify\n");
	else if (!rc && dry_run)
		printf("%s\n(dry run: nothing sent)\n", r.text);
	else if (!rc)
		printf("sent %zu event%s to %zu webhook%s%s%s\n", r.events, r.events == 1 ? "" : "s",
		       r.webhooks, r.webhooks == 1 ? "" : "s", r.mailed ? " and by e-mail to " : "",
		       r.mailed ? p.notify.to : "");
	if (!rc && r.truncated)
		printf("more news than one digest holds: run hfx notify again for the rest\n");
	notify_result_release(&r);
	store_close(s);
	return rc;
}

const struct cli_command cmd_notify = {
	.name = "notify",
	.summary = "send one digest of what is news to the [notify] webhooks and e-mail "
		   "recipients",
	.details = "News are new advisories that affect hosts, an advisory's priority raised "
		   "(for example its CVE added to CISA KEV), overdue findings, reissued and "
		   "regressed findings, failed or rolled back deployments and halted waves; "
		   "each is sent once. The channels are set in hfx.conf's [notify] section "
		   "(docs/POLICY.md); the triggers, the JSON body and the e-mail are described "
		   "in docs/NOTIFY.md. When a channel fails, nothing is recorded as sent and "
		   "the exit status is 1: the next run sends it all again.",
	.max_pos = 0,
	.role = ROLE_OPERATOR,
	.options = options,
	.run = run,
};
