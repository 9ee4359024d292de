/* Ranking's reads and writes; see assess_store.h. */
#include "store/assess_store.h"

#include <string.h>

struct threat_iter {
	threat_cb cb;
	void *ctx;
};

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static int threat_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct threat_iter *it = ctx;
	struct threat_row r = {
		.advisory_id = sqlite3_column_int64(st, 0),
		.advisory = text(st, 1),
		.has_cvss = sqlite3_column_type(st, 2) != SQLITE_NULL,
		.cvss = sqlite3_column_double(st, 2),
		.cvss_vector = text(st, 3),
		.automatable = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1
			       : sqlite3_column_int(st, 4) != 0,
		.rating = text(st, 5),
		.kev_cve = text(st, 6),
		.kev_due = text(st, 7),
		.kev_added = text(st, 8),
		.epss_cve = text(st, 9),
		.epss = sqlite3_column_double(st, 10),
		.percentile = sqlite3_column_double(st, 11),
		.epss_date = text(st, 12),
	};

	return it->cb(&r, it->ctx, e);
}

int threat_list(struct store *s, sqlite3_int64 advisory_id, threat_cb cb, void *ctx,
		struct err *e)
{
	struct threat_iter it = { cb, ctx };

	return store_each_id(s, THREAT_SELECT("?1 = 0 OR a.id = ?1") " ORDER BY t.id",
			     advisory_id, threat_row_fn, &it, "read threat data", e);
}

struct context_iter {
	host_context_cb cb;
	void *ctx;
};

static const char *text_or_empty(sqlite3_stmt *st, int col)
{
	const char *v = text(st, col);

	return v ? v : "";
}

static int context_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct context_iter *it = ctx;
	struct host_context_row r = {
		.id = sqlite3_column_int64(st, 0),
		.name = text_or_empty(st, 1),
		.exposure = text_or_empty(st, 2),
		.criticality = text_or_empty(st, 3),
		.group = text_or_empty(st, 4),
		.ring = text_or_empty(st, 5),
		.tags = text_or_empty(st, 6),
		.window = text_or_empty(st, 7),
		.tz = text_or_empty(st, 8),
		.ecosystem = text_or_empty(st, 9),
	};

	return it->cb(&r, it->ctx, e);
}

int host_context_list(struct store *s, host_context_cb cb, void *ctx, struct err *e)
{
	struct context_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT id, name, exposure, criticality, grp, ring, tags, window, tz, "
			  "ecosystem FROM host ORDER BY id", &st, e))
		return ERR_DB;
	return store_each(s, st, context_row_fn, &it, "read hosts", e);
}

static int max_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	sqlite3_int64 *ret = ctx;

	(void)e;
	ret[0] = sqlite3_column_int64(st, 0);
	ret[1] = sqlite3_column_int64(st, 1);
	return 0;
}

int assess_max_ids(struct store *s, sqlite3_int64 *ret_advisory, sqlite3_int64 *ret_host,
		   struct err *e)
{
	sqlite3_int64 v[2] = { 0, 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT (SELECT coalesce(max(id), 0) FROM advisory), "
			  "(SELECT coalesce(max(id), 0) FROM host)", &st, e))
		return ERR_DB;
	rc = store_each(s, st, max_fn, v, "read ids", e);
	if (!rc) {
		*ret_advisory = v[0];
		*ret_host = v[1];
	}
	return rc;
}

int rank_store_init(struct rank_store *r, struct store *s, struct err *e)
{
	*r = (struct rank_store){ .s = s };
	if (store_prepare(s, "SELECT id, host_id, advisory_id, first_seen, priority, due, since "
			  "FROM finding WHERE host_id = ? AND resolved_at IS NULL", &r->open, e) ||
	    store_prepare(s, "UPDATE finding SET priority = ?, due = ?, since = ? WHERE id = ?",
			  &r->update, e)) {
		rank_store_release(r);
		return ERR_DB;
	}
	return 0;
}

void rank_store_release(struct rank_store *r)
{
	sqlite3_finalize(r->open);
	sqlite3_finalize(r->update);
	r->open = r->update = NULL;
}

int rank_store_host(struct rank_store *r, sqlite3_int64 host_id, rank_cb cb, void *ctx,
		    struct err *e)
{
	int rc;

	sqlite3_bind_int64(r->open, 1, host_id);
	while ((rc = sqlite3_step(r->open)) == SQLITE_ROW) {
		struct rank_row row = {
			.id = sqlite3_column_int64(r->open, 0),
			.host_id = sqlite3_column_int64(r->open, 1),
			.advisory_id = sqlite3_column_int64(r->open, 2),
			.first_seen = text(r->open, 3),
			.priority = sqlite3_column_type(r->open, 4) == SQLITE_NULL ? -1
				    : sqlite3_column_int(r->open, 4),
			.due = text(r->open, 5),
			.since = text(r->open, 6),
		};

		rc = cb(&row, ctx, e);
		if (rc)
			break;
	}
	sqlite3_reset(r->open);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : store_fail(r->s, "read findings", e);
}

int rank_store_put(struct rank_store *r, sqlite3_int64 id, int priority, const char *due,
		   const char *since, struct err *e)
{
	sqlite3_bind_int(r->update, 1, priority);
	store_bind_str(r->update, 2, due);
	store_bind_str(r->update, 3, since);
	sqlite3_bind_int64(r->update, 4, id);
	return store_step_done(r->s, r->update, "rank finding", e);
}

struct copy_to {
	char *buf;
	size_t len;
};

static int copy_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct copy_to *c = ctx;

	(void)e;
	store_copy_col(st, 0, c->buf, c->len);
	return 0;
}

int setting_get(struct store *s, const char *key, char *ret, size_t len, struct err *e)
{
	struct copy_to c = { ret, len };
	sqlite3_stmt *st = NULL;

	ret[0] = '\0';
	if (store_prepare(s, "SELECT value FROM setting WHERE key = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, key);
	return store_each(s, st, copy_fn, &c, "read setting", e);
}

int setting_put(struct store *s, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "INSERT OR REPLACE INTO setting VALUES (?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, key);
	store_bind_str(st, 2, value);
	rc = store_step_done(s, st, "save setting", e);
	sqlite3_finalize(st);
	return rc;
}

int rank_store_invalidate(struct store *s, struct err *e)
{
	return setting_put(s, RANK_DIGEST_SETTING, "", e);
}
