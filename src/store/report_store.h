/*
 * What the remediation report reads (report/report.h, docs/REPORT.md):
 * counts and sums aggregated by SQLite, so that a fleet of any size costs
 * the report a few rows, and the most overdue open findings, a bounded
 * list. Every query is restricted to one scope: all hosts, or the hosts
 * of one group.
 */
#ifndef HFX_STORE_REPORT_STORE_H
#define HFX_STORE_REPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct report_scope {
	const char *group;        /* host.grp to keep; NULL: every host */
	const char *now;          /* RFC 3339: open findings are exposed until then */
	const char *today;        /* its date: a due date before it has passed */
	const char *default_ring; /* the ring of hosts whose ring is NULL */
};

/* Open findings of one priority and age bucket. */
struct report_open_row {
	int priority;          /* -1: unranked */
	int age;               /* 0: 0-7 days, 1: 8-30, 2: 31-90, 3: more */
	long open, overdue, reissued, regressed;
};

/* Every finding of one priority, open or closed. */
struct report_closed_row {
	int priority;             /* -1: unranked */
	long fixed;               /* closed as fixed (or closed before resolutions were kept) */
	int64_t fixed_seconds;    /* sum of resolved_at - first_seen over those, each >= 0 */
	long withdrawn;           /* closed as withdrawn */
	int64_t exposure_seconds; /* sum over open and fixed ones of end - first_seen, >= 0 */
};

/* The findings whose timeliness can be judged, of one group or ring;
 * key NULL: hosts without a group. */
struct report_share_row {
	const char *key;
	long eligible, within;
};

struct report_overdue_row {
	const char *host, *group, *ring, *advisory, *package, *version, *fixed_version;
	const char *due, *first_seen;
	int priority;           /* -1: unranked */
	long days_overdue;
};

typedef int (*report_open_cb)(const struct report_open_row *row, void *ctx, struct err *e);
typedef int (*report_closed_cb)(const struct report_closed_row *row, void *ctx, struct err *e);
typedef int (*report_share_cb)(const struct report_share_row *row, void *ctx, struct err *e);
typedef int (*report_overdue_cb)(const struct report_overdue_row *row, void *ctx,
				 struct err *e);

/* A read transaction around the report's queries, so that they all see
 * one snapshot even while a scan commits (WAL): begin, then end always. */
int report_read_begin(struct store *s, struct err *e);
void report_read_end(struct store *s);

/* How many hosts are in scope. */
int report_hosts(struct store *s, const struct report_scope *sc, long *ret, struct err *e);
/* One row per (priority, age bucket) that has open findings. */
int report_open(struct store *s, const struct report_scope *sc, report_open_cb cb, void *ctx,
		struct err *e);
/* One row per priority that has findings. */
int report_closed(struct store *s, const struct report_scope *sc, report_closed_cb cb,
		  void *ctx, struct err *e);
enum report_by {
	REPORT_BY_GROUP,  /* one row per group (key NULL: hosts without one) */
	REPORT_BY_RING,   /* one row per ring */
	REPORT_BY_ALL,    /* one row for the scope (key ""), none when nothing is judged */
};

/* The judged findings by group, ring or none, ordered by key (hosts
 * without a group first), at most limit rows. */
int report_shares(struct store *s, const struct report_scope *sc, enum report_by by, int limit,
		  report_share_cb cb, void *ctx, struct err *e);
/* The open findings past their due date, the earliest due first (then
 * priority, host, advisory, package, version), at most limit rows. */
int report_overdue(struct store *s, const struct report_scope *sc, int limit,
		   report_overdue_cb cb, void *ctx, struct err *e);

#endif
