/*
 * hfx deploy run / deploy status and hfx rollback: running approved plans
 * on hosts (deploy/deploy.h), the journal of every job and step, and the
 * way back.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "deploy/deploy.h"
#include "store/deploy_store.h"
#include "store/people_store.h"

/* A dry run's commands, one per line, each argument quoted when needed. */
static void show_cmd(const char *host, const char *step, const char *const argv[], void *ctx)
{
	(void)ctx;
	printf("%-24s %-10s", host, step);
	for (size_t i = 0; argv[i]; i++)
		printf(strpbrk(argv[i], " \t'\"$\\{}") ? " '%s'" : " %s", argv[i]);
	putchar('\n');
}

static const struct cli_option run_options[] = {
	{ "wave", "N", "only wave N (1 is the first ring)" },
	{ "host", "NAME", "only this host's job" },
	{ "dry-run", NULL, "print the exact commands per host; change nothing" },
	{ "now", NULL, "run jobs whose window has not come yet (needs the approver role)" },
	{ "transport", "SPEC", "reach every host this way: local, chroot:DIR or ssh:TARGET "
	  "(default: the host's transport attribute, else ssh:NAME)" },
	{ "identity", "FILE", "for ssh: the private key" },
	{ "known-hosts", "FILE", "for ssh: the known_hosts file" },
	{ "accept-no-rollback", NULL, "go on when an installed version cannot be kept" },
	{ "jobs", "N", "hosts at a time, 1 to 64 (default 4); jobs run together only where "
	  "their planned times overlap" },
	{ "no-reboot", NULL, "report a host that needs a reboot instead of rebooting it" },
	{ "reboot-timeout", "SECONDS", "how long to wait for a rebooted host (default 900)" },
	{ NULL, NULL, NULL },
};

static int check_now(const struct cli_args *a, struct store *s, struct err *e)
{
	enum role r = ROLE_VIEWER;
	int rc = role_of(s, a->actor, &r, e);

	if (!rc && r < ROLE_APPROVER)
		rc = err_set(e, ERR_DENIED, "'%s' may not use --now: it needs the approver role",
			     a->actor);
	return rc;
}

static int run_run(const struct cli_args *a, struct err *e)
{
	struct deploy_opts o = { .host = a->values[1], .dry_run = a->values[2] != NULL,
				 .now = a->values[3] != NULL, .transport = a->values[4],
				 .identity = a->values[5], .known_hosts = a->values[6],
				 .accept_no_rollback = a->values[7] != NULL, .actor = a->actor,
				 .no_reboot = a->values[9] != NULL, .jobs = 4,
				 .progress = cli_show_progress, .cmd = show_cmd };
	struct deploy_totals t;
	struct store *s = NULL;
	struct policy p;
	int rc = cli_parse_id(a->pos[0], "plan", &o.plan_id, e);

	if (!rc && a->values[0])
		rc = cli_parse_int(a->values[0], "wave", 1, 16, &o.wave, e);
	if (!rc && a->values[8])
		rc = cli_parse_int(a->values[8], "jobs", 1, DEPLOY_JOBS_MAX, &o.jobs, e);
	if (!rc && a->values[10])
		rc = cli_parse_int(a->values[10], "reboot-timeout", 10, 86400, &o.reboot_timeout, e);
	if (o.dry_run)
		o.progress = NULL;
	if (!rc)
		rc = cli_load_policy(a, &p, NULL, 0, e);
	o.policy = &p;
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc && o.now && !o.dry_run)
		rc = check_now(a, s, e);
	if (!rc)
		rc = deploy_run(s, &p, &o, &t, e);
	if (!rc)
		printf("%s%ld job%s: %ld done, %ld skipped, %ld failed, %ld rolled back, %ld rollback "
		       "failed; %ld waiting for their window\n", o.dry_run ? "dry run, " : "",
		       t.jobs, t.jobs == 1 ? "" : "s", t.done, t.skipped, t.failed, t.rolled_back,
		       t.rollback_failed, t.waiting);
	if (!rc && t.halted)
		printf("wave %d halted: its failures exceed its ring's max-failures; later waves "
		       "not started\n", t.halted_wave);
	store_close(s);
	if (!rc && (t.failed || t.rolled_back || t.rollback_failed || t.halted))
		rc = err_set(e, ERR_IO, "some jobs failed (see hfx deploy status %lld)",
			     (long long)o.plan_id);
	return rc;
}

const struct cli_command cmd_deploy_run = {
	.name = "deploy run",
	.role = ROLE_OPERATOR,
	.args = "PLAN",
	.summary = "run an approved plan's jobs whose window has come, step by step, with "
		   "automatic rollback",
	.details = "Each job: preflight (lock, installed versions: a fix already installed by a "
		   "later update is skipped, a host that changed stops), keep the installed "
		   "versions on the host for the way back, install exactly the planned versions "
		   "non-interactively keeping configuration files, reboot once when needed (over "
		   "ssh, waiting for the host to come back) or restart the services that run "
		   "replaced code, verify, health check. Up to --jobs hosts at a time, as the plan "
		   "allows. Any failure after the "
		   "install started rolls back to the kept versions and verifies. Every step is "
		   "journaled; a run started again after an interruption resumes each job. See "
		   "docs/DEPLOY.md.",
	.min_pos = 1, .max_pos = 1,
	.options = run_options,
	.run = run_run,
};

static int print_step(const struct deploy_step_row *r, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	printf("    %-3lld %-10s %-8s %s  %s\n", (long long)r->seq, r->step, r->state, r->started_at,
	       r->detail ? r->detail : "");
	return 0;
}

static int print_job(const struct deploy_job_row *j, void *ctx, struct err *e)
{
	struct store *s = ctx;

	printf("job %lld  plan %lld  %-20s %-16s %s%s%s\n", (long long)j->id, (long long)j->plan_id,
	       j->host, j->state, j->transport, j->reason ? "  " : "", j->reason ? j->reason : "");
	return deploy_step_list(s, j->id, print_step, NULL, e);
}

static int status_run(const struct cli_args *a, struct err *e)
{
	sqlite3_int64 plan = 0;
	struct store *s = NULL;
	int rc = a->npos ? cli_parse_id(a->pos[0], "plan", &plan, e) : 0;

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = deploy_job_list(s, plan, print_job, s, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_deploy_status = {
	.name = "deploy status",
	.args = "[PLAN]",
	.summary = "every deploy job and its journaled steps",
	.max_pos = 1,
	.run = status_run,
};

static const struct cli_option rollback_options[] = {
	{ "to-before", "PLAN", "with HOST: undo every job of plans PLAN and later (default: the "
	  "host's last job only)" },
	{ "transport", "SPEC", "reach the host this way (as for deploy run)" },
	{ "identity", "FILE", "for ssh: the private key" },
	{ "known-hosts", "FILE", "for ssh: the known_hosts file" },
	{ NULL, NULL, NULL },
};

/* The deploy jobs to undo for a host, newest first. */
struct jobs {
	sqlite3_int64 id[256];
	size_t n;
	bool all;
};

static int collect_job(const struct deploy_job_row *j, void *ctx, struct err *e)
{
	struct jobs *js = ctx;

	if (js->n == sizeof(js->id) / sizeof(js->id[0]))
		return err_set(e, ERR_INPUT, "more than %zu jobs to roll back: roll back fewer "
			       "plans at a time", js->n);
	if (js->all || !js->n)
		js->id[js->n++] = j->id;
	return 0;
}

static int rollback_targets(struct store *s, const struct cli_args *a, struct jobs *js,
			    struct err *e)
{
	sqlite3_int64 plan = 0;
	int rc = 0;

	if (a->pos[0][strspn(a->pos[0], "0123456789")] == '\0') {
		if (a->values[0])
			return err_set(e, ERR_INPUT, "--to-before goes with a HOST, not a JOB");
		rc = cli_parse_id(a->pos[0], "deploy job", &js->id[0], e);
		js->n = !rc;
		return rc;
	}
	if (a->values[0])
		rc = cli_parse_id(a->values[0], "plan", &plan, e);
	js->all = a->values[0] != NULL;
	if (!rc)
		rc = deploy_jobs_done_for(s, a->pos[0], plan, collect_job, js, e);
	if (!rc && !js->n)
		rc = err_set(e, ERR_INPUT, "host %.64s has no finished deploy job%s to roll back",
			     a->pos[0], a->values[0] ? " from that plan on" : "");
	return rc;
}

static int rollback_run(const struct cli_args *a, struct err *e)
{
	struct deploy_opts o = { .transport = a->values[1], .identity = a->values[2],
				 .known_hosts = a->values[3], .actor = a->actor,
				 .progress = cli_show_progress };
	struct jobs js = { .n = 0 };
	struct store *s = NULL;
	struct policy p;
	int rc = cli_load_policy(a, &p, NULL, 0, e);

	o.policy = &p;
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = rollback_targets(s, a, &js, e);
	for (size_t i = 0; !rc && i < js.n; i++) {
		rc = deploy_rollback(s, js.id[i], &o, e);
		if (!rc)
			printf("deploy job %lld rolled back and verified\n", (long long)js.id[i]);
	}
	store_close(s);
	return rc;
}

const struct cli_command cmd_rollback = {
	.name = "rollback",
	.role = ROLE_OPERATOR,
	.args = "JOB|HOST",
	.summary = "uninstall deployed fixes: back to the versions a job kept, verified",
	.details = "JOB is a deploy job number (hfx deploy status); HOST undoes that host's "
		   "last finished job, or with --to-before PLAN every job of plans PLAN and "
		   "later, newest first. The kept package files are installed again and the "
		   "versions verified; a job that kept no way back is refused.",
	.min_pos = 1, .max_pos = 1,
	.options = rollback_options,
	.run = rollback_run,
};
