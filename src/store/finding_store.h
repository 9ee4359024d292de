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
	sqlite3_stmt *insert, *update, *resolve, *any_closed, *closed, *log;
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
	/* Its rank (assess/rank.h), set on insert only: 0 defer .. 3 immediate;
	 * dates "YYYY-MM-DD". */
	int priority;
	const char *due, *since;
	/* Why it came back (NULL for a first-time finding): "reissued" or
	 * "regressed", and the reason in words. */
	const char *reopened, *reopen_reason;
};

int finding_insert(struct finding_writer *w, const struct finding_new *f, const char *now,
		   struct err *e);
/* Refreshes an open finding whose version or fix changed. */
int finding_update(struct finding_writer *w, sqlite3_int64 id, const struct finding_new *f,
		   struct err *e);
/* Closes an open finding: resolution `withdrawn` when its advisory's
 * current revision is withdrawn, else `fixed`. */
int finding_resolve(struct finding_writer *w, sqlite3_int64 id, const char *now,
		    bool *ret_withdrawn, struct err *e);
/* Whether the host has any closed finding (when not, none of its new
 * findings can be a regression, and the lookups below are skipped). */
int finding_any_closed(struct finding_writer *w, sqlite3_int64 host_id, bool *ret,
		       struct err *e);
/* The host's most recently fixed (not withdrawn) finding of the advisory
 * and package: its id, version and when it closed; "" and "" when none. */
int finding_last_fixed(struct finding_writer *w, sqlite3_int64 host_id,
		       sqlite3_int64 advisory_id, const char *package, sqlite3_int64 *ret_id,
		       char *ret_version, size_t version_len, char *ret_at, size_t at_len,
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
	const char *status, *first_seen; /* status: fixable, no-fix-yet, reissued, regressed */
	const char *reopen_reason;       /* why reissued or regressed; else NULL */
	const char *matched_package, *matched_version; /* what the advisory names */
	sqlite3_int64 host_id;
	int priority;              /* enum ssvc_priority; -1: not ranked */
	const char *due, *since;   /* "2026-11-30"; NULL: not ranked (assess/rank.h) */
	double cvss;               /* -1: no vector */
	const char *kev_cve;       /* the CVE id in CISA KEV; NULL: none */
	double epss;               /* -1: no EPSS score */
};

typedef int (*finding_cb)(const struct finding_row *row, void *ctx, struct err *e);

/* Open findings, optionally of one host, one row per binary package, most
 * urgent first: by priority, due date, host, advisory, package and
 * architecture. */
int finding_list(struct store *s, const char *host, finding_cb cb, void *ctx, struct err *e);

/* An advisory's open findings, one per host and package as the advisory
 * names it, most urgent first. */
struct advisory_host_row {
	const char *host, *package, *version, *fixed_version, *status;
	int priority;            /* -1: not ranked */
	const char *due;
};

typedef int (*advisory_host_cb)(const struct advisory_host_row *row, void *ctx,
				struct err *e);

int finding_of_advisory(struct store *s, sqlite3_int64 advisory_id, advisory_host_cb cb,
			void *ctx, struct err *e);

/* An open finding as the review queue aggregates it. */
struct queue_row {
	sqlite3_int64 advisory_id, host_id;
	const char *advisory, *aliases; /* aliases: CVE ids, space-separated ("" none) */
	int priority;                   /* -1: not ranked */
	const char *due, *first_seen;
	bool fixable;
};

typedef int (*queue_cb)(const struct queue_row *row, void *ctx, struct err *e);

/* Every open finding, ordered by advisory id and host id. */
int finding_queue_rows(struct store *s, queue_cb cb, void *ctx, struct err *e);

/* A fixable advisory on a package, with its most urgent rank. */
struct top_row {
	const char *advisory, *aliases, *package, *version, *fixed_version;
	const char *priority, *due; /* "immediate", "2026-11-30" */
	double epss;                /* -1: no EPSS score */
	long hosts;
};

typedef int (*top_cb)(const struct top_row *row, void *ctx, struct err *e);

/*
 * The open fixable findings grouped by advisory and package, by their
 * highest priority, then earliest due date, then EPSS score; at most
 * limit rows.
 */
int finding_top_fixable(struct store *s, long limit, top_cb cb, void *ctx, struct err *e);

#endif
