/* Advisory revisions in the store; see advisory_store.h. */
#include "store/advisory_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/timefmt.h"
#include "core/severity.h"

int advisory_writer_init(struct advisory_writer *w, struct store *s, struct err *e)
{
	*w = (struct advisory_writer){ .s = s };
	if (store_prepare(s, "SELECT a.id, r.modified, r.content_hash, r.withdrawn, r.id "
			  "FROM advisory a LEFT JOIN advisory_rev r ON r.id = a.current_rev "
			  "WHERE a.name = ?", &w->find, e) ||
	    store_prepare(s, "INSERT INTO advisory (name) VALUES (?)", &w->insert_adv, e) ||
	    store_prepare(s, "INSERT INTO advisory_rev (advisory_id, modified, published, "
			  "withdrawn, summary, content_hash, source, imported_at, record) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
			  "ON CONFLICT (advisory_id, content_hash) DO UPDATE SET "
			  "imported_at = excluded.imported_at RETURNING id",
			  &w->insert_rev, e) ||
	    store_prepare(s, "UPDATE advisory SET current_rev = ?, cvss = ?, cvss_vector = ?, "
			  "automatable = ?, rating = ? WHERE id = ?",
			  &w->set_current, e) ||
	    store_prepare(s, "DELETE FROM advisory_alias WHERE advisory_id = ?",
			  &w->del_alias, e) ||
	    store_prepare(s, "INSERT OR IGNORE INTO advisory_alias VALUES (?, ?)",
			  &w->insert_alias, e) ||
	    store_prepare(s, "INSERT OR REPLACE INTO affected VALUES (?, ?, ?, ?, ?)",
			  &w->insert_affected, e) ||
	    store_prepare(s, "INSERT OR REPLACE INTO advisory_reissue VALUES (?, ?, ?, ?, ?, ?)",
			  &w->insert_reissue, e)) {
		advisory_writer_release(w);
		return ERR_DB;
	}
	return 0;
}

void advisory_writer_release(struct advisory_writer *w)
{
	sqlite3_finalize(w->find);
	sqlite3_finalize(w->insert_adv);
	sqlite3_finalize(w->insert_rev);
	sqlite3_finalize(w->set_current);
	sqlite3_finalize(w->del_alias);
	sqlite3_finalize(w->insert_alias);
	sqlite3_finalize(w->insert_affected);
	sqlite3_finalize(w->insert_reissue);
	*w = (struct advisory_writer){ 0 };
}

/* The stored current revision of a record, if any. */
struct current {
	sqlite3_int64 id; /* 0: unknown record */
	sqlite3_int64 rev;
	char hash[SHA256_HEX_LEN + 1];
	struct instant modified;
	bool has_rev, withdrawn;
};

static int find_current(struct advisory_writer *w, const char *name, struct current *cur,
			struct err *e)
{
	int rc;

	*cur = (struct current){ 0 };
	store_bind_str(w->find, 1, name);
	rc = sqlite3_step(w->find);
	if (rc == SQLITE_ROW) {
		const char *mod = (const char *)sqlite3_column_text(w->find, 1);
		const char *hash = (const char *)sqlite3_column_text(w->find, 2);

		cur->id = sqlite3_column_int64(w->find, 0);
		cur->has_rev = mod && hash && rfc3339_parse(mod, &cur->modified);
		if (hash)
			memcpy(cur->hash, hash, strnlen(hash, SHA256_HEX_LEN));
		cur->withdrawn = sqlite3_column_type(w->find, 3) != SQLITE_NULL;
		cur->rev = sqlite3_column_int64(w->find, 4);
	}
	sqlite3_reset(w->find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->s, "look up advisory", e);
	return 0;
}

static int insert_revision(struct advisory_writer *w, sqlite3_int64 adv_id,
			   const struct advisory *a, const char *hash, const char *canonical,
			   const char *source, sqlite3_int64 *ret_rev, struct err *e)
{
	sqlite3_stmt *st = w->insert_rev;
	char now[32];
	int rc;

	store_now(now);
	sqlite3_bind_int64(st, 1, adv_id);
	store_bind_str(st, 2, a->modified);
	store_bind_str(st, 3, a->published);
	store_bind_str(st, 4, a->withdrawn);
	store_bind_str(st, 5, a->summary);
	store_bind_str(st, 6, hash);
	store_bind_str(st, 7, source);
	store_bind_str(st, 8, now);
	store_bind_str(st, 9, canonical);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret_rev = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(w->s, "insert advisory revision", e);
	return 0;
}

static int write_children(struct advisory_writer *w, sqlite3_int64 adv_id, sqlite3_int64 rev,
			  const struct advisory *a, char *const *ranges, struct err *e)
{
	struct cvss_pick pick;

	sqlite3_bind_int64(w->del_alias, 1, adv_id);
	if (store_step_done(w->s, w->del_alias, "delete aliases", e))
		return ERR_DB;
	for (size_t i = 0; i < a->naliases; i++) {
		sqlite3_bind_int64(w->insert_alias, 1, adv_id);
		store_bind_str(w->insert_alias, 2, a->aliases[i]);
		if (store_step_done(w->s, w->insert_alias, "insert alias", e))
			return ERR_DB;
	}
	for (size_t i = 0; i < a->naffected; i++) {
		sqlite3_bind_int64(w->insert_affected, 1, rev);
		sqlite3_bind_int64(w->insert_affected, 2, (sqlite3_int64)i);
		store_bind_str(w->insert_affected, 3, a->affected[i].ecosystem);
		store_bind_str(w->insert_affected, 4, a->affected[i].package);
		store_bind_str(w->insert_affected, 5, ranges[i]);
		if (store_step_done(w->s, w->insert_affected, "insert affected", e))
			return ERR_DB;
	}
	severity_pick(a, &pick);
	sqlite3_bind_int64(w->set_current, 1, rev);
	if (pick.index >= 0) {
		sqlite3_bind_double(w->set_current, 2, pick.score);
		store_bind_str(w->set_current, 3, a->severities[pick.index].score);
		sqlite3_bind_int(w->set_current, 4, pick.automatable);
	} else {
		sqlite3_bind_null(w->set_current, 2);
		sqlite3_bind_null(w->set_current, 3);
		sqlite3_bind_null(w->set_current, 4);
	}
	store_bind_str(w->set_current, 5, a->rating);
	sqlite3_bind_int64(w->set_current, 6, adv_id);
	return store_step_done(w->s, w->set_current, "set current revision", e);
}

int advisory_writer_put(struct advisory_writer *w, const struct advisory *a,
			const char *canonical, char *const *ranges, const char *source,
			struct advisory_put *ret, struct err *e)
{
	char hash[SHA256_HEX_LEN + 1];
	struct instant modified;
	struct current cur;
	sqlite3_int64 rev = 0;
	int rc;

	if (!rfc3339_parse(a->modified, &modified))
		return err_set(e, ERR_INPUT, "%s: modified: '%s' is not an RFC 3339 time",
			       a->id, a->modified);
	sha256_hex(canonical, strlen(canonical), hash);
	rc = find_current(w, a->id, &cur, e);
	if (rc)
		return rc;
	*ret = (struct advisory_put){ .change = ADVISORY_UNCHANGED, .id = cur.id };
	if (cur.has_rev && strcmp(cur.hash, hash) == 0)
		return 0;
	/* Same `modified` with other content still counts as a revision: some
	 * feeds fix records without bumping the time. */
	if (cur.has_rev && instant_cmp(modified, cur.modified) < 0) {
		ret->change = ADVISORY_OLDER;
		return 0;
	}
	if (!cur.id) {
		store_bind_str(w->insert_adv, 1, a->id);
		if (store_step_done(w->s, w->insert_adv, "insert advisory", e))
			return ERR_DB;
		cur.id = sqlite3_last_insert_rowid(w->s->db);
	}
	rc = insert_revision(w, cur.id, a, hash, canonical, source, &rev, e);
	if (!rc)
		rc = write_children(w, cur.id, rev, a, ranges, e);
	if (rc)
		return rc;
	ret->id = cur.id;
	ret->prev_rev = cur.rev;
	if (a->withdrawn && !cur.withdrawn)
		ret->change = ADVISORY_WITHDRAWN;
	else
		ret->change = cur.has_rev ? ADVISORY_UPDATED : ADVISORY_NEW;
	return 0;
}

int advisory_writer_reissue(struct advisory_writer *w, sqlite3_int64 advisory_id,
			    const char *ecosystem, const char *package, const char *old_fixed,
			    const char *new_fixed, struct err *e)
{
	char now[32];

	store_now(now);
	sqlite3_bind_int64(w->insert_reissue, 1, advisory_id);
	store_bind_str(w->insert_reissue, 2, ecosystem);
	store_bind_str(w->insert_reissue, 3, package);
	store_bind_str(w->insert_reissue, 4, old_fixed);
	store_bind_str(w->insert_reissue, 5, new_fixed);
	store_bind_str(w->insert_reissue, 6, now);
	return store_step_done(w->s, w->insert_reissue, "record a reissued fix", e);
}

struct affected_iter {
	affected_cb cb;
	void *ctx;
};

static int affected_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct affected_iter *it = ctx;
	struct affected_row row = {
		.advisory_id = sqlite3_column_int64(st, 0),
		.advisory = (const char *)sqlite3_column_text(st, 1),
		.package = (const char *)sqlite3_column_text(st, 2),
		.ranges = (const char *)sqlite3_column_text(st, 3),
		.ecosystem = (const char *)sqlite3_column_text(st, 4),
	};

	return it->cb(&row, it->ctx, e);
}

/* Runs an affected query and hands each row to cb. */
static int affected_rows(struct store *s, sqlite3_stmt *st, affected_cb cb, void *ctx,
			 struct err *e)
{
	struct affected_iter it = { cb, ctx };

	return store_each(s, st, affected_row_fn, &it, "read affected packages", e);
}

/* An ecosystem's entries, and those of its product streams: a host of
 * "Red Hat:enterprise_linux:9" is matched against the advisories of
 * "Red Hat:enterprise_linux:9::appstream", "...::baseos" and so on. */
#define AFFECTED_COLUMNS "SELECT a.id, a.name, af.package, af.ranges, af.ecosystem "
#define AFFECTED_CURRENT AFFECTED_COLUMNS \
	"FROM affected af JOIN advisory a ON a.current_rev = af.rev_id " \
	"JOIN advisory_rev r ON r.id = af.rev_id " \
	"WHERE (af.ecosystem = ?1 OR af.ecosystem GLOB ?1 || '::*') " \
	"AND af.package IS NOT NULL AND r.withdrawn IS NULL "

int advisory_affected_for(struct store *s, const char *ecosystem, affected_cb cb, void *ctx,
			  struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, AFFECTED_CURRENT "ORDER BY af.package, a.name, af.seq", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, ecosystem);
	return affected_rows(s, st, cb, ctx, e);
}

int advisory_affected_of(struct store *s, const char *ecosystem, sqlite3_int64 advisory_id,
			 const char *package, affected_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, AFFECTED_CURRENT "AND a.id = ?2 AND af.package = ?3", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, ecosystem);
	sqlite3_bind_int64(st, 2, advisory_id);
	store_bind_str(st, 3, package);
	return affected_rows(s, st, cb, ctx, e);
}

int advisory_affected_of_rev(struct store *s, sqlite3_int64 rev, affected_cb cb, void *ctx,
			     struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, AFFECTED_COLUMNS "FROM affected af JOIN advisory_rev r "
			  "ON r.id = af.rev_id JOIN advisory a ON a.id = r.advisory_id "
			  "WHERE af.rev_id = ? AND af.package IS NOT NULL ORDER BY af.seq", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, rev);
	return affected_rows(s, st, cb, ctx, e);
}

struct reissue_iter {
	reissue_cb cb;
	void *ctx;
};

static int reissue_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	const struct reissue_iter *it = ctx;
	struct reissue_row row = {
		.advisory_id = sqlite3_column_int64(st, 0),
		.ecosystem = (const char *)sqlite3_column_text(st, 1),
		.package = (const char *)sqlite3_column_text(st, 2),
		.old_fixed = (const char *)sqlite3_column_text(st, 3),
		.new_fixed = (const char *)sqlite3_column_text(st, 4),
		.time = (const char *)sqlite3_column_text(st, 5),
	};

	return it->cb(&row, it->ctx, e);
}

int advisory_reissues(struct store *s, reissue_cb cb, void *ctx, struct err *e)
{
	struct reissue_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT advisory_id, ecosystem, package, old_fixed, new_fixed, time "
			  "FROM advisory_reissue ORDER BY advisory_id, package", &st, e))
		return ERR_DB;
	return store_each(s, st, reissue_row_fn, &it, "read reissued fixes", e);
}

int advisory_generation(struct store *s, sqlite3_int64 *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT coalesce(max(id), 0) FROM advisory_rev", &st, e))
		return ERR_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "read advisory generation", e);
}

struct info_iter {
	advisory_info_cb cb;
	void *ctx;
	long n;
};

static int info_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct info_iter *it = ctx;
	struct advisory_info a = {
		.id = sqlite3_column_int64(st, 0),
		.name = (const char *)sqlite3_column_text(st, 1),
		.modified = (const char *)sqlite3_column_text(st, 2),
		.published = (const char *)sqlite3_column_text(st, 3),
		.withdrawn = (const char *)sqlite3_column_text(st, 4),
		.summary = (const char *)sqlite3_column_text(st, 5),
		.record = (const char *)sqlite3_column_text(st, 6),
		.aliases = (const char *)sqlite3_column_text(st, 7),
	};

	it->n++;
	if (!a.aliases)
		a.aliases = "";
	return it->cb(&a, it->ctx, e);
}

int advisory_lookup(struct store *s, const char *id, advisory_info_cb cb, void *ctx,
		    struct err *e)
{
	struct info_iter it = { cb, ctx, 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT a.id, a.name, r.modified, r.published, r.withdrawn, "
			  "r.summary, r.record, (SELECT group_concat(alias, ' ') FROM "
			  "(SELECT alias FROM advisory_alias WHERE advisory_id = a.id ORDER BY alias)) "
			  "FROM advisory a JOIN advisory_rev r ON r.id = a.current_rev "
			  "WHERE a.name = ?1 OR a.id IN (SELECT advisory_id FROM advisory_alias "
			  "WHERE alias = ?1) ORDER BY a.name", &st, e))
		return ERR_DB;
	store_bind_str(st, 1, id);
	rc = store_each(s, st, info_row_fn, &it, "look up advisory", e);
	if (!rc && !it.n)
		rc = err_set(e, ERR_INPUT, "no advisory '%s' (neither an id nor an alias of one)", id);
	return rc;
}
