/*
 * The deployment journal: one deploy_job per plan job run, its steps
 * written before ("started") and after ("done", "failed", "skipped") each
 * runs, in transactions of their own, so that a run killed at any moment
 * leaves an exact record to resume from; and the versions kept for the
 * way back.
 */
#ifndef HFX_STORE_DEPLOY_STORE_H
#define HFX_STORE_DEPLOY_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

struct deploy_job_row {
	sqlite3_int64 id, plan_id, plan_job_id;
	const char *host, *transport, *state, *step, *started_at, *ended_at, *reason;
};

typedef int (*deploy_job_cb)(const struct deploy_job_row *j, void *ctx, struct err *e);

/* The deploy job of a plan job (*ret_id 0 when it has none). */
int deploy_job_find(struct store *s, sqlite3_int64 plan_job_id, sqlite3_int64 *ret_id,
		    struct err *e);
int deploy_job_start(struct store *s, sqlite3_int64 plan_id, sqlite3_int64 plan_job_id,
		     const char *host, const char *transport, sqlite3_int64 *ret_id,
		     struct err *e);
/* Sets a job's state and current step (and reason, and the end time for a
 * final state). */
int deploy_job_set(struct store *s, sqlite3_int64 id, const char *state, const char *step,
		   const char *reason, struct err *e);
/* Journals a step; *ret_seq gets its number for deploy_step_end(). */
int deploy_step_begin(struct store *s, sqlite3_int64 job_id, const char *step,
		      sqlite3_int64 *ret_seq, struct err *e);
int deploy_step_end(struct store *s, sqlite3_int64 job_id, sqlite3_int64 seq, const char *state,
		    const char *detail, struct err *e);
int deploy_keep(struct store *s, sqlite3_int64 job_id, const char *name, const char *arch,
		const char *version, const char *path, struct err *e);

struct kept_row {
	const char *name, *arch, *version, *path;
};

typedef int (*kept_cb)(const struct kept_row *k, void *ctx, struct err *e);
int deploy_kept_list(struct store *s, sqlite3_int64 job_id, kept_cb cb, void *ctx,
		     struct err *e);

/* Whether the deploy job is still running (was interrupted). */
int deploy_job_running(struct store *s, sqlite3_int64 id, bool *ret, struct err *e);

/* Whether the deploy job ended failed (failed, rolled back, rollback failed). */
int deploy_job_failed(struct store *s, sqlite3_int64 id, bool *ret, struct err *e);

/* One deploy job (ERR_INPUT when there is none with that id). */
int deploy_job_get(struct store *s, sqlite3_int64 id, deploy_job_cb cb, void *ctx,
		   struct err *e);

/* The finished ("done") deploy jobs of a host from plans numbered at
 * least min_plan, newest first: what `hfx rollback HOST` undoes. */
int deploy_jobs_done_for(struct store *s, const char *host, sqlite3_int64 min_plan,
			 deploy_job_cb cb, void *ctx, struct err *e);

/* The approved plans with a job not run yet or interrupted, oldest first:
 * at most max ids into ret, their count in *ret_n. */
int deploy_pending_plans(struct store *s, sqlite3_int64 *ret, size_t max, size_t *ret_n,
			 struct err *e);

/* Deploy jobs of a plan (0: all), by id. */
int deploy_job_list(struct store *s, sqlite3_int64 plan_id, deploy_job_cb cb, void *ctx,
		    struct err *e);

struct deploy_step_row {
	sqlite3_int64 seq;
	const char *step, *state, *started_at, *ended_at, *detail;
};

typedef int (*deploy_step_cb)(const struct deploy_step_row *r, void *ctx, struct err *e);
int deploy_step_list(struct store *s, sqlite3_int64 job_id, deploy_step_cb cb, void *ctx,
		     struct err *e);

#endif
