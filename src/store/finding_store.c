/* Findings in the store; see finding_store.h. */
#include "store/finding_store.h"

#include <stdlib.h>
#include <string.h>

static void bind_str(sqlite3_stmt *st, int col, const char *str)
{
	store_bind_text(st, col, str, str ? strlen(str) : 0);
}

int finding_writer_init(struct finding_writer *w, struct store *s, struct err *e)
{
	*w = (struct finding_writer){ .s = s };
	if (store_prepare(s, "INSERT INTO finding (host_id, advisory_id, package, arch, "
			  "installed_version, source, source_version, fixed_version, status, "
			  "reason, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  &w->insert, e) ||
	    store_prepare(s, "UPDATE finding SET installed_version = ?, source = ?, "
			  "source_version = ?, fixed_version = ?, status = ?, reason = ? "
			  "WHERE id = ?", &w->update, e) ||
	    store_prepare(s, "UPDATE finding SET resolved_at = ? WHERE id = ?", &w->resolve, e) ||
	    store_prepare(s, "INSERT INTO scan (host_id, time, new, still_open, resolved) "
			  "VALUES (?, ?, ?, ?, ?)", &w->log, e)) {
		finding_writer_release(w);
		return ERR_DB;
	}
	return 0;
}

void finding_writer_release(struct finding_writer *w)
{
	sqlite3_finalize(w->insert);
	sqlite3_finalize(w->update);
	sqlite3_finalize(w->resolve);
	sqlite3_finalize(w->log);
	*w = (struct finding_writer){ 0 };
}

void finding_keys_free(struct finding_key *keys, size_t n)
{
	for (size_t i = 0; keys && i < n; i++) {
		free(keys[i].package);
		free(keys[i].arch);
		free(keys[i].installed_version);
		free(keys[i].fixed_version);
		free(keys[i].status);
	}
	free(keys);
}

static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	return v ? strdup(v) : NULL;
}

int finding_open_keys(struct store *s, sqlite3_int64 host_id, struct finding_key **ret,
		      size_t *ret_n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct finding_key *keys = NULL, *k;
	size_t n = 0, cap = 0;
	int rc;

	if (store_prepare(s, "SELECT id, advisory_id, package, arch, installed_version, "
			  "fixed_version, status FROM finding "
			  "WHERE host_id = ? AND resolved_at IS NULL", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, host_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			k = realloc(keys, cap * sizeof(*keys));
			if (!k) {
				rc = err_set(e, ERR_NOMEM, "out of memory reading findings");
				break;
			}
			keys = k;
		}
		k = &keys[n++];
		*k = (struct finding_key){ .id = sqlite3_column_int64(st, 0),
					   .advisory_id = sqlite3_column_int64(st, 1) };
		k->package = dup_col(st, 2);
		k->arch = dup_col(st, 3);
		k->installed_version = dup_col(st, 4);
		k->fixed_version = dup_col(st, 5);
		k->status = dup_col(st, 6);
		if (!k->package || !k->arch || !k->installed_version || !k->status) {
			rc = err_set(e, ERR_NOMEM, "out of memory reading findings");
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		finding_keys_free(keys, n);
		return rc < 0 ? rc : store_fail(s, "read findings", e);
	}
	*ret = keys;
	*ret_n = n;
	return 0;
}

static void bind_fields(sqlite3_stmt *st, int first, const struct finding_new *f)
{
	bind_str(st, first, f->installed_version);
	bind_str(st, first + 1, f->source);
	bind_str(st, first + 2, f->source_version);
	bind_str(st, first + 3, f->fixed_version);
	bind_str(st, first + 4, f->status);
	bind_str(st, first + 5, f->reason);
}

int finding_insert(struct finding_writer *w, const struct finding_new *f, const char *now,
		   struct err *e)
{
	sqlite3_bind_int64(w->insert, 1, f->host_id);
	sqlite3_bind_int64(w->insert, 2, f->advisory_id);
	bind_str(w->insert, 3, f->package);
	bind_str(w->insert, 4, f->arch);
	bind_fields(w->insert, 5, f);
	bind_str(w->insert, 11, now);
	return store_step_done(w->s, w->insert, "insert finding", e);
}

int finding_update(struct finding_writer *w, sqlite3_int64 id, const struct finding_new *f,
		   struct err *e)
{
	bind_fields(w->update, 1, f);
	sqlite3_bind_int64(w->update, 7, id);
	return store_step_done(w->s, w->update, "update finding", e);
}

int finding_resolve(struct finding_writer *w, sqlite3_int64 id, const char *now,
		    struct err *e)
{
	bind_str(w->resolve, 1, now);
	sqlite3_bind_int64(w->resolve, 2, id);
	return store_step_done(w->s, w->resolve, "resolve finding", e);
}

int finding_log_scan(struct finding_writer *w, sqlite3_int64 host_id, const char *now,
		     long new_, long still_open, long resolved, struct err *e)
{
	sqlite3_bind_int64(w->log, 1, host_id);
	bind_str(w->log, 2, now);
	sqlite3_bind_int64(w->log, 3, new_);
	sqlite3_bind_int64(w->log, 4, still_open);
	sqlite3_bind_int64(w->log, 5, resolved);
	return store_step_done(w->s, w->log, "log scan", e);
}

int finding_list(struct store *s, const char *host, finding_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct finding_row r;
	int rc;

	if (store_prepare(s, "SELECT h.name, a.name, "
			  "(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM advisory_alias "
			  "  WHERE advisory_id = a.id AND alias LIKE 'CVE-%' ORDER BY alias)), "
			  "f.package, f.arch, f.installed_version, f.source, f.source_version, "
			  "f.fixed_version, f.status, f.reason, f.first_seen, h.ecosystem "
			  "FROM finding f JOIN host h ON h.id = f.host_id "
			  "JOIN advisory a ON a.id = f.advisory_id "
			  "WHERE f.resolved_at IS NULL AND (?1 IS NULL OR h.name = ?1) "
			  "ORDER BY h.name, a.name, f.package, f.arch", &st, e))
		return ERR_DB;
	bind_str(st, 1, host);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char **cols[] = { &r.host, &r.advisory, &r.aliases, &r.package, &r.arch,
					&r.installed_version, &r.source, &r.source_version,
					&r.fixed_version, &r.status, &r.reason, &r.first_seen,
					&r.ecosystem };

		for (int i = 0; i < (int)(sizeof(cols) / sizeof(cols[0])); i++)
			*cols[i] = (const char *)sqlite3_column_text(st, i);
		if (!r.aliases)
			r.aliases = "";
		rc = cb(&r, ctx, e);
		if (rc)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : store_fail(s, "list findings", e);
}

int finding_top_fixable(struct store *s, long limit, top_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct top_row r;
	int rc;

	if (store_prepare(s, "SELECT a.name, "
			  "(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM advisory_alias "
			  "  WHERE advisory_id = a.id AND alias LIKE 'CVE-%' ORDER BY alias)), "
			  "f.source, max(f.source_version), max(f.fixed_version), "
			  "(SELECT min(k.due_date) FROM advisory_alias x JOIN kev k ON k.cve = x.alias "
			  "  WHERE x.advisory_id = a.id) AS kev, "
			  "(SELECT max(p.epss) FROM advisory_alias x JOIN epss p ON p.cve = x.alias "
			  "  WHERE x.advisory_id = a.id) AS score, "
			  "count(DISTINCT f.host_id), count(*) "
			  "FROM finding f JOIN advisory a ON a.id = f.advisory_id "
			  "WHERE f.resolved_at IS NULL AND f.status = 'fixable' "
			  "GROUP BY a.id, f.source "
			  "ORDER BY kev IS NULL, score IS NULL, score DESC, a.name LIMIT ?", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.advisory = (const char *)sqlite3_column_text(st, 0);
		r.aliases = (const char *)sqlite3_column_text(st, 1);
		r.source = (const char *)sqlite3_column_text(st, 2);
		r.source_version = (const char *)sqlite3_column_text(st, 3);
		r.fixed_version = (const char *)sqlite3_column_text(st, 4);
		r.kev_due = (const char *)sqlite3_column_text(st, 5);
		r.epss = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 6);
		r.hosts = sqlite3_column_int64(st, 7);
		r.packages = sqlite3_column_int64(st, 8);
		if (!r.aliases)
			r.aliases = "";
		rc = cb(&r, ctx, e);
		if (rc)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : store_fail(s, "list top findings", e);
}
