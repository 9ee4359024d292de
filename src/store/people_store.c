/* People's roles in the store; see people_store.h. */
#include "store/people_store.h"

#include <sqlite3.h>

int role_grant(struct store *s, const char *person, enum role r, const char *by,
	       struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT OR IGNORE INTO person_role VALUES (?, ?, ?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, person);
	store_bind_str(st, 2, role_name(r));
	store_bind_str(st, 3, by);
	store_bind_str(st, 4, now);
	rc = store_step_done(s, st, "grant role", e);
	sqlite3_finalize(st);
	return rc;
}

int role_revoke(struct store *s, const char *person, enum role r, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "DELETE FROM person_role WHERE person = ? AND role = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, person);
	store_bind_str(st, 2, role_name(r));
	rc = store_step_done(s, st, "revoke role", e);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = err_set(e, ERR_INPUT, "'%s' holds no %s grant (see 'hfx role list')", person,
			     role_name(r));
	return rc;
}

static int int_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	(void)e;
	*(int *)ctx = sqlite3_column_int(st, 0);
	return 0;
}

int role_of(struct store *s, const char *person, enum role *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int best = ROLE_VIEWER, rc;

	if (store_prepare(s, "SELECT coalesce(max(CASE role WHEN 'admin' THEN 3 "
			  "WHEN 'approver' THEN 2 WHEN 'operator' THEN 1 ELSE 0 END), 0) "
			  "FROM person_role WHERE person = ?", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, person);
	rc = store_each(s, st, int_fn, &best, "read roles", e);
	if (!rc)
		*ret = (enum role)best;
	return rc;
}

int role_admin_exists(struct store *s, bool *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int n = 0, rc;

	if (store_prepare(s, "SELECT count(*) FROM person_role WHERE role = 'admin'", &st, e))
		return ERR_DB;
	rc = store_each(s, st, int_fn, &n, "read roles", e);
	if (!rc)
		*ret = n > 0;
	return rc;
}

struct role_iter {
	role_cb cb;
	void *ctx;
};

static int role_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct role_iter *it = ctx;
	struct role_row r = {
		(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
	};

	return it->cb(&r, it->ctx, e);
}

int role_list(struct store *s, role_cb cb, void *ctx, struct err *e)
{
	struct role_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT person, role, granted_by, granted_at FROM person_role "
			  "ORDER BY person, CASE role WHEN 'admin' THEN 3 WHEN 'approver' THEN 2 "
			  "WHEN 'operator' THEN 1 ELSE 0 END DESC", &st, e))
		return ERR_DB;
	return store_each(s, st, role_row_fn, &it, "list roles", e);
}
