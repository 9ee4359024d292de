/*
 * Findings. A finding is stored once per host, advisory and package as the
 * advisory names it (for Debian the source package, with its source
 * version), open until a scan no longer reports it (resolved_at set). The
 * binary packages built from that source are joined in when findings are
 * listed, giving one output row per host, advisory and binary package
 * without storing each binary's row: a fleet's findings are mostly the
 * same few sources times many binaries.
 */
#ifndef HFX_STORE_FINDING_STORE_H
#define HFX_STORE_FINDING_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "store/store.h"

/* A host's open findings as the scanner compares them: strings are
 * offsets into the arena given to finding_open_keys(). */
struct finding_key {
	sqlite3_int64 id, advisory_id;
	size_t package, version, fixed_version, status; /* fixed_version: SIZE_MAX if NULL */
};

struct finding_writer {
	struct store *s;
	sqlite3_stmt *insert, *update, *resolve, *log;
};

int finding_writer_init(struct finding_writer *w, struct store *s, struct err *e);
void finding_writer_release(struct finding_writer *w);

/* Reads open findings; one per thread, on that thread's connection. */
struct finding_reader {
	struct store *s;
	sqlite3_stmt *open, *open_pkg;
};

int finding_reader_init(struct finding_reader *r, struct store *s, struct err *e);
void finding_reader_release(struct finding_reader *r);

/* Appends a host's open findings (of one package, or all when package is
 * NULL) to *keys (grown with realloc; capacity in *cap; count in *n) and
 * their strings to arena, ordered by package, advisory id and version
 * (byte order: the finding_open index's order, so no sort). */
int finding_open_keys(struct finding_reader *r, sqlite3_int64 host_id, const char *package,
		      struct buf *arena, struct finding_key **keys, size_t *cap, size_t *n,
		      struct err *e);

struct finding_new {
	sqlite3_int64 host_id, advisory_id;
	const char *package, *version; /* as the advisory names the package */
	bool by_source;
	const char *fixed_version, *status;
};

int finding_insert(struct finding_writer *w, const struct finding_new *f, const char *now,
		   struct err *e);
/* Refreshes an open finding whose version or fix changed. */
int finding_update(struct finding_writer *w, sqlite3_int64 id, const struct finding_new *f,
		   struct err *e);
int finding_resolve(struct finding_writer *w, sqlite3_int64 id, const char *now,
		    struct err *e);
/* Records one host's scan result. */
int finding_log_scan(struct finding_writer *w, sqlite3_int64 host_id, const char *now,
		     long new_, long still_open, long resolved, struct err *e);

/* One output row: strings valid during the callback. */
struct finding_row {
	sqlite3_int64 advisory_id;
	const char *host, *ecosystem, *advisory, *aliases;
	const char *package, *arch, *installed_version, *source, *source_version;
	const char *fixed_version; /* NULL: no fix yet */
	const char *status, *first_seen;
	const char *matched_package, *matched_version; /* what the advisory names */
};

typedef int (*finding_cb)(const struct finding_row *row, void *ctx, struct err *e);

/* Open findings, optionally of one host, one row per binary package,
 * ordered by host, advisory, package and architecture. */
int finding_list(struct store *s, const char *host, finding_cb cb, void *ctx, struct err *e);

/* A fixable advisory on a package, with the threat data hfx has. */
struct top_row {
	const char *advisory, *aliases, *package, *version, *fixed_version;
	const char *kev_due; /* NULL: not in the KEV catalog */
	double epss;         /* -1: no EPSS score */
	long hosts;
};

typedef int (*top_cb)(const struct top_row *row, void *ctx, struct err *e);

/*
 * The open fixable findings grouped by advisory and package, known
 * exploited (KEV) first, then by EPSS score, then by advisory id; at most
 * limit rows.
 */
int finding_top_fixable(struct store *s, long limit, top_cb cb, void *ctx, struct err *e);

#endif
