/* Decisions in the store; see decision_store.h. */
#include "store/decision_store.h"

int decision_insert(struct store *s, const struct decision_new *d, sqlite3_int64 *ret_id,
		    struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	long n;
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT INTO decision (subject, action, scope, until, reason, "
			  "justification, priority, required, state, decided_by, decided_at) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, d->subject);
	store_bind_str(st, 2, d->action);
	store_bind_str(st, 3, d->scope);
	store_bind_str(st, 4, d->until);
	store_bind_str(st, 5, d->reason);
	store_bind_str(st, 6, d->justification);
	sqlite3_bind_int(st, 7, d->priority);
	sqlite3_bind_int(st, 8, d->required);
	store_bind_str(st, 9, d->state);
	store_bind_str(st, 10, d->by);
	store_bind_str(st, 11, now);
	rc = store_step_done(s, st, "record decision", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return decision_add_approval(s, *ret_id, d->by, &n, e);
}

static int id_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	(void)e;
	*(sqlite3_int64 *)ctx = sqlite3_column_int64(st, 0);
	return 0;
}

int decision_find_pending(struct store *s, const char *subject, const char *action,
			  const char *scope, sqlite3_int64 *ret_id, struct err *e)
{
	sqlite3_stmt *st = NULL;

	*ret_id = 0;
	if (store_prepare(s, "SELECT id FROM decision WHERE subject = ? AND action = ? AND "
			  "scope = ? AND state = 'pending' ORDER BY id DESC LIMIT 1", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, subject);
	store_bind_str(st, 2, action);
	store_bind_str(st, 3, scope);
	return store_each(s, st, id_fn, ret_id, "find pending decision", e);
}

int decision_add_approval(struct store *s, sqlite3_int64 id, const char *person,
			  long *ret_approvals, struct err *e)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT OR IGNORE INTO decision_approval VALUES (?, ?, ?)", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	store_bind_str(st, 2, person);
	store_bind_str(st, 3, now);
	rc = store_step_done(s, st, "record approval", e);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) == 0)
		return err_set(e, ERR_INPUT, "%s already agreed to decision %lld: another approver "
			       "must agree", person, (long long)id);
	if (!rc && !store_prepare(s, "SELECT count(*) FROM decision_approval WHERE "
				  "decision_id = ?", &st, e)) {
		sqlite3_bind_int64(st, 1, id);
		rc = store_each(s, st, id_fn, &n, "count approvals", e);
	}
	*ret_approvals = (long)n;
	return rc;
}

int decision_activate(struct store *s, sqlite3_int64 id, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "UPDATE decision SET state = 'active' WHERE id = ?", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = store_step_done(s, st, "activate decision", e);
	sqlite3_finalize(st);
	return rc;
}

int decision_revoke(struct store *s, const char *subject, const char *scope, const char *by,
		    long *ret_n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "UPDATE decision SET state = 'revoked', revoked_by = ?, "
			  "revoked_at = ? WHERE subject = ? AND scope = ? AND state != 'revoked'",
			  &st, e))
		return ERR_DB;
	store_bind_str(st, 1, by);
	store_bind_str(st, 2, now);
	store_bind_str(st, 3, subject);
	store_bind_str(st, 4, scope);
	rc = store_step_done(s, st, "revoke decision", e);
	sqlite3_finalize(st);
	*ret_n = rc ? 0 : (long)sqlite3_changes(s->db);
	return rc;
}

int decision_subject_known(struct store *s, const char *subject, bool *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	int rc;

	if (store_prepare(s, "SELECT EXISTS (SELECT 1 FROM advisory WHERE name = ?1) OR "
			  "EXISTS (SELECT 1 FROM advisory_alias WHERE alias = ?1)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, subject);
	rc = store_each(s, st, id_fn, &n, "look up advisory", e);
	*ret = n != 0;
	return rc;
}

struct list_iter {
	decision_cb cb;
	void *ctx;
};

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct list_iter *it = ctx;
	struct decision_row r = {
		.id = sqlite3_column_int64(st, 0),
		.subject = col(st, 1), .action = col(st, 2), .scope = col(st, 3),
		.until = col(st, 4), .reason = col(st, 5), .justification = col(st, 6),
		.state = col(st, 7), .decided_by = col(st, 8), .decided_at = col(st, 9),
		.revoked_by = col(st, 10), .revoked_at = col(st, 11),
		.priority = sqlite3_column_int(st, 12), .required = sqlite3_column_int(st, 13),
		.approvals = (long)sqlite3_column_int64(st, 14),
		.withdrawn = sqlite3_column_int(st, 15) != 0,
	};

	return it->cb(&r, it->ctx, e);
}

int decision_list(struct store *s, bool with_revoked, decision_cb cb, void *ctx,
		  struct err *e)
{
	struct list_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT id, subject, action, scope, until, reason, justification, "
			  "state, decided_by, decided_at, revoked_by, revoked_at, priority, "
			  "required, (SELECT count(*) FROM decision_approval a WHERE "
			  "a.decision_id = d.id), EXISTS (SELECT 1 FROM advisory v "
			  "JOIN advisory_rev r ON r.id = v.current_rev WHERE r.withdrawn IS NOT NULL "
			  "AND (v.name = d.subject OR v.id IN (SELECT advisory_id FROM "
			  "advisory_alias WHERE alias = d.subject))) "
			  "FROM decision d WHERE ?1 OR state != 'revoked' "
			  "ORDER BY id", &st, e))
		return ERR_DB;
	sqlite3_bind_int(st, 1, with_revoked);
	return store_each(s, st, row_fn, &it, "list decisions", e);
}

struct subject_iter {
	subject_finding_cb cb;
	void *ctx;
};

static int subject_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct subject_iter *it = ctx;
	struct subject_finding f = {
		.host = col(st, 0),
		.group = col(st, 1) ? col(st, 1) : "",
		.tags = col(st, 2) ? col(st, 2) : "",
		.priority = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3),
	};

	return it->cb(&f, it->ctx, e);
}

int decision_subject_findings(struct store *s, const char *subject, subject_finding_cb cb,
			      void *ctx, struct err *e)
{
	struct subject_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT h.name, h.grp, h.tags, f.priority FROM finding f "
			  "JOIN host h ON h.id = f.host_id WHERE f.resolved_at IS NULL AND "
			  "f.advisory_id IN (SELECT id FROM advisory WHERE name = ?1 UNION "
			  "SELECT advisory_id FROM advisory_alias WHERE alias = ?1)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, subject);
	return store_each(s, st, subject_fn, &it, "read findings", e);
}

static int copy_time(sqlite3_stmt *st, void *ctx, struct err *e)
{
	(void)e;
	store_copy_col(st, 0, ctx, 32);
	return 0;
}

int agenda_last(struct store *s, char ret[32], struct err *e)
{
	sqlite3_stmt *st = NULL;

	ret[0] = '\0';
	if (store_prepare(s, "SELECT max(time) FROM agenda", &st, e))
		return ERR_DB;
	return store_each(s, st, copy_time, ret, "read agendas", e);
}

int agenda_record(struct store *s, const char *actor, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	store_now(now);
	if (store_prepare(s, "INSERT INTO agenda (time, actor) VALUES (?, ?)", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, now);
	store_bind_str(st, 2, actor);
	rc = store_step_done(s, st, "record agenda", e);
	sqlite3_finalize(st);
	return rc;
}
