/*
 * Findings: one row per host, advisory and binary package, open until a
 * scan no longer reports it (resolved_at set). A scan reads a host's open
 * findings, then inserts, updates and resolves through a finding_writer.
 */
#ifndef HFX_STORE_FINDING_STORE_H
#define HFX_STORE_FINDING_STORE_H

#include <sqlite3.h>

#include "store/store.h"

/* An open finding as the scanner compares it (strings owned by caller). */
struct finding_key {
	sqlite3_int64 id;
	sqlite3_int64 advisory_id;
	char *package, *arch;
	char *installed_version, *fixed_version, *status;
};

/* The full row `hfx findings` prints; strings valid during the callback. */
struct finding_row {
	const char *host, *advisory, *aliases, *package, *arch;
	const char *installed_version, *source, *source_version;
	const char *fixed_version; /* NULL: no fix yet */
	const char *status, *reason, *first_seen, *ecosystem;
};

struct finding_writer {
	struct store *s;
	sqlite3_stmt *insert, *update, *resolve, *log;
};

int finding_writer_init(struct finding_writer *w, struct store *s, struct err *e);
void finding_writer_release(struct finding_writer *w);

/* The open findings of a host, as a malloc'd array the caller frees with
 * finding_keys_free(). */
int finding_open_keys(struct store *s, sqlite3_int64 host_id, struct finding_key **ret,
		      size_t *ret_n, struct err *e);
void finding_keys_free(struct finding_key *keys, size_t n);

struct finding_new {
	sqlite3_int64 host_id, advisory_id;
	const char *package, *arch, *installed_version, *source, *source_version;
	const char *fixed_version, *status, *reason;
};

int finding_insert(struct finding_writer *w, const struct finding_new *f, const char *now,
		   struct err *e);
/* Refreshes an open finding whose versions or fix changed. */
int finding_update(struct finding_writer *w, sqlite3_int64 id, const struct finding_new *f,
		   struct err *e);
int finding_resolve(struct finding_writer *w, sqlite3_int64 id, const char *now,
		    struct err *e);
/* Records one host's scan result. */
int finding_log_scan(struct finding_writer *w, sqlite3_int64 host_id, const char *now,
		     long new_, long still_open, long resolved, struct err *e);

typedef int (*finding_cb)(const struct finding_row *row, void *ctx, struct err *e);

/* Open findings, optionally of one host, ordered by host, advisory, package. */
int finding_list(struct store *s, const char *host, finding_cb cb, void *ctx, struct err *e);

/* A fixable advisory on a source package, with the threat data hfx has. */
struct top_row {
	const char *advisory, *aliases, *source, *source_version, *fixed_version;
	const char *kev_due; /* NULL: not in the KEV catalog */
	double epss;         /* -1: no EPSS score */
	long hosts, packages;
};

typedef int (*top_cb)(const struct top_row *row, void *ctx, struct err *e);

/*
 * The open fixable findings grouped by advisory and source package, known
 * exploited (KEV) first, then by EPSS score, then by advisory id; at most
 * limit rows.
 */
int finding_top_fixable(struct store *s, long limit, top_cb cb, void *ctx, struct err *e);

#endif
