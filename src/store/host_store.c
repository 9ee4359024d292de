/* Hosts and packages in the store; see host_store.h. */
#include "store/host_store.h"

#include <stdio.h>
#include <string.h>

/* Empty strings are stored as NULL (an unknown arch or kernel). */
static void bind_str(sqlite3_stmt *st, int col, const char *str)
{
	store_bind_str(st, col, str && *str ? str : NULL);
}

bool host_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > HOST_NAME_MAX_LEN || name[0] == '-' || name[0] == '.')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") == n;
}

int host_writer_begin(struct host_writer *w, struct store *s, const struct host *h,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	*w = (struct host_writer){ .s = s };
	store_now(now);
	if (store_prepare(s, "INSERT INTO host (name, os_id, os_version, ecosystem, arch, kernel, "
			  "source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
			  "ON CONFLICT (name) DO UPDATE SET os_id = ?2, os_version = ?3, "
			  "ecosystem = ?4, arch = ?5, kernel = ?6, source = ?7, updated_at = ?8, "
			  "inventory_gen = inventory_gen + 1 "
			  "RETURNING id", &st, e))
		return ERR_DB;
	bind_str(st, 1, h->name);
	bind_str(st, 2, h->os_id);
	bind_str(st, 3, h->os_version);
	store_bind_str(st, 4, h->ecosystem); /* "" when no feed: never NULL */
	bind_str(st, 5, h->arch);
	bind_str(st, 6, h->kernel);
	bind_str(st, 7, h->source);
	bind_str(st, 8, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		w->host_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, "save host", e);
	if (store_prepare(s, "DELETE FROM host_package WHERE host_id = ?1", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, w->host_id);
	rc = store_step_done(s, st, "clear packages", e);
	sqlite3_finalize(st);
	if (!rc && !store_prepare(s, "DELETE FROM host_kb WHERE host_id = ?1", &st, e)) {
		sqlite3_bind_int64(st, 1, w->host_id);
		rc = store_step_done(s, st, "clear updates", e);
		sqlite3_finalize(st);
	}
	if (rc)
		return rc;
	if (store_prepare(s, "INSERT INTO host_package VALUES (?, ?, ?, ?, ?, ?)", &w->put, e) ||
	    store_prepare(s, "INSERT OR IGNORE INTO host_kb VALUES (?, ?)", &w->put_kb, e))
		return ERR_DB;
	return 0;
}

/*
 * A package already listed: the same one again is harmless (SBOMs of
 * multi-image artifacts repeat packages), two versions of one package and
 * architecture cannot both be installed.
 */
static int same_package(struct host_writer *w, const struct host_pkg *p, struct err *e)
{
	sqlite3_stmt *st = NULL;
	bool same = false;
	int rc;

	if (store_prepare(w->s, "SELECT version = ?4 AND source = ?5 AND source_version = ?6 "
			  "FROM host_package WHERE host_id = ?1 AND name = ?2 AND arch = ?3", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, w->host_id);
	store_bind_text(st, 2, p->name, p->name_len);
	store_bind_text(st, 3, p->arch, p->arch_len);
	store_bind_text(st, 4, p->version, p->version_len);
	store_bind_text(st, 5, p->source, p->source_len);
	store_bind_text(st, 6, p->source_version, p->source_version_len);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->s, "look up package", e);
	if (!same)
		return err_set(e, ERR_INPUT, "package '%.*s' (%.*s) is listed twice, with "
			       "different versions", (int)p->name_len, p->name, (int)p->arch_len,
			       p->arch);
	return 0;
}

int host_writer_add(struct host_writer *w, const struct host_pkg *p, struct err *e)
{
	int rc;

	sqlite3_bind_int64(w->put, 1, w->host_id);
	store_bind_text(w->put, 2, p->name, p->name_len);
	store_bind_text(w->put, 3, p->arch, p->arch_len);
	store_bind_text(w->put, 4, p->version, p->version_len);
	store_bind_text(w->put, 5, p->source, p->source_len);
	store_bind_text(w->put, 6, p->source_version, p->source_version_len);
	rc = sqlite3_step(w->put);
	sqlite3_reset(w->put);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return same_package(w, p, e);
	if (rc != SQLITE_DONE)
		return store_fail(w->s, "save package", e);
	w->count++;
	return 0;
}

int host_writer_add_kb(struct host_writer *w, const char *kb, size_t len, struct err *e)
{
	sqlite3_bind_int64(w->put_kb, 1, w->host_id);
	store_bind_text(w->put_kb, 2, kb, len);
	if (store_step_done(w->s, w->put_kb, "save update", e))
		return ERR_DB;
	w->kbs++;
	return 0;
}

void host_writer_release(struct host_writer *w)
{
	sqlite3_finalize(w->put);
	sqlite3_finalize(w->put_kb);
	w->put = w->put_kb = NULL;
}

struct kb_iter {
	host_kb_cb cb;
	void *ctx;
};

static int kb_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct kb_iter *it = ctx;

	return it->cb((const char *)sqlite3_column_text(st, 0), it->ctx, e);
}

int host_kb_list(struct store *s, sqlite3_int64 host_id, host_kb_cb cb, void *ctx,
		 struct err *e)
{
	struct kb_iter it = { cb, ctx };

	return store_each_id(s, "SELECT kb FROM host_kb WHERE host_id = ? ORDER BY kb",
			     host_id, kb_row_fn, &it, "list updates", e);
}

#define HOST_COLUMNS "h.id, h.name, h.os_id, h.os_version, h.ecosystem, h.arch, h.kernel, " \
	"h.source, h.updated_at, h.scanned_at, h.inventory_gen, h.scan_key, " \
	"h.open_fixable, h.open_no_fix, " \
	"(SELECT count(*) FROM host_package p WHERE p.host_id = h.id), " \
	"(SELECT count(*) FROM host_kb k WHERE k.host_id = h.id), " \
	"h.exposure, h.criticality, h.grp, h.ring, h.tags, h.window, h.tz, h.transport"

/* The host table's column of each attribute, in enum host_attr order. */
static const char *const attr_columns[HOST_ATTR_N] = {
	"exposure", "criticality", "grp", "ring", "tags", "window", "tz", "transport",
};

static void host_from_row(sqlite3_stmt *st, struct host *h)
{
	*h = (struct host){ .id = sqlite3_column_int64(st, 0) };
	store_copy_col(st, 1, h->name, sizeof(h->name));
	store_copy_col(st, 2, h->os_id, sizeof(h->os_id));
	store_copy_col(st, 3, h->os_version, sizeof(h->os_version));
	store_copy_col(st, 4, h->ecosystem, sizeof(h->ecosystem));
	store_copy_col(st, 5, h->arch, sizeof(h->arch));
	store_copy_col(st, 6, h->kernel, sizeof(h->kernel));
	store_copy_col(st, 7, h->source, sizeof(h->source));
	store_copy_col(st, 8, h->updated_at, sizeof(h->updated_at));
	store_copy_col(st, 9, h->scanned_at, sizeof(h->scanned_at));
	h->inventory_gen = sqlite3_column_int64(st, 10);
	store_copy_col(st, 11, h->scan_key, sizeof(h->scan_key));
	h->fixable = sqlite3_column_int64(st, 12);
	h->no_fix = sqlite3_column_int64(st, 13);
	h->packages = sqlite3_column_int64(st, 14);
	h->kbs = sqlite3_column_int64(st, 15);
	for (int i = 0; i < HOST_ATTR_N; i++)
		store_copy_col(st, 16 + i, h->attr[i], sizeof(h->attr[i]));
}

int host_set_attrs(struct store *s, sqlite3_int64 host_id, const struct host_attrs *attrs,
		   struct err *e)
{
	for (int i = 0; i < HOST_ATTR_N; i++) {
		sqlite3_stmt *st = NULL;
		char sql[96];
		int rc;

		if (!attrs->set[i])
			continue;
		snprintf(sql, sizeof(sql), "UPDATE host SET %s = ?1 WHERE id = ?2", attr_columns[i]);
		if (store_prepare(s, sql, &st, e))
			return ERR_DB;
		if (attrs->value[i][0])
			store_bind_str(st, 1, attrs->value[i]);
		sqlite3_bind_int64(st, 2, host_id);
		rc = store_step_done(s, st, "set host attribute", e);
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return 0;
}

int host_get(struct store *s, const char *name, struct host *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "SELECT " HOST_COLUMNS " FROM host h WHERE h.name = ?", &st, e))
		return ERR_DB;
	bind_str(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		host_from_row(st, ret);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_INPUT, "no host named '%s' (see 'hfx host list')", name);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "read host", e);
}

struct host_iter {
	host_cb cb;
	void *ctx;
};

static int host_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct host_iter *it = ctx;
	struct host h;

	host_from_row(st, &h);
	return it->cb(&h, it->ctx, e);
}

int host_list(struct store *s, host_cb cb, void *ctx, struct err *e)
{
	struct host_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT " HOST_COLUMNS " FROM host h ORDER BY h.name", &st, e))
		return ERR_DB;
	return store_each(s, st, host_row_fn, &it, "list hosts", e);
}

int host_remove(struct store *s, const char *name, struct err *e)
{
	struct host h;
	sqlite3_stmt *st = NULL;
	int rc = host_get(s, name, &h, e);

	if (rc)
		return rc;
	if (store_prepare(s, "DELETE FROM host WHERE id = ?", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, h.id);
	rc = store_step_done(s, st, "remove host", e);
	sqlite3_finalize(st);
	return rc;
}

int host_set_arch(struct store *s, sqlite3_int64 host_id, const char *arch, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "UPDATE host SET arch = ? WHERE id = ?", &st, e))
		return ERR_DB;
	bind_str(st, 1, arch);
	sqlite3_bind_int64(st, 2, host_id);
	rc = store_step_done(s, st, "update host", e);
	sqlite3_finalize(st);
	return rc;
}

int host_set_scanned(struct store *s, const struct host *h, const char *groups,
		     struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_prepare(s, "UPDATE host SET scanned_at = ?1, scan_key = ?2, open_fixable = ?3, "
			  "open_no_fix = ?4, scan_groups = coalesce(?5, scan_groups) WHERE id = ?6",
			  &st, e))
		return ERR_DB;
	bind_str(st, 1, h->scanned_at);
	bind_str(st, 2, h->scan_key);
	sqlite3_bind_int64(st, 3, h->fixable);
	sqlite3_bind_int64(st, 4, h->no_fix);
	store_bind_str(st, 5, groups);
	sqlite3_bind_int64(st, 6, h->id);
	rc = store_step_done(s, st, "record scan", e);
	sqlite3_finalize(st);
	return rc;
}

int host_scan_groups(struct store *s, sqlite3_int64 host_id, struct buf *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	buf_reset(ret);
	if (store_prepare(s, "SELECT scan_groups FROM host WHERE id = ?", &st, e))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, host_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = buf_append(ret, sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
				: "", (size_t)sqlite3_column_bytes(st, 0), e) ? ERR_NOMEM : SQLITE_DONE;
	else if (rc == SQLITE_DONE)
		rc = buf_append(ret, "", 0, e) ? ERR_NOMEM : SQLITE_DONE;
	if (rc != SQLITE_DONE && rc >= 0)
		rc = store_fail(s, "read scan groups", e);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

struct eco_iter {
	ecosystem_cb cb;
	void *ctx;
};

static int eco_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct eco_iter *it = ctx;

	return it->cb((const char *)sqlite3_column_text(st, 0), it->ctx, e);
}

int host_ecosystems(struct store *s, ecosystem_cb cb, void *ctx, struct err *e)
{
	struct eco_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	if (store_prepare(s, "SELECT DISTINCT ecosystem FROM host ORDER BY 1", &st, e))
		return ERR_DB;
	return store_each(s, st, eco_row_fn, &it, "list ecosystems", e);
}

struct key_iter {
	match_key_cb cb;
	void *ctx;
};

static int key_row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct key_iter *it = ctx;

	return it->cb((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
		      (const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1),
		      it->ctx, e);
}

int host_match_keys(struct store *s, sqlite3_int64 host_id, bool by_source, match_key_cb cb,
		    void *ctx, struct err *e)
{
	struct key_iter it = { cb, ctx };

	return store_each_id(s, by_source ?
			     "SELECT DISTINCT source, source_version FROM host_package "
			     "WHERE host_id = ? ORDER BY 1, 2" :
			     "SELECT DISTINCT name, version FROM host_package "
			     "WHERE host_id = ? ORDER BY 1, 2",
			     host_id, key_row_fn, &it, "read packages", e);
}
