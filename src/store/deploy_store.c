/* The deployment journal; see deploy_store.h. */
#include "store/deploy_store.h"

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int id_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	(void)e;
	*(sqlite3_int64 *)ctx = sqlite3_column_int64(st, 0);
	return 0;
}

int deploy_job_find(struct store *s, sqlite3_int64 plan_job_id, sqlite3_int64 *ret_id,
		    struct err *e)
{
	*ret_id = 0;
	return store_each_id(s, "SELECT id FROM deploy_job WHERE plan_job_id = ?",
			     plan_job_id, id_fn, ret_id, "read deploy jobs", e);
}

/* Runs one prepared statement to completion and finalizes it. */
static int done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = store_step_done(s, st, what, e);

	sqlite3_finalize(st);
	return rc;
}

int deploy_job_start(struct store *s, sqlite3_int64 plan_id, sqlite3_int64 plan_job_id,
		     const char *host, const char *transport, sqlite3_int64 *ret_id,
		     struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT INTO deploy_job (plan_id, plan_job_id, host, transport, state, "
			  "step, started_at) VALUES (?, ?, ?, ?, 'running', 'start', ?)", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int64(st, 2, plan_job_id);
	store_bind_str(st, 3, host);
	store_bind_str(st, 4, transport);
	store_bind_str(st, 5, now);
	rc = done(s, st, "start deploy job", e);
	if (!rc)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int deploy_job_set(struct store *s, sqlite3_int64 id, const char *state, const char *step,
		   const char *reason, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	store_now(now);
	if (store_prepare(s, "UPDATE deploy_job SET state = ?1, step = ?2, reason = "
			  "coalesce(?3, reason), ended_at = CASE WHEN ?1 = 'running' THEN NULL "
			  "ELSE ?4 END WHERE id = ?5", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, state);
	store_bind_str(st, 2, step);
	store_bind_str(st, 3, reason);
	store_bind_str(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	return done(s, st, "update deploy job", e);
}

int deploy_step_begin(struct store *s, sqlite3_int64 job_id, const char *step,
		      sqlite3_int64 *ret_seq, struct err *e)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 seq = 0;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "SELECT coalesce(max(seq), 0) + 1 FROM deploy_step WHERE job_id = ?",
			  &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, job_id);
	rc = store_each(s, st, id_fn, &seq, "read steps", e);
	if (rc || store_prepare(s, "INSERT INTO deploy_step (job_id, seq, step, state, started_at) "
				"VALUES (?, ?, ?, 'started', ?)", &st, e))
		return rc ? rc : ERR_DB;
	sqlite3_bind_int64(st, 1, job_id);
	sqlite3_bind_int64(st, 2, seq);
	store_bind_str(st, 3, step);
	store_bind_str(st, 4, now);
	rc = done(s, st, "journal step", e);
	if (!rc)
		*ret_seq = seq;
	return rc;
}

int deploy_step_end(struct store *s, sqlite3_int64 job_id, sqlite3_int64 seq, const char *state,
		    const char *detail, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	store_now(now);
	if (store_prepare(s, "UPDATE deploy_step SET state = ?, ended_at = ?, detail = ? "
			  "WHERE job_id = ? AND seq = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, state);
	store_bind_str(st, 2, now);
	store_bind_str(st, 3, detail);
	sqlite3_bind_int64(st, 4, job_id);
	sqlite3_bind_int64(st, 5, seq);
	return done(s, st, "journal step", e);
}

int deploy_keep(struct store *s, sqlite3_int64 job_id, const char *name, const char *arch,
		const char *version, const char *path, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "INSERT OR REPLACE INTO deploy_kept VALUES (?, ?, ?, ?, ?)", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, job_id);
	store_bind_str(st, 2, name);
	store_bind_str(st, 3, arch);
	store_bind_str(st, 4, version);
	store_bind_str(st, 5, path);
	return done(s, st, "record kept version", e);
}

struct iter {
	void *ctx;
	int (*row)(sqlite3_stmt *st, struct iter *it, struct err *e);
	union {
		kept_cb kept;
		deploy_job_cb job;
		deploy_step_cb step;
	} cb;
};

static int each_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;

	return it->row(st, it, e);
}

static int kept_row(sqlite3_stmt *st, struct iter *it, struct err *e)
{
	struct kept_row k = { col(st, 0), col(st, 1), col(st, 2), col(st, 3) };

	return it->cb.kept(&k, it->ctx, e);
}

int deploy_kept_list(struct store *s, sqlite3_int64 job_id, kept_cb cb, void *ctx,
		     struct err *e)
{
	struct iter it = { ctx, kept_row, { .kept = cb } };

	return store_each_id(s, "SELECT name, arch, version, path FROM deploy_kept WHERE job_id = ? "
			     "ORDER BY name, arch",
			     job_id, each_fn, &it, "read kept versions", e);
}

static int job_row(sqlite3_stmt *st, struct iter *it, struct err *e)
{
	struct deploy_job_row j = {
		sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		sqlite3_column_int64(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6),
		col(st, 7), col(st, 8), col(st, 9),
	};

	return it->cb.job(&j, it->ctx, e);
}

int deploy_job_list(struct store *s, sqlite3_int64 plan_id, deploy_job_cb cb, void *ctx,
		    struct err *e)
{
	struct iter it = { ctx, job_row, { .job = cb } };

	return store_each_id(s, "SELECT id, plan_id, plan_job_id, host, transport, state, step, "
			     "started_at, ended_at, reason FROM deploy_job WHERE ?1 = 0 OR "
			     "plan_id = ?1 ORDER BY id",
			     plan_id, each_fn, &it, "read deploy jobs", e);
}

static int step_row(sqlite3_stmt *st, struct iter *it, struct err *e)
{
	struct deploy_step_row r = { sqlite3_column_int64(st, 0), col(st, 1), col(st, 2),
				     col(st, 3), col(st, 4), col(st, 5) };

	return it->cb.step(&r, it->ctx, e);
}

int deploy_step_list(struct store *s, sqlite3_int64 job_id, deploy_step_cb cb, void *ctx,
		     struct err *e)
{
	struct iter it = { ctx, step_row, { .step = cb } };

	return store_each_id(s, "SELECT seq, step, state, started_at, ended_at, detail FROM "
			     "deploy_step WHERE job_id = ? ORDER BY seq",
			     job_id, each_fn, &it, "read steps", e);
}

int deploy_job_running(struct store *s, sqlite3_int64 id, bool *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	int rc;

	if (store_prepare(s, "SELECT count(*) FROM deploy_job WHERE id = ? AND state = 'running'",
			  &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = store_each(s, st, id_fn, &n, "read deploy jobs", e);
	*ret = n > 0;
	return rc;
}

struct get_ctx {
	deploy_job_cb cb;
	void *ctx;
	long n;
};

static int get_fn(const struct deploy_job_row *j, void *ctx, struct err *e)
{
	struct get_ctx *g = ctx;

	g->n++;
	return g->cb(j, g->ctx, e);
}

int deploy_job_get(struct store *s, sqlite3_int64 id, deploy_job_cb cb, void *ctx,
		   struct err *e)
{
	struct get_ctx g = { cb, ctx, 0 };
	struct iter it = { &g, job_row, { .job = get_fn } };
	int rc;

	rc = store_each_id(s, "SELECT id, plan_id, plan_job_id, host, transport, state, step, "
			   "started_at, ended_at, reason FROM deploy_job WHERE id = ?",
			   id, each_fn, &it, "read deploy jobs", e);
	if (!rc && !g.n)
		rc = err_set(e, ERR_INPUT, "no deploy job %lld (see 'hfx deploy status')",
			     (long long)id);
	return rc;
}

int deploy_job_failed(struct store *s, sqlite3_int64 id, bool *ret, struct err *e)
{
	sqlite3_int64 n = 0;
	int rc;

	rc = store_each_id(s, "SELECT count(*) FROM deploy_job WHERE id = ? AND state IN "
			   "('failed', 'rolled-back', 'rollback-failed')",
			   id, id_fn, &n, "read deploy jobs", e);
	*ret = n > 0;
	return rc;
}

int deploy_jobs_done_for(struct store *s, const char *host, sqlite3_int64 min_plan,
			 deploy_job_cb cb, void *ctx, struct err *e)
{
	struct iter it = { ctx, job_row, { .job = cb } };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT id, plan_id, plan_job_id, host, transport, state, step, "
			  "started_at, ended_at, reason FROM deploy_job WHERE host = ? AND "
			  "state = 'done' AND plan_id >= ? ORDER BY id DESC", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, host);
	sqlite3_bind_int64(st, 2, min_plan);
	return store_each(s, st, each_fn, &it, "read deploy jobs", e);
}

struct ids {
	sqlite3_int64 *ids;
	size_t max, n;
};

static int ids_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct ids *v = ctx;

	(void)e;
	if (v->n < v->max)
		v->ids[v->n++] = sqlite3_column_int64(st, 0);
	return 0;
}

int deploy_pending_plans(struct store *s, sqlite3_int64 *ret, size_t max, size_t *ret_n,
			 struct err *e)
{
	struct ids v = { ret, max, 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT DISTINCT p.id FROM plan p JOIN plan_job j ON j.plan_id = p.id "
			  "LEFT JOIN deploy_job d ON d.plan_job_id = j.id WHERE p.state = 'approved' "
			  "AND (d.id IS NULL OR d.state = 'running') ORDER BY p.id", &st, e))
		return ERR_DB;
	rc = store_each(s, st, ids_fn, &v, "read plans to deploy", e);
	*ret_n = v.n;
	return rc;
}
