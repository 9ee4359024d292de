/* The candidates of each notification trigger and the keys delivered; see
 * notify_store.h. */
#include "store/notify_store.h"

#include <string.h>

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int int_or(sqlite3_stmt *st, int i, int none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int(st, i);
}

/* The states of a job that failed, as deploy_job_failed() counts them. */
#define FAILED_STATES "('failed', 'rolled-back', 'rollback-failed')"

struct adv_iter {
	notify_advisory_cb cb;
	void *ctx;
};

static int advisory_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct adv_iter *it = ctx;
	const char *sent = col(st, 9);
	size_t n = sent ? strlen(sent) : 0;
	struct notify_advisory_row r = {
		.name = col(st, 0),
		.priority = int_or(st, 1, -1),
		.nhosts = sqlite3_column_int(st, 2),
		.due = col(st, 3),
		.cve = col(st, 4),
		.summary = col(st, 5),
		.kev = sqlite3_column_int(st, 6) != 0,
		.announced = sqlite3_column_int(st, 7) != 0,
		.hosts = col(st, 8) ? col(st, 8) : "",
		/* "priority:NAME:N": the highest key of the range is the highest N */
		.sent_priority = n && sent[n - 1] >= '0' && sent[n - 1] <= '3' ? sent[n - 1] - '0'
									: -1,
	};

	return it->cb(&r, it->ctx, e);
}

int notify_advisories(struct store *s, notify_advisory_cb cb, void *ctx, struct err *e)
{
	struct adv_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/* One pass over the open findings, grouped; the lookups per advisory
	 * go through primary keys. The delivered priority keys of NAME are the
	 * range between "priority:NAME:" and "priority:NAME;" (';' follows
	 * ':'), so the primary key finds them without LIKE and its escapes. */
	if (store_prepare(s, "SELECT a.name, MAX(f.priority), COUNT(DISTINCT f.host_id), "
			  "MIN(f.due), "
			  "(SELECT MIN(alias) FROM advisory_alias WHERE advisory_id = a.id "
			  "  AND alias LIKE 'CVE-%'), r.summary, "
			  "EXISTS (SELECT 1 FROM advisory_alias al JOIN kev k ON k.cve = al.alias "
			  "  WHERE al.advisory_id = a.id), "
			  "EXISTS (SELECT 1 FROM notify_sent WHERE key = 'new:' || a.name), "
			  "group_concat(DISTINCT h.name), "
			  "(SELECT MAX(key) FROM notify_sent WHERE key > 'priority:' || a.name || ':' "
			  "  AND key < 'priority:' || a.name || ';') "
			  "FROM finding f JOIN advisory a ON a.id = f.advisory_id "
			  "JOIN host h ON h.id = f.host_id "
			  "LEFT JOIN advisory_rev r ON r.id = a.current_rev "
			  "WHERE f.resolved_at IS NULL GROUP BY a.id "
			  "ORDER BY MAX(f.priority) DESC, MIN(f.due), a.name", &st, e))
		return ERR_DB;
	return store_each(s, st, advisory_fn, &it, "read the advisories of open findings", e);
}

struct finding_iter {
	notify_finding_cb cb;
	void *ctx;
};

static int finding_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct finding_iter *it = ctx;
	struct notify_finding_row r = {
		.id = sqlite3_column_int64(st, 0),
		.advisory = col(st, 1),
		.cve = col(st, 2),
		.host = col(st, 3),
		.package = col(st, 4),
		.due = col(st, 5),
		.priority = int_or(st, 6, -1),
		.reopened = col(st, 7),
		.reason = col(st, 8),
		.host_id = sqlite3_column_int64(st, 9),
		.aliases = col(st, 10),
	};

	return it->cb(&r, it->ctx, e);
}

/* The columns finding_fn reads, and the joins they need. */
#define FINDING_COLUMNS \
	"SELECT f.id, a.name, (SELECT MIN(alias) FROM advisory_alias WHERE advisory_id = a.id " \
	"  AND alias LIKE 'CVE-%'), h.name, f.package, f.due, f.priority, f.reopened, " \
	"f.reopen_reason, f.host_id, (SELECT group_concat(alias, ' ') FROM advisory_alias " \
	"  WHERE advisory_id = a.id AND alias LIKE 'CVE-%') " \
	"FROM finding f JOIN advisory a ON a.id = f.advisory_id " \
	"JOIN host h ON h.id = f.host_id "
#define FINDING_ORDER " ORDER BY f.priority DESC, f.due, h.name, f.package, a.name"

int notify_overdue(struct store *s, const char *today, int min_priority, notify_finding_cb cb,
		   void *ctx, struct err *e)
{
	struct finding_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, FINDING_COLUMNS
			  "WHERE f.resolved_at IS NULL AND f.due < ?1 "
			  "AND (f.priority IS NULL OR f.priority >= ?2) "
			  "AND NOT EXISTS (SELECT 1 FROM notify_sent WHERE key = 'overdue:' || f.id)"
			  FINDING_ORDER, &st, e))
		return ERR_DB;
	store_bind_str(st, 1, today);
	sqlite3_bind_int(st, 2, min_priority);
	return store_each(s, st, finding_fn, &it, "read overdue findings", e);
}

int notify_reopened(struct store *s, int min_priority, notify_finding_cb cb, void *ctx,
		    struct err *e)
{
	struct finding_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, FINDING_COLUMNS
			  "WHERE f.resolved_at IS NULL AND f.reopened IS NOT NULL "
			  "AND (f.priority IS NULL OR f.priority >= ?1)" FINDING_ORDER, &st, e))
		return ERR_DB;
	sqlite3_bind_int(st, 1, min_priority);
	return store_each(s, st, finding_fn, &it, "read reopened findings", e);
}

struct job_iter {
	notify_job_cb cb;
	void *ctx;
};

static int job_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct job_iter *it = ctx;
	struct notify_job_row r = {
		.id = sqlite3_column_int64(st, 0),
		.plan_id = sqlite3_column_int64(st, 1),
		.wave = sqlite3_column_int(st, 2),
		.host = col(st, 3),
		.ring = col(st, 4),
		.state = col(st, 5),
		.reason = col(st, 6),
		.ended_at = col(st, 7),
	};

	return it->cb(&r, it->ctx, e);
}

int notify_failed_jobs(struct store *s, notify_job_cb cb, void *ctx, struct err *e)
{
	struct job_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT d.id, d.plan_id, pj.wave + 1, d.host, pj.ring, d.state, "
			  "d.reason, d.ended_at FROM deploy_job d "
			  "JOIN plan_job pj ON pj.id = d.plan_job_id "
			  "WHERE d.state IN " FAILED_STATES " AND NOT EXISTS (SELECT 1 FROM "
			  "notify_sent WHERE key = 'deploy:' || d.id || ':' || d.state) "
			  "ORDER BY d.id", &st, e))
		return ERR_DB;
	return store_each(s, st, job_fn, &it, "read failed deploy jobs", e);
}

struct wave_iter {
	notify_wave_cb cb;
	void *ctx;
};

static int wave_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct wave_iter *it = ctx;
	struct notify_wave_row r = {
		.plan_id = sqlite3_column_int64(st, 0),
		.wave = sqlite3_column_int(st, 1),
		.ring = col(st, 2) ? col(st, 2) : "",
		.failed = sqlite3_column_int(st, 3),
		.jobs = sqlite3_column_int(st, 4),
	};

	return it->cb(&r, it->ctx, e);
}

int notify_failed_waves(struct store *s, notify_wave_cb cb, void *ctx, struct err *e)
{
	struct wave_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/* A wave is one ring's jobs (plan/schedule.c), so MIN(ring) is its ring. */
	if (store_prepare(s, "SELECT pj.plan_id, pj.wave + 1, MIN(pj.ring), "
			  "SUM(d.state IN " FAILED_STATES "), COUNT(*) "
			  "FROM plan_job pj LEFT JOIN deploy_job d ON d.plan_job_id = pj.id "
			  "GROUP BY pj.plan_id, pj.wave "
			  "HAVING SUM(d.state IN " FAILED_STATES ") > 0 AND NOT EXISTS (SELECT 1 "
			  "FROM notify_sent WHERE key = 'halt:' || pj.plan_id || ':' || (pj.wave + 1)) "
			  "ORDER BY pj.plan_id, pj.wave", &st, e))
		return ERR_DB;
	return store_each(s, st, wave_fn, &it, "read the waves of failed deploy jobs", e);
}

static int found_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	(void)st;
	(void)e;
	*(bool *)ctx = true;
	return 0;
}

int notify_is_sent(struct store *s, const char *key, bool *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	int rc;

	if (store_prepare(s, "SELECT 1 FROM notify_sent WHERE key = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, key);
	rc = store_each(s, st, found_fn, &found, "read notify_sent", e);
	if (!rc)
		*ret = found;
	return rc;
}

int notify_mark_sent(struct store *s, const char *key, const char *time, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "INSERT OR IGNORE INTO notify_sent (key, sent_at) VALUES (?, ?)", &st,
			  e))
		return ERR_DB;
	store_bind_str(st, 1, key);
	store_bind_str(st, 2, time);
	rc = store_step_done(s, st, "record a notification as sent", e);
	sqlite3_finalize(st);
	return rc;
}
