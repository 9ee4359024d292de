/* Opening, migrating and transactions of the SQLite store; see store.h. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/schema.h"

int store_schema_version(void)
{
	return (int)schema_migration_count();
}

int store_fail(struct store *s, const char *what, struct err *e)
{
	return err_set(e, ERR_DB, "database '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		err_set(e, ERR_DB, "database '%s': %s", s->path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return ERR_DB;
	}
	return 0;
}

int store_prepare(struct store *s, const char *sql, sqlite3_stmt **ret, struct err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, ret, NULL) != SQLITE_OK)
		return store_fail(s, "prepare", e);
	return 0;
}

int store_bind_text(sqlite3_stmt *st, int col, const char *str, size_t len)
{
	if (!str)
		return sqlite3_bind_null(st, col);
	return sqlite3_bind_text(st, col, str, (int)len, SQLITE_TRANSIENT);
}

int store_bind_str(sqlite3_stmt *st, int col, const char *str)
{
	return store_bind_text(st, col, str, str ? strlen(str) : 0);
}

void store_copy_col(sqlite3_stmt *st, int col, char *ret, size_t len)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(ret, len, "%s", v ? v : "");
}

int store_each(struct store *s, sqlite3_stmt *st, store_row_fn fn, void *ctx,
	       const char *what, struct err *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = fn(st, ctx, e);
		if (rc)
			break;
	}
	if (rc != SQLITE_DONE && rc >= 0)
		rc = store_fail(s, what, e);
	else if (rc == SQLITE_DONE)
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int store_each_id(struct store *s, const char *sql, sqlite3_int64 id, store_row_fn fn,
		  void *ctx, const char *what, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, sql, &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	return store_each(s, st, fn, ctx, what, e);
}

int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, what, e);
	return 0;
}

int store_begin(struct store *s, struct err *e)
{
	if (s->depth++ > 0)
		return 0;
	if (store_exec(s, "BEGIN IMMEDIATE", e)) {
		s->depth = 0;
		return ERR_DB;
	}
	return 0;
}

int store_commit(struct store *s, struct err *e)
{
	if (s->depth == 0 || --s->depth > 0)
		return 0;
	return store_exec(s, "COMMIT", e);
}

void store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	s->depth = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(struct store *s, int *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "PRAGMA user_version", &st, e))
		return ERR_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "read schema version", e);
}

static int migrate(struct store *s, int from, struct err *e)
{
	char sql[64];
	int rc;

	for (size_t v = (size_t)from; v < schema_migration_count(); v++) {
		rc = store_begin(s, e);
		if (!rc)
			rc = store_exec(s, schema_migration(v), e);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", v + 1);
		if (!rc)
			rc = store_exec(s, sql, e);
		if (!rc)
			rc = store_commit(s, e);
		if (rc) {
			store_rollback(s);
			return err_prefix(e, rc, "migration to schema version %zu", v + 1);
		}
	}
	return 0;
}

static int check_version(struct store *s, bool create, struct err *e)
{
	int have = 0, want = store_schema_version();

	if (user_version(s, &have, e))
		return ERR_DB;
	if (have > want)
		return err_set(e, ERR_STATE, "database '%s' has schema version %d, newer than "
			       "this hfx knows (%d): use a newer hfx", s->path, have, want);
	if (have < want && !create)
		return err_set(e, ERR_STATE, "database '%s' has schema version %d, this hfx "
			       "needs %d: run 'hfx init' to migrate it", s->path, have, want);
	return have < want ? migrate(s, have, e) : 0;
}

/* Before any connection: SQLite's memory statistics take a global mutex
 * on every allocation, which serialises the scan's worker threads. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int configure(struct store *s, struct err *e)
{
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	return store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
			  "PRAGMA synchronous = NORMAL;", e);
}

int store_open(const char *path, bool create, struct store **ret, struct err *e)
{
	struct store *s = NULL;
	struct stat sb;
	int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, sqlite_setup);
	if (!create && stat(path, &sb) != 0)
		return err_set(e, ERR_STATE, "no database at '%s': run 'hfx init' first "
			       "(or pass --db PATH / set HFX_DB)", path);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		rc = err_set(e, ERR_DB, "cannot open database '%s': %s", path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto out;
	}
	rc = configure(s, e);
	if (!rc)
		rc = check_version(s, create, e);
out:
	if (rc) {
		store_close(s);
		return rc;
	}
	*ret = s;
	return 0;
}

int store_open_reader(const struct store *s, struct store **ret, struct err *e)
{
	struct store *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		return err_set(e, ERR_NOMEM, "out of memory");
	snprintf(r->path, sizeof(r->path), "%s", s->path);
	if (sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = err_set(e, ERR_DB, "cannot open database '%s': %s", r->path,
			     r->db ? sqlite3_errmsg(r->db) : "out of memory");
		store_close(r);
		return rc;
	}
	sqlite3_busy_timeout(r->db, 10000);
	*ret = r;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_rollback(s);
	sqlite3_close_v2(s->db);
	free(s);
}

void store_now(char ret[32])
{
	const char *fixed = getenv("HFX_NOW");
	time_t t = time(NULL);
	struct tm tm;

	if (fixed && strlen(fixed) < 32) {
		snprintf(ret, 32, "%s", fixed);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(ret, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
