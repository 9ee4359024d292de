/* Plans in the store; see plan_store.h. */
#include "store/plan_store.h"

#include <string.h>

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* One callback of any row type, with its context. */
struct iter {
	union {
		candidate_cb candidate;
		plan_info_cb info;
		job_cb job;
		package_cb package;
		exception_cb exception;
	} cb;
	void *ctx;
	long rows;
};

static int candidate_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct candidate_row r = {
		.host_id = sqlite3_column_int64(st, 0),
		.advisory_id = sqlite3_column_int64(st, 1),
		.advisory = col(st, 2), .aliases = col(st, 3) ? col(st, 3) : "",
		.package = col(st, 4), .version = col(st, 5), .fixed_version = col(st, 6),
		.by_source = sqlite3_column_int(st, 7) != 0,
		.priority = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8),
		.due = col(st, 9),
	};

	return it->cb.candidate(&r, it->ctx, e);
}

int plan_candidates(struct store *s, bool decided_only, candidate_cb cb, void *ctx,
		    struct err *e)
{
	struct iter it = { .cb.candidate = cb, .ctx = ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "WITH al(id, aliases) AS MATERIALIZED (SELECT advisory_id, "
			  "group_concat(alias, ' ') FROM (SELECT advisory_id, alias FROM "
			  "advisory_alias WHERE alias LIKE 'CVE-%' ORDER BY advisory_id, alias) "
			  "GROUP BY advisory_id) "
			  "SELECT f.host_id, f.advisory_id, a.name, al.aliases, f.package, f.version, "
			  "f.fixed_version, f.by_source, f.priority, f.due FROM finding f "
			  "JOIN advisory a ON a.id = f.advisory_id LEFT JOIN al ON al.id = a.id "
			  "WHERE f.resolved_at IS NULL AND f.fixed_version IS NOT NULL AND (NOT ?1 OR "
			  "f.advisory_id IN (SELECT id FROM advisory WHERE name IN (SELECT subject "
			  "FROM decision WHERE state = 'active' AND action IN ('approve', 'expedite')) "
			  "UNION SELECT advisory_id FROM advisory_alias WHERE alias IN (SELECT subject "
			  "FROM decision WHERE state = 'active' AND action IN ('approve', 'expedite')))) "
			  "ORDER BY f.host_id, f.package, a.name", &st, e))
		return ERR_DB;
	sqlite3_bind_int(st, 1, decided_only);
	return store_each(s, st, candidate_fn, &it, "read findings", e);
}

int binary_reader_init(struct binary_reader *r, struct store *s, struct err *e)
{
	*r = (struct binary_reader){ .s = s };
	return store_prepare(s, "SELECT name, arch, version, source FROM host_package "
			     "WHERE host_id = ?1 AND ((?4 AND source = ?2 AND source_version = ?3) "
			     "OR (NOT ?4 AND name = ?2 AND version = ?3)) ORDER BY name, arch",
			     &r->st, e) ? ERR_DB : 0;
}

void binary_reader_release(struct binary_reader *r)
{
	sqlite3_finalize(r->st);
	r->st = NULL;
}

int binary_reader_each(struct binary_reader *r, sqlite3_int64 host_id, const char *package,
		       const char *version, bool by_source, binary_cb cb, void *ctx,
		       struct err *e)
{
	int rc;

	sqlite3_bind_int64(r->st, 1, host_id);
	store_bind_str(r->st, 2, package);
	store_bind_str(r->st, 3, version);
	sqlite3_bind_int(r->st, 4, by_source);
	while ((rc = sqlite3_step(r->st)) == SQLITE_ROW) {
		struct binary_row b = { col(r->st, 0), col(r->st, 1), col(r->st, 2), col(r->st, 3) };

		rc = cb(&b, ctx, e);
		if (rc)
			break;
	}
	sqlite3_reset(r->st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : store_fail(r->s, "read packages", e);
}

int plan_writer_begin(struct plan_writer *w, struct store *s, const struct plan_new *p,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	*w = (struct plan_writer){ .s = s };
	store_now(now);
	if (store_prepare(s, "INSERT INTO plan (created_at, created_by, start, horizon_days, "
			  "only_advisories, policy_digest, state) VALUES (?, ?, ?, ?, ?, ?, 'draft')",
			  &st, e))
		return ERR_DB;
	store_bind_str(st, 1, now);
	store_bind_str(st, 2, p->created_by);
	store_bind_str(st, 3, p->start);
	sqlite3_bind_int(st, 4, p->horizon_days);
	store_bind_str(st, 5, p->only);
	store_bind_str(st, 6, p->policy_digest);
	rc = store_step_done(s, st, "create plan", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	w->plan_id = sqlite3_last_insert_rowid(s->db);
	if (store_prepare(s, "INSERT INTO plan_job (plan_id, host, ring, wave, start, end, reboot, "
			  "emergency, due, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &w->job, e) ||
	    store_prepare(s, "INSERT INTO plan_package VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &w->pkg,
			  e) ||
	    store_prepare(s, "INSERT INTO plan_exception VALUES (?, ?, ?, ?, ?)", &w->exc, e)) {
		plan_writer_release(w);
		return ERR_DB;
	}
	return 0;
}

void plan_writer_release(struct plan_writer *w)
{
	sqlite3_finalize(w->job);
	sqlite3_finalize(w->pkg);
	sqlite3_finalize(w->exc);
	w->job = w->pkg = w->exc = NULL;
}

int plan_writer_job(struct plan_writer *w, const struct job_new *j, struct err *e)
{
	sqlite3_stmt *st = w->job;
	int rc;

	sqlite3_bind_int64(st, 1, w->plan_id);
	store_bind_str(st, 2, j->host);
	store_bind_str(st, 3, j->ring);
	sqlite3_bind_int(st, 4, j->wave);
	store_bind_str(st, 5, j->start);
	store_bind_str(st, 6, j->end);
	sqlite3_bind_int(st, 7, j->reboot);
	sqlite3_bind_int(st, 8, j->emergency);
	store_bind_str(st, 9, j->due);
	sqlite3_bind_int(st, 10, j->late);
	rc = store_step_done(w->s, st, "save job", e);
	if (!rc)
		w->job_id = sqlite3_last_insert_rowid(w->s->db);
	return rc;
}

int plan_writer_package(struct plan_writer *w, const char *name, const char *arch,
			const char *from, const char *to, const char *source,
			const char *advisories, const char *rollback, struct err *e)
{
	sqlite3_stmt *st = w->pkg;
	const char *v[] = { name, arch, from, to, source, advisories, rollback };

	sqlite3_bind_int64(st, 1, w->job_id);
	for (int i = 0; i < 7; i++)
		store_bind_str(st, i + 2, v[i]);
	return store_step_done(w->s, st, "save package", e);
}

int plan_writer_exception(struct plan_writer *w, const char *host, const char *reason,
			  const char *earliest, const char *due, struct err *e)
{
	sqlite3_stmt *st = w->exc;

	sqlite3_bind_int64(st, 1, w->plan_id);
	store_bind_str(st, 2, host);
	store_bind_str(st, 3, reason);
	store_bind_str(st, 4, earliest);
	store_bind_str(st, 5, due);
	return store_step_done(w->s, st, "save exception", e);
}

static int info_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct plan_info p = {
		.id = sqlite3_column_int64(st, 0), .created_at = col(st, 1),
		.created_by = col(st, 2), .start = col(st, 3),
		.horizon_days = sqlite3_column_int(st, 4), .only = col(st, 5),
		.policy_digest = col(st, 6), .state = col(st, 7), .approved_by = col(st, 8),
		.approved_at = col(st, 9),
	};

	it->rows++;
	return it->cb.info(&p, it->ctx, e);
}

#define PLAN_COLUMNS "SELECT id, created_at, created_by, start, horizon_days, " \
	"only_advisories, policy_digest, state, approved_by, approved_at FROM plan "

static int plans(struct store *s, sqlite3_int64 id, plan_info_cb cb, void *ctx,
		 struct err *e)
{
	struct iter it = { .cb.info = cb, .ctx = ctx };
	int rc;

	rc = store_each_id(s, PLAN_COLUMNS "WHERE ?1 = 0 OR id = ?1 ORDER BY id",
			   id, info_fn, &it, "read plans", e);
	if (!rc && id && !it.rows)
		rc = err_set(e, ERR_INPUT, "no plan %lld (see 'hfx plan list')", (long long)id);
	return rc;
}

int plan_get(struct store *s, sqlite3_int64 id, plan_info_cb cb, void *ctx, struct err *e)
{
	return plans(s, id > 0 ? id : -1, cb, ctx, e);
}

int plan_list(struct store *s, plan_info_cb cb, void *ctx, struct err *e)
{
	return plans(s, 0, cb, ctx, e);
}

int plan_set_approved(struct store *s, sqlite3_int64 id, const char *by, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "UPDATE plan SET state = 'approved', approved_by = ?, "
			  "approved_at = ? WHERE id = ? AND state = 'draft'", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, by);
	store_bind_str(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	rc = store_step_done(s, st, "approve plan", e);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = err_set(e, ERR_INPUT, "plan %lld is not a draft (already approved, or no such "
			     "plan): an approved plan never changes; 'hfx plan create' makes a new one",
			     (long long)id);
	return rc;
}

static int job_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct job_row j = {
		.id = sqlite3_column_int64(st, 0), .host = col(st, 1), .ring = col(st, 2),
		.wave = sqlite3_column_int(st, 3), .start = col(st, 4), .end = col(st, 5),
		.reboot = sqlite3_column_int(st, 6) != 0, .emergency = sqlite3_column_int(st, 7) != 0,
		.due = col(st, 8), .late = sqlite3_column_int(st, 9) != 0,
	};

	return it->cb.job(&j, it->ctx, e);
}

int plan_jobs(struct store *s, sqlite3_int64 plan_id, job_cb cb, void *ctx, struct err *e)
{
	struct iter it = { .cb.job = cb, .ctx = ctx };

	return store_each_id(s, "SELECT id, host, ring, wave, start, end, reboot, emergency, due, "
			     "late FROM plan_job WHERE plan_id = ? ORDER BY wave, start, host",
			     plan_id, job_fn, &it, "read jobs", e);
}

static int package_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct package_row p = { col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
				 col(st, 5), col(st, 6) };

	return it->cb.package(&p, it->ctx, e);
}

int plan_packages(struct store *s, sqlite3_int64 job_id, package_cb cb, void *ctx,
		  struct err *e)
{
	struct iter it = { .cb.package = cb, .ctx = ctx };

	return store_each_id(s, "SELECT name, arch, from_version, to_version, source, advisories, "
			     "rollback FROM plan_package WHERE job_id = ? ORDER BY name, arch",
			     job_id, package_fn, &it, "read packages", e);
}

static int exception_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct exception_row x = { col(st, 0), col(st, 1), col(st, 2), col(st, 3) };

	return it->cb.exception(&x, it->ctx, e);
}

int plan_exceptions(struct store *s, sqlite3_int64 plan_id, exception_cb cb, void *ctx,
		    struct err *e)
{
	struct iter it = { .cb.exception = cb, .ctx = ctx };

	return store_each_id(s, "SELECT host, reason, earliest, due FROM plan_exception "
			     "WHERE plan_id = ? ORDER BY host",
			     plan_id, exception_fn, &it, "read exceptions", e);
}
