/*
 * Running an approved plan's jobs on real hosts (docs/DEPLOY.md). One
 * host's job goes through fixed steps — preflight, keep (the way back),
 * install, reboot, verify — each journaled in the database before and
 * after it runs (store/deploy_store.h). Anything that fails after the
 * install started rolls the job back to the kept versions and verifies
 * that; a run killed at any moment and started again finishes or rolls
 * back what the journal shows half done. Every job's outcome is in the
 * audit log.
 */
#ifndef HFX_DEPLOY_DEPLOY_H
#define HFX_DEPLOY_DEPLOY_H

#include <signal.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "core/policy.h"
#include "store/store.h"

/* Reports a step of a host's job as it starts and ends (for progress). */
typedef void (*deploy_progress_fn)(const char *host, const char *step, const char *state,
				   const char *detail, void *ctx);

#define DEPLOY_JOBS_MAX 64

struct deploy_opts {
	const struct policy *policy;  /* the group hooks and health checks; may be NULL */
	sqlite3_int64 plan_id;
	int wave;                   /* 1-based; 0: every wave */
	const char *host;           /* NULL: every host */
	bool dry_run;               /* print the commands (via cmd), change nothing */
	bool now;                   /* run jobs whose window has not come yet */
	bool accept_no_rollback;    /* go on when an old version cannot be kept */
	bool no_reboot;             /* report a needed reboot, do not reboot */
	int reboot_timeout;         /* seconds to wait for a rebooted host; 0: 900 */
	int reboot_poll;            /* seconds between tries while it reboots; 0: 5 */
	int jobs;                   /* hosts at a time, 1 to DEPLOY_JOBS_MAX; 0: 1 */
	/* When set (a signal handler's flag), no further job starts; the
	 * running ones finish. May be NULL. */
	const volatile sig_atomic_t *stop;
	const char *transport;      /* for every host, else its attribute, else ssh:NAME */
	const char *identity, *known_hosts;
	const char *actor;
	deploy_progress_fn progress;
	/* With dry_run: each command a job would run, as an argv. */
	void (*cmd)(const char *host, const char *step, const char *const argv[], void *ctx);
	void *ctx;
};

struct deploy_totals {
	long jobs, done, failed, rolled_back, rollback_failed, skipped, waiting;
	bool halted;                /* a wave's failures exceeded its ring's max-failures */
	int halted_wave;
};

/* Runs the plan's jobs whose window has come (or all with opts->now), in
 * wave order, stopping after a wave whose failures exceed the policy's
 * ring max-failures. The plan must be approved. */
int deploy_run(struct store *s, const struct policy *p, const struct deploy_opts *o,
	       struct deploy_totals *ret, struct err *e);

/* Rolls back a finished job (deploy job id) to the versions it kept,
 * verified; refuses clearly when it kept none. */
int deploy_rollback(struct store *s, sqlite3_int64 deploy_job_id, const struct deploy_opts *o,
		    struct err *e);

#endif
