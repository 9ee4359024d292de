/*
 * The queries of the remediation report; see report_store.h. The
 * definitions they implement are in docs/REPORT.md, which quotes the
 * predicates below: keep the two in step.
 *
 * Every query starts from the same scoped view of the findings, with the
 * parameters ?1 now, ?2 today, ?3 the default ring, ?4 the group (NULL:
 * all) and, where a list is bounded, ?5 its limit.
 */
#include "store/report_store.h"

/* The findings of the hosts in scope, with the host's name, group and ring. */
#define SCOPED                                                                          \
	"WITH scoped AS (SELECT f.*, h.name AS host, h.grp AS grp, "                      \
	"  coalesce(h.ring, ?3) AS hring FROM finding f JOIN host h ON h.id = f.host_id " \
	"  WHERE ?4 IS NULL OR h.grp = ?4) "
/* Closed as fixed; findings closed before schema 7 have no resolution and
 * were all closed because the host no longer had an affected version. */
#define FIXED "(resolved_at IS NOT NULL AND coalesce(resolution, 'fixed') = 'fixed')"
#define WITHDRAWN "(resolved_at IS NOT NULL AND resolution = 'withdrawn')"
/* Seconds from first_seen to a time, never negative. */
#define SINCE_SEEN(t) "max(0, unixepoch(" t ") - unixepoch(first_seen))"

int report_read_begin(struct store *s, struct err *e)
{
	/* Deferred: a reader takes no write lock and blocks no scan. */
	return store_exec(s, "BEGIN DEFERRED", e);
}

void report_read_end(struct store *s)
{
	/* Nothing was written: ending the snapshot cannot lose anything. */
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

static int prepare_scoped(struct store *s, const char *sql, const struct report_scope *sc,
			  sqlite3_stmt **ret, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, sql, &st, e))
		return ERR_DB;
	if (store_bind_str(st, 1, sc->now) || store_bind_str(st, 2, sc->today) ||
	    store_bind_str(st, 3, sc->default_ring) || store_bind_str(st, 4, sc->group)) {
		sqlite3_finalize(st);
		return store_fail(s, "bind the report's scope", e);
	}
	*ret = st;
	return 0;
}

/* As prepare_scoped(), with ?5 the list's limit. */
static int prepare_limited(struct store *s, const char *sql, const struct report_scope *sc,
			   int limit, sqlite3_stmt **ret, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (prepare_scoped(s, sql, sc, &st, e))
		return ERR_DB;
	if (sqlite3_bind_int(st, 5, limit)) {
		sqlite3_finalize(st);
		return store_fail(s, "bind the report's limit", e);
	}
	*ret = st;
	return 0;
}

static long col_long(sqlite3_stmt *st, int col)
{
	return (long)sqlite3_column_int64(st, col);
}

int report_hosts(struct store *s, const struct report_scope *sc, long *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT count(*) FROM host WHERE ?1 IS NULL OR grp = ?1", &st, e))
		return ERR_DB;
	if (store_bind_str(st, 1, sc->group) || sqlite3_step(st) != SQLITE_ROW) {
		rc = store_fail(s, "count the hosts", e);
	} else {
		*ret = col_long(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

struct iter {
	union {
		report_open_cb open;
		report_closed_cb closed;
		report_share_cb share;
		report_overdue_cb overdue;
	} cb;
	void *ctx;
};

static int open_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct report_open_row r = {
		.priority = sqlite3_column_int(st, 0),
		.age = sqlite3_column_int(st, 1),
		.open = col_long(st, 2),
		.overdue = col_long(st, 3),
		.reissued = col_long(st, 4),
		.regressed = col_long(st, 5),
	};

	return it->cb.open(&r, it->ctx, e);
}

int report_open(struct store *s, const struct report_scope *sc, report_open_cb cb, void *ctx,
		struct err *e)
{
	struct iter it = { .cb = { .open = cb }, .ctx = ctx };
	sqlite3_stmt *st = NULL;

	/* Age in whole days, truncated: 7 days and 23 hours is 7. */
	if (prepare_scoped(s, SCOPED "SELECT coalesce(priority, -1), CASE WHEN age <= 7 THEN 0 "
			   "WHEN age <= 30 THEN 1 WHEN age <= 90 THEN 2 ELSE 3 END, count(*), "
			   "sum(due < ?2), sum(reopened = 'reissued'), sum(reopened = 'regressed') "
			   "FROM (SELECT priority, due, reopened, "
			   "  (unixepoch(?1) - unixepoch(first_seen)) / 86400 AS age "
			   "  FROM scoped WHERE resolved_at IS NULL) GROUP BY 1, 2 ORDER BY 1, 2",
			   sc, &st, e))
		return ERR_DB;
	return store_each(s, st, open_fn, &it, "count the open findings", e);
}

static int closed_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct report_closed_row r = {
		.priority = sqlite3_column_int(st, 0),
		.fixed = col_long(st, 1),
		.fixed_seconds = sqlite3_column_int64(st, 2),
		.withdrawn = col_long(st, 3),
		.exposure_seconds = sqlite3_column_int64(st, 4),
	};

	return it->cb.closed(&r, it->ctx, e);
}

int report_closed(struct store *s, const struct report_scope *sc, report_closed_cb cb,
		  void *ctx, struct err *e)
{
	struct iter it = { .cb = { .closed = cb }, .ctx = ctx };
	sqlite3_stmt *st = NULL;

	if (prepare_scoped(s, SCOPED "SELECT coalesce(priority, -1), sum(" FIXED "), "
			   "sum(CASE WHEN " FIXED " THEN " SINCE_SEEN("resolved_at") " END), "
			   "sum(" WITHDRAWN "), "
			   "sum(CASE WHEN resolved_at IS NULL THEN " SINCE_SEEN("?1") " "
			   "  WHEN " FIXED " THEN " SINCE_SEEN("resolved_at") " END) "
			   "FROM scoped GROUP BY 1 ORDER BY 1", sc, &st, e))
		return ERR_DB;
	return store_each(s, st, closed_fn, &it, "sum the closed findings", e);
}

static int share_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct report_share_row r = {
		.key = (const char *)sqlite3_column_text(st, 0),
		.eligible = col_long(st, 1),
		.within = col_long(st, 2),
	};

	return it->cb.share(&r, it->ctx, e);
}

/* Judged: a due date, and either fixed or that date passed while open. */
#define SHARES(key)                                                                       \
	SCOPED "SELECT " key ", count(*), "                                                \
	"sum(" FIXED " AND substr(resolved_at, 1, 10) <= due) FROM scoped "               \
	"WHERE due IS NOT NULL AND (" FIXED " OR (resolved_at IS NULL AND due < ?2)) "    \
	"GROUP BY 1 ORDER BY 1 LIMIT ?5"

int report_shares(struct store *s, const struct report_scope *sc, enum report_by by, int limit,
		  report_share_cb cb, void *ctx, struct err *e)
{
	static const char *const sql[] = {
		[REPORT_BY_GROUP] = SHARES("grp"),
		[REPORT_BY_RING] = SHARES("hring"),
		[REPORT_BY_ALL] = SHARES("''"),
	};
	struct iter it = { .cb = { .share = cb }, .ctx = ctx };
	sqlite3_stmt *st = NULL;

	if (prepare_limited(s, sql[by], sc, limit, &st, e))
		return ERR_DB;
	return store_each(s, st, share_fn, &it, "count the findings fixed within their due date",
			  e);
}

static int overdue_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct iter *it = ctx;
	struct report_overdue_row r = {
		.host = (const char *)sqlite3_column_text(st, 0),
		.group = (const char *)sqlite3_column_text(st, 1),
		.ring = (const char *)sqlite3_column_text(st, 2),
		.advisory = (const char *)sqlite3_column_text(st, 3),
		.package = (const char *)sqlite3_column_text(st, 4),
		.version = (const char *)sqlite3_column_text(st, 5),
		.fixed_version = (const char *)sqlite3_column_text(st, 6),
		.due = (const char *)sqlite3_column_text(st, 7),
		.first_seen = (const char *)sqlite3_column_text(st, 8),
		.priority = sqlite3_column_int(st, 9),
		.days_overdue = col_long(st, 10),
	};

	return it->cb.overdue(&r, it->ctx, e);
}

int report_overdue(struct store *s, const struct report_scope *sc, int limit,
		   report_overdue_cb cb, void *ctx, struct err *e)
{
	struct iter it = { .cb = { .overdue = cb }, .ctx = ctx };
	sqlite3_stmt *st = NULL;

	if (prepare_limited(s, SCOPED "SELECT o.host, o.grp, o.hring, a.name, o.package, "
			   "o.version, o.fixed_version, o.due, o.first_seen, coalesce(o.priority, -1), "
			   "CAST(julianday(?2) - julianday(o.due) AS INTEGER) "
			   "FROM scoped o JOIN advisory a ON a.id = o.advisory_id "
			   "WHERE o.resolved_at IS NULL AND o.due < ?2 "
			   "ORDER BY o.due, o.priority DESC, o.host, a.name, o.package, o.version "
			    "LIMIT ?5", sc, limit, &st, e))
		return ERR_DB;
	return store_each(s, st, overdue_fn, &it, "list the overdue findings", e);
}
