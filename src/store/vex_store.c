/* The rows of a VEX export; see vex_store.h. */
#include "store/vex_store.h"

struct adv_iter {
	vex_advisory_cb cb;
	void *ctx;
};

static int advisory_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct adv_iter *it = ctx;
	struct vex_advisory_row r = {
		.id = sqlite3_column_int64(st, 0),
		.name = (const char *)sqlite3_column_text(st, 1),
		.aliases = (const char *)sqlite3_column_text(st, 2),
		.summary = (const char *)sqlite3_column_text(st, 3),
	};

	if (!r.aliases)
		r.aliases = "";
	return it->cb(&r, it->ctx, e);
}

int vex_advisories(struct store *s, vex_advisory_cb cb, void *ctx, struct err *e)
{
	struct adv_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/* The aliases as finding_store.c's CVE_ALIASES gives them, so that a
	 * decision on a CVE id applies here exactly as in `hfx findings`. */
	if (store_prepare(s, "SELECT a.id, a.name, "
			  "(SELECT group_concat(alias, ' ') FROM (SELECT alias FROM advisory_alias "
			  "  WHERE advisory_id = a.id AND alias LIKE 'CVE-%' ORDER BY alias)), "
			  "r.summary FROM advisory a LEFT JOIN advisory_rev r ON r.id = a.current_rev "
			  "WHERE a.id IN (SELECT advisory_id FROM finding) ORDER BY a.id", &st, e))
		return ERR_DB;
	return store_each(s, st, advisory_fn, &it, "read the advisories of the findings", e);
}

struct row_iter {
	vex_row_cb cb;
	void *ctx;
};

static int row_fn(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct row_iter *it = ctx;
	struct vex_row r = {
		.fixed = sqlite3_column_int(st, 0) != 0,
		.host_id = sqlite3_column_int64(st, 1),
		.advisory_id = sqlite3_column_int64(st, 2),
		.priority = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3),
		.fixed_version = (const char *)sqlite3_column_text(st, 4),
		.package = (const char *)sqlite3_column_text(st, 5),
		.name = (const char *)sqlite3_column_text(st, 6),
		.arch = (const char *)sqlite3_column_text(st, 7),
		.version = (const char *)sqlite3_column_text(st, 8),
		.host = (const char *)sqlite3_column_text(st, 9),
		.os_id = (const char *)sqlite3_column_text(st, 10),
		.os_version = (const char *)sqlite3_column_text(st, 11),
	};

	return it->cb(&r, it->ctx, e);
}

int vex_rows(struct store *s, vex_row_cb cb, void *ctx, struct err *e)
{
	struct row_iter it = { cb, ctx };
	sqlite3_stmt *st = NULL;

	/*
	 * The binaries of a finding as finding_store.c's FINDING_BINARIES
	 * joins them, but as one join per case rather than one join with an
	 * OR, which SQLite can only answer by reading every package of the
	 * host for every finding (an hour for a large fleet, where this takes
	 * seconds): by source through the host_package_source index (named:
	 * without statistics the planner prefers the primary key, a scan of
	 * the host's packages), by name through the primary key. The binaries of a fixed finding are joined
	 * by package name only, since the upgrade that fixed it changed their
	 * version. The NOT EXISTS is a lookup in the finding_open index
	 * (host_id, package, advisory_id). The sort spills to disk past
	 * SQLite's cache, so a large fleet costs time, not memory, here.
	 */
	if (store_prepare(s, "WITH fixed(host_id, advisory_id, package, by_source, fixed_version, "
			  "last) AS (SELECT host_id, advisory_id, package, by_source, fixed_version, "
			  "  max(resolved_at) FROM finding g WHERE resolved_at IS NOT NULL "
			  "  AND NOT EXISTS (SELECT 1 FROM finding o WHERE o.host_id = g.host_id "
			  "    AND o.package = g.package AND o.advisory_id = g.advisory_id "
			  "    AND o.resolved_at IS NULL) "
			  "  GROUP BY host_id, advisory_id, package, by_source), "
			  "rows(fixed, host_id, advisory_id, priority, fixed_version, package, name, "
			  "arch, version) AS ("
			  "SELECT 0, f.host_id, f.advisory_id, f.priority, f.fixed_version, f.package, "
			  "  p.name, p.arch, p.version FROM finding f "
			  "  JOIN host_package p INDEXED BY host_package_source "
			  "  ON p.host_id = f.host_id AND p.source = f.package "
			  "  AND p.source_version = f.version "
			  "  WHERE f.resolved_at IS NULL AND f.by_source = 1 "
			  "UNION ALL "
			  "SELECT 0, f.host_id, f.advisory_id, f.priority, f.fixed_version, f.package, "
			  "  p.name, p.arch, p.version FROM finding f JOIN host_package p "
			  "  ON p.host_id = f.host_id AND p.name = f.package AND p.version = f.version "
			  "  WHERE f.resolved_at IS NULL AND f.by_source = 0 "
			  "UNION ALL "
			  "SELECT 1, x.host_id, x.advisory_id, NULL, x.fixed_version, x.package, "
			  "  p.name, p.arch, p.version FROM fixed x "
			  "  JOIN host_package p INDEXED BY host_package_source "
			  "  ON p.host_id = x.host_id AND p.source = x.package WHERE x.by_source = 1 "
			  "UNION ALL "
			  "SELECT 1, x.host_id, x.advisory_id, NULL, x.fixed_version, x.package, "
			  "  p.name, p.arch, p.version FROM fixed x JOIN host_package p "
			  "  ON p.host_id = x.host_id AND p.name = x.package WHERE x.by_source = 0) "
			  "SELECT r.fixed, r.host_id, r.advisory_id, r.priority, r.fixed_version, "
			  "r.package, r.name, r.arch, r.version, h.name, h.os_id, h.os_version "
			  "FROM rows r JOIN host h ON h.id = r.host_id "
			  "ORDER BY h.name, r.name, r.version, r.arch", &st, e))
		return ERR_DB;
	return store_each(s, st, row_fn, &it, "read the findings for VEX", e);
}
