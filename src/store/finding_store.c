/* Findings in the store; see finding_store.h. */
#include "store/finding_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ssvc.h"
#include "store/assess_store.h"

int finding_writer_init(struct finding_writer *w, struct store *s, struct err *e)
{
	*w = (struct finding_writer){ .s = s };
	if (store_prepare(s, "INSERT INTO finding (host_id, advisory_id, package, by_source, "
			  "version, fixed_version, status, first_seen, priority, due, since, "
			  "reopened, reopen_reason) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &w->insert, e) ||
	    store_prepare(s, "UPDATE finding SET version = ?, fixed_version = ?, status = ? "
			  "WHERE id = ?", &w->update, e) ||
	    store_prepare(s, "UPDATE finding SET resolved_at = ?1, resolution = "
			  "(SELECT CASE WHEN r.withdrawn IS NULL THEN 'fixed' ELSE 'withdrawn' END "
			  " FROM advisory a JOIN advisory_rev r ON r.id = a.current_rev "
			  " WHERE a.id = finding.advisory_id) WHERE id = ?2 RETURNING resolution",
			  &w->resolve, e) ||
	    store_prepare(s, "SELECT 1 FROM finding WHERE host_id = ? AND resolved_at IS NOT NULL "
			  "LIMIT 1", &w->any_closed, e) ||
	    store_prepare(s, "SELECT version, resolved_at, id FROM finding WHERE host_id = ? AND "
			  "advisory_id = ? AND package = ? AND resolved_at IS NOT NULL AND "
			  "resolution IS NOT 'withdrawn' ORDER BY resolved_at DESC LIMIT 1",
			  &w->closed, e) ||
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
	sqlite3_finalize(w->any_closed);
	sqlite3_finalize(w->closed);
	sqlite3_finalize(w->log);
	*w = (struct finding_writer){ 0 };
}

static int arena_col(struct buf *arena, sqlite3_stmt *st, int col, size_t *ret, struct err *e)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	if (!v) {
		*ret = SIZE_MAX;
		return 0;
	}
	*ret = arena->len;
	return buf_append(arena, v, (size_t)sqlite3_column_bytes(st, col) + 1, e);
}

int finding_reader_init(struct finding_reader *r, struct store *s, struct err *e)
{
#define OPEN_KEYS "SELECT id, advisory_id, package, version, fixed_version, status " \
	"FROM finding WHERE host_id = ?1 AND resolved_at IS NULL "

	*r = (struct finding_reader){ .s = s };
	if (store_prepare(s, OPEN_KEYS "ORDER BY package, advisory_id, version", &r->open, e) ||
	    store_prepare(s, OPEN_KEYS "AND package = ?2 ORDER BY advisory_id, version",
			  &r->open_pkg, e)) {
		finding_reader_release(r);
		return ERR_DB;
	}
	return 0;
}

void finding_reader_release(struct finding_reader *r)
{
	sqlite3_finalize(r->open);
	sqlite3_finalize(r->open_pkg);
	r->open = r->open_pkg = NULL;
}

int finding_open_keys(struct finding_reader *r, sqlite3_int64 host_id, const char *package,
		      struct buf *arena, struct finding_key **keys, size_t *cap, size_t *ret_n,
		      struct err *e)
{
	sqlite3_stmt *st = package ? r->open_pkg : r->open;
	size_t n = *ret_n;
	int rc;

	sqlite3_bind_int64(st, 1, host_id);
	if (package)
		store_bind_str(st, 2, package);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct finding_key *k;

		if (n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 256;

			k = realloc(*keys, ncap * sizeof(*k));
			if (!k) {
				rc = err_set(e, ERR_NOMEM, "out of memory reading findings");
				break;
			}
			*keys = k;
			*cap = ncap;
		}
		k = &(*keys)[n++];
		k->id = sqlite3_column_int64(st, 0);
		k->advisory_id = sqlite3_column_int64(st, 1);
		if ((rc = arena_col(arena, st, 2, &k->package, e)) ||
		    (rc = arena_col(arena, st, 3, &k->version, e)) ||
		    (rc = arena_col(arena, st, 4, &k->fixed_version, e)) ||
		    (rc = arena_col(arena, st, 5, &k->status, e)))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return rc < 0 ? rc : store_fail(r->s, "read findings", e);
	*ret_n = n;
	return 0;
}

int finding_insert(struct finding_writer *w, const struct finding_new *f, const char *now,
		   struct err *e)
{
	sqlite3_bind_int64(w->insert, 1, f->host_id);
	sqlite3_bind_int64(w->insert, 2, f->advisory_id);
	store_bind_str(w->insert, 3, f->package);
	sqlite3_bind_int(w->insert, 4, f->by_source);
	store_bind_str(w->insert, 5, f->version);
	store_bind_str(w->insert, 6, f->fixed_version);
	store_bind_str(w->insert, 7, f->status);
	store_bind_str(w->insert, 8, now);
	sqlite3_bind_int(w->insert, 9, f->priority);
	store_bind_str(w->insert, 10, f->due);
	store_bind_str(w->insert, 11, f->since);
	store_bind_str(w->insert, 12, f->reopened);
	store_bind_str(w->insert, 13, f->reopen_reason);
	return store_step_done(w->s, w->insert, "insert finding", e);
}

int finding_any_closed(struct finding_writer *w, sqlite3_int64 host_id, bool *ret,
		       struct err *e)
{
	int rc;

	sqlite3_bind_int64(w->any_closed, 1, host_id);
	rc = sqlite3_step(w->any_closed);
	sqlite3_reset(w->any_closed);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->s, "look up closed findings", e);
	*ret = rc == SQLITE_ROW;
	return 0;
}

int finding_last_fixed(struct finding_writer *w, sqlite3_int64 host_id,
		       sqlite3_int64 advisory_id, const char *package, sqlite3_int64 *ret_id,
		       char *ret_version, size_t version_len, char *ret_at, size_t at_len,
		       struct err *e)
{
	sqlite3_stmt *st = w->closed;
	int rc;

	*ret_version = *ret_at = '\0';
	sqlite3_bind_int64(st, 1, host_id);
	sqlite3_bind_int64(st, 2, advisory_id);
	store_bind_str(st, 3, package);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(ret_version, version_len, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(ret_at, at_len, "%s", (const char *)sqlite3_column_text(st, 1));
		*ret_id = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->s, "look up a closed finding", e);
	return 0;
}

int finding_update(struct finding_writer *w, sqlite3_int64 id, const struct finding_new *f,
		   struct err *e)
{
	store_bind_str(w->update, 1, f->version);
	store_bind_str(w->update, 2, f->fixed_version);
	store_bind_str(w->update, 3, f->status);
	sqlite3_bind_int64(w->update, 4, id);
	return store_step_done(w->s, w->update, "update finding", e);
}

int finding_resolve(struct finding_writer *w, sqlite3_int64 id, const char *now,
		    bool *ret_withdrawn, struct err *e)
{
	const char *res;
	int rc;

	store_bind_str(w->resolve, 1, now);
	sqlite3_bind_int64(w->resolve, 2, id);
	rc = sqlite3_step(w->resolve);
	res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(w->resolve, 0) : NULL;
	*ret_withdrawn = res && !strcmp(res, "withdrawn");
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(w->resolve);
	sqlite3_reset(w->resolve);
	if (rc != SQLITE_DONE)
		return store_fail(w->s, "resolve finding", e);
	return 0;
}

int finding_log_scan(struct finding_writer *w, sqlite3_int64 host_id, const char *now,
		     long new_, long still_open, long resolved, struct err *e)
{
	sqlite3_bind_int64(w->log, 1, host_id);
	store_bind_str(w->log, 2, now);
	sqlite3_bind_int64(w->log, 3, new_);
	sqlite3_bind_int64(w->log, 4, still_open);
	sqlite3_bind_int64(w->log, 5, resolved);
	return store_step_done(w->s, w->log, "log scan", e);
}

#define CVE_ALIASES \
	"(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM advisory_alias " \
	"  WHERE advisory_id = a.id AND alias LIKE 'CVE-%' ORDER BY alias))"

/* The binary packages of a finding: built from the named source package
 * at that version, or the named binary itself. */
#define FINDING_BINARIES \
	"JOIN host_package p ON p.host_id = f.host_id AND (" \
	"  (f.by_source = 1 AND p.source = f.package AND p.source_version = f.version) OR " \
	"  (f.by_source = 0 AND p.name = f.package AND p.version = f.version)) "

struct list_iter {
	finding_cb cb;
	void *ctx;
};

static int finding_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct list_iter *it = ctx;
	struct finding_row r;
	const char **cols[] = { &r.host, &r.ecosystem, &r.advisory, &r.aliases, &r.package,
				&r.arch, &r.installed_version, &r.source, &r.source_version,
				&r.fixed_version, &r.status, &r.first_seen, &r.matched_package,
				&r.matched_version };

	r.advisory_id = sqlite3_column_int64(st, 0);
	for (int i = 0; i < (int)(sizeof(cols) / sizeof(cols[0])); i++)
		*cols[i] = (const char *)sqlite3_column_text(st, i + 1);
	r.host_id = sqlite3_column_int64(st, 15);
	r.priority = sqlite3_column_type(st, 16) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 16);
	r.due = (const char *)sqlite3_column_text(st, 17);
	r.cvss = sqlite3_column_type(st, 18) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 18);
	r.kev_cve = (const char *)sqlite3_column_text(st, 19);
	r.epss = sqlite3_column_type(st, 20) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 20);
	r.since = (const char *)sqlite3_column_text(st, 21);
	r.reopen_reason = (const char *)sqlite3_column_text(st, 22);
	if (!r.aliases)
		r.aliases = "";
	return it->cb(&r, it->ctx, e);
}

int finding_list(struct store *s, const char *host, finding_cb cb, void *ctx, struct err *e)
{
	struct list_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/* The threat facts once per advisory, not once per row. */
	if (store_prepare(s, "WITH t(id, name, cvss, vector, automatable, rating, kev_cve, "
			  "kev_due, kev_added, epss_cve, epss, percentile, epss_date) AS "
			  "MATERIALIZED (" THREAT_SELECT("a.id IN (SELECT advisory_id FROM finding "
			  "WHERE resolved_at IS NULL)") ") "
			  "SELECT a.id, h.name, h.ecosystem, a.name, " CVE_ALIASES ", "
			  "p.name, p.arch, p.version, p.source, p.source_version, "
			  "f.fixed_version, coalesce(f.reopened, f.status), f.first_seen, "
			  "f.package, f.version, f.host_id, f.priority, f.due, t.cvss, t.kev_cve, "
			  "t.epss, f.since, f.reopen_reason "
			  "FROM finding f JOIN host h ON h.id = f.host_id "
			  "JOIN advisory a ON a.id = f.advisory_id " FINDING_BINARIES
			  "LEFT JOIN t ON t.id = f.advisory_id "
			  "WHERE f.resolved_at IS NULL AND (?1 IS NULL OR h.name = ?1) "
			  "ORDER BY f.priority DESC, f.due, h.name, a.name, p.name, p.arch", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, host);
	return store_each(s, st, finding_row_fn, &it, "list findings", e);
}

struct top_iter {
	top_cb cb;
	void *ctx;
};

static int top_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct top_iter *it = ctx;
	struct top_row r = {
		.advisory = (const char *)sqlite3_column_text(st, 0),
		.aliases = (const char *)sqlite3_column_text(st, 1),
		.package = (const char *)sqlite3_column_text(st, 2),
		.version = (const char *)sqlite3_column_text(st, 3),
		.fixed_version = (const char *)sqlite3_column_text(st, 4),
		.priority = ssvc_priority_name((enum ssvc_priority)sqlite3_column_int(st, 5)),
		.due = (const char *)sqlite3_column_text(st, 6),
		.epss = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 7),
		.hosts = sqlite3_column_int64(st, 8),
	};

	if (!r.aliases)
		r.aliases = "";
	if (!r.due)
		r.due = "-";
	return it->cb(&r, it->ctx, e);
}

int finding_top_fixable(struct store *s, long limit, top_cb cb, void *ctx, struct err *e)
{
	struct top_iter it = { cb, ctx };

	return store_each_id(s, "SELECT a.name, " CVE_ALIASES ", f.package, min(f.version), "
			     "max(f.fixed_version), max(f.priority) AS pr, min(f.due) AS due, "
			     "(SELECT max(p.epss) FROM advisory_alias x JOIN epss p ON p.cve = x.alias "
			     "  WHERE x.advisory_id = a.id) AS score, "
			     "count(DISTINCT f.host_id) "
			     "FROM finding f JOIN advisory a ON a.id = f.advisory_id "
			     "WHERE f.resolved_at IS NULL AND f.status = 'fixable' "
			     "GROUP BY a.id, f.package "
			     "ORDER BY pr DESC, due, score IS NULL, score DESC, a.name LIMIT ?",
			     limit, top_row_fn, &it, "list top findings", e);
}

struct adv_host_iter {
	advisory_host_cb cb;
	void *ctx;
};

static int adv_host_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct adv_host_iter *it = ctx;
	struct advisory_host_row r = {
		.host = (const char *)sqlite3_column_text(st, 0),
		.package = (const char *)sqlite3_column_text(st, 1),
		.version = (const char *)sqlite3_column_text(st, 2),
		.fixed_version = (const char *)sqlite3_column_text(st, 3),
		.status = (const char *)sqlite3_column_text(st, 4),
		.priority = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5),
		.due = (const char *)sqlite3_column_text(st, 6),
	};

	return it->cb(&r, it->ctx, e);
}

int finding_of_advisory(struct store *s, sqlite3_int64 advisory_id, advisory_host_cb cb,
			void *ctx, struct err *e)
{
	struct adv_host_iter it = { cb, ctx };

	return store_each_id(s, "SELECT h.name, f.package, f.version, f.fixed_version, f.status, "
			     "f.priority, f.due FROM finding f JOIN host h ON h.id = f.host_id "
			     "WHERE f.advisory_id = ? AND f.resolved_at IS NULL "
			     "ORDER BY f.priority DESC, f.due, h.name, f.package",
			     advisory_id, adv_host_fn, &it, "list an advisory's findings", e);
}

struct queue_iter {
	queue_cb cb;
	void *ctx;
};

static int queue_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct queue_iter *it = ctx;
	struct queue_row r = {
		.advisory_id = sqlite3_column_int64(st, 0),
		.host_id = sqlite3_column_int64(st, 1),
		.advisory = (const char *)sqlite3_column_text(st, 2),
		.aliases = (const char *)sqlite3_column_text(st, 3),
		.priority = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4),
		.due = (const char *)sqlite3_column_text(st, 5),
		.first_seen = (const char *)sqlite3_column_text(st, 6),
		.fixable = sqlite3_column_int(st, 7) != 0,
	};

	if (!r.aliases)
		r.aliases = "";
	return it->cb(&r, it->ctx, e);
}

int finding_queue_rows(struct store *s, queue_cb cb, void *ctx, struct err *e)
{
	struct queue_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/* The aliases once per advisory, not once per finding. */
	if (store_prepare(s, "WITH al(id, aliases) AS MATERIALIZED (SELECT advisory_id, "
			  "group_concat(alias, ' ') FROM (SELECT advisory_id, alias FROM "
			  "advisory_alias WHERE alias LIKE 'CVE-%' ORDER BY advisory_id, alias) "
			  "GROUP BY advisory_id) "
			  "SELECT f.advisory_id, f.host_id, a.name, al.aliases, f.priority, f.due, "
			  "f.first_seen, f.status = 'fixable' FROM finding f "
			  "JOIN advisory a ON a.id = f.advisory_id "
			  "LEFT JOIN al ON al.id = f.advisory_id "
			  "WHERE f.resolved_at IS NULL ORDER BY f.advisory_id, f.host_id", &st, e))
		return ERR_DB;
	return store_each(s, st, queue_fn, &it, "read the queue", e);
}
