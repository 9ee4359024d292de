/* KEV, EPSS, import log and download validators; see feed_store.h. */
#include "store/feed_store.h"

#include <stdio.h>
#include <string.h>

static int upserter_init(struct upserter *u, struct store *s, const char *exists,
			 const char *put, struct err *e)
{
	*u = (struct upserter){ .s = s };
	if (store_prepare(s, exists, &u->exists, e) || store_prepare(s, put, &u->put, e)) {
		upserter_release(u);
		return ERR_DB;
	}
	return 0;
}

void upserter_release(struct upserter *u)
{
	sqlite3_finalize(u->exists);
	sqlite3_finalize(u->put);
	*u = (struct upserter){ 0 };
}

/* Runs the prepared upsert; the key is bound to u->exists at column 1. */
static int upsert_run(struct upserter *u, const char *key, enum upsert_result *ret,
		      struct err *e)
{
	bool existed;
	int rc;

	store_bind_str(u->exists, 1, key);
	rc = sqlite3_step(u->exists);
	sqlite3_reset(u->exists);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(u->s, "look up", e);
	existed = rc == SQLITE_ROW;
	if (store_step_done(u->s, u->put, "upsert", e))
		return ERR_DB;
	if (!existed)
		*ret = UPSERT_NEW;
	else
		*ret = sqlite3_changes(u->s->db) ? UPSERT_CHANGED : UPSERT_UNCHANGED;
	return 0;
}

int kev_upserter_init(struct upserter *u, struct store *s, struct err *e)
{
	return upserter_init(u, s, "SELECT 1 FROM kev WHERE cve = ?",
		"INSERT INTO kev VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		"ON CONFLICT (cve) DO UPDATE SET date_added = ?2, due_date = ?3, "
		"vendor = ?4, product = ?5, name = ?6, ransomware = ?7 "
		"WHERE date_added IS NOT ?2 OR due_date IS NOT ?3 OR vendor IS NOT ?4 "
		"OR product IS NOT ?5 OR name IS NOT ?6 OR ransomware IS NOT ?7", e);
}

int kev_upsert(struct upserter *u, const struct kev_row *row, enum upsert_result *ret,
	       struct err *e)
{
	store_bind_str(u->put, 1, row->cve);
	store_bind_str(u->put, 2, row->date_added);
	store_bind_str(u->put, 3, row->due_date);
	store_bind_str(u->put, 4, row->vendor);
	store_bind_str(u->put, 5, row->product);
	store_bind_str(u->put, 6, row->name);
	sqlite3_bind_int(u->put, 7, row->ransomware);
	return upsert_run(u, row->cve, ret, e);
}

int epss_upserter_init(struct upserter *u, struct store *s, struct err *e)
{
	return upserter_init(u, s, "SELECT 1 FROM epss WHERE cve = ?",
		"INSERT INTO epss VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (cve) DO UPDATE SET epss = ?2, percentile = ?3, score_date = ?4 "
		"WHERE epss IS NOT ?2 OR percentile IS NOT ?3 OR score_date IS NOT ?4", e);
}

int epss_upsert(struct upserter *u, const struct epss_score *row, enum upsert_result *ret,
		struct err *e)
{
	store_bind_str(u->put, 1, row->cve);
	sqlite3_bind_double(u->put, 2, row->epss);
	sqlite3_bind_double(u->put, 3, row->percentile);
	store_bind_str(u->put, 4, row->score_date);
	return upsert_run(u, row->cve, ret, e);
}

int feed_import_log(struct store *s, const char *format, const char *source,
		    const struct import_counts *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT INTO feed_import (time, format, source, new, updated, "
			  "withdrawn, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, now);
	store_bind_str(st, 2, format);
	store_bind_str(st, 3, source);
	sqlite3_bind_int64(st, 4, c->new_);
	sqlite3_bind_int64(st, 5, c->updated);
	sqlite3_bind_int64(st, 6, c->withdrawn);
	sqlite3_bind_int64(st, 7, c->unchanged + c->older);
	rc = store_step_done(s, st, "log import", e);
	sqlite3_finalize(st);
	return rc;
}

int feed_state_get(struct store *s, const char *url, char *ret_etag, size_t etag_len,
		   char *ret_last_modified, size_t lm_len, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT etag, last_modified FROM feed_state WHERE url = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, url);
	rc = sqlite3_step(st);
	ret_etag[0] = ret_last_modified[0] = '\0';
	if (rc == SQLITE_ROW) {
		store_copy_col(st, 0, ret_etag, etag_len);
		store_copy_col(st, 1, ret_last_modified, lm_len);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "read feed state", e);
	return 0;
}

int feed_state_set(struct store *s, const char *url, const char *etag,
		   const char *last_modified, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT OR REPLACE INTO feed_state VALUES (?, ?, ?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, url);
	store_bind_str(st, 2, etag && *etag ? etag : NULL);
	store_bind_str(st, 3, last_modified && *last_modified ? last_modified : NULL);
	store_bind_str(st, 4, now);
	rc = store_step_done(s, st, "save feed state", e);
	sqlite3_finalize(st);
	return rc;
}
