/*
 * hfx plan create / show / approve / list: the schedule of approved fixes
 * (plan/plan.h), shown as a table, JSON or iCalendar.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/timefmt.h"
#include "plan/plan.h"
#include "store/plan_store.h"

#define ONLY_MAX 64

static int parse_from(const char *s, int64_t *ret, struct err *e)
{
	struct instant t;
	char now[32];

	if (!s) {
		store_now(now);
		s = now;
	}
	if (!rfc3339_parse(s, &t))
		return err_set(e, ERR_INPUT, "--from '%.40s': expected an RFC 3339 time such as "
			       "2026-12-01T00:00:00Z", s);
	*ret = t.sec;
	return 0;
}

/* --only A,B,C into up to ONLY_MAX names (pointing into buf). */
static int parse_only(const char *s, char *buf, size_t len, const char **only, size_t *ret_n,
		      struct err *e)
{
	size_t n = 0;

	*ret_n = 0;
	if (!s)
		return 0;
	if (strlen(s) >= len)
		return err_set(e, ERR_INPUT, "--only: too long");
	memcpy(buf, s, strlen(s) + 1);
	for (char *p = buf, *next; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if (n == ONLY_MAX)
			return err_set(e, ERR_INPUT, "--only: more than %d advisories", ONLY_MAX);
		if (*p)
			only[n++] = p;
	}
	*ret_n = n;
	return 0;
}

static const struct cli_option create_options[] = {
	{ "from", "DATETIME", "plan from this time (RFC 3339; default now)" },
	{ "horizon", "DAYS", "how far ahead (default: the policy's [rollout] horizon-days)" },
	{ "only", "ID,...", "only these advisories or CVE ids" },
	{ NULL, NULL, NULL },
};

static int create_run(const struct cli_args *a, struct err *e)
{
	const char *only[ONLY_MAX];
	char only_buf[4096];
	struct plan_opts o = { .only = only, .actor = a->actor };
	struct plan_summary sum;
	struct store *s = NULL;
	struct policy p;
	int rc = parse_from(a->values[0], &o.from, e);

	if (!rc && a->values[1])
		rc = cli_parse_int(a->values[1], "horizon", 1, 365, &o.horizon_days, e);
	if (!rc)
		rc = parse_only(a->values[2], only_buf, sizeof(only_buf), only, &o.nonly, e);
	if (!rc)
		rc = cli_open_ranked(a, &p, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = plan_create(s, &p, &o, &sum, e);
	if (!rc)
		rc = store_commit(s, e);
	if (!rc)
		printf("plan %lld: %ld host%s, %ld job%s, %ld package upgrade%s, %ld reboot%s; "
		       "%ld host%s need%s an exception%s\n", (long long)sum.id, sum.hosts,
		       sum.hosts == 1 ? "" : "s", sum.jobs, sum.jobs == 1 ? "" : "s", sum.packages,
		       sum.packages == 1 ? "" : "s", sum.reboots, sum.reboots == 1 ? "" : "s",
		       sum.exceptions, sum.exceptions == 1 ? "" : "s",
		       sum.exceptions == 1 ? "s" : "", sum.exceptions ? " (see hfx plan show)" : "");
	store_close(s);
	return rc;
}

const struct cli_command cmd_plan_create = {
	.name = "plan create",
	.role = ROLE_OPERATOR,
	.summary = "schedule the approved fixes: one job per host in its windows, rings in order",
	.details = "Every open finding whose standing decision deploys it (approve, expedite, or "
		   "an auto-approval rule) becomes a package upgrade; a host's upgrades form one "
		   "job with at most one reboot, placed in its maintenance windows (window=, tz=) "
		   "after the previous ring's jobs and soak, within its group's max-unavailable, "
		   "outside blackouts. Hosts that cannot meet their due date are listed as needing "
		   "an exception. The plan is a draft until approved. See docs/PLANNER.md.",
	.max_pos = 0,
	.options = create_options,
	.run = create_run,
};

static int approve_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	sqlite3_int64 id = 0;
	int rc = cli_parse_id(a->pos[0], "plan", &id, e);

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = plan_approve(s, id, a->actor, e);
	if (!rc)
		rc = store_commit(s, e);
	if (!rc)
		printf("plan %lld approved by %s; it will not change\n", (long long)id, a->actor);
	store_close(s);
	return rc;
}

const struct cli_command cmd_plan_approve = {
	.name = "plan approve",
	.role = ROLE_APPROVER,
	.args = "PLAN",
	.summary = "approve a draft plan; an approved plan never changes",
	.min_pos = 1, .max_pos = 1,
	.run = approve_run,
};

static int list_one(const struct plan_info *p, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	printf("%-5lld %-9s %-20s %-12s from %s, %d days%s%s\n", (long long)p->id, p->state,
	       p->created_at, p->created_by, p->start, p->horizon_days, p->only ? ", only " : "",
	       p->only ? p->only : "");
	return 0;
}

static int list_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = plan_list(s, list_one, NULL, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_plan_list = {
	.name = "plan list",
	.summary = "list the plans",
	.max_pos = 0,
	.run = list_run,
};
