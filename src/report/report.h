/*
 * The remediation report (`hfx report`): how many findings are open, by
 * priority and by age; which are overdue; how long fixes took; how many
 * were fixed within their due date, per group and per ring; how many days
 * of exposure the fleet has accumulated. docs/REPORT.md defines every
 * number so that an auditor can recompute it from the database.
 *
 * report.c gathers a struct report from the store (the aggregation is
 * SQL: store/report_store.c), whatever the fleet's size in a few
 * queries and bounded memory: counts, the first REPORT_OVERDUE_MAX
 * overdue findings and the first REPORT_SHARES_MAX groups and rings.
 * report_text.c writes it as text, CSV or JSON, report_html.c as one
 * self-contained HTML page with SVG charts. Nothing here prints: the
 * writers write to the FILE they are given and return errors in a
 * struct err.
 */
#ifndef HFX_REPORT_REPORT_H
#define HFX_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "core/policy.h"
#include "store/store.h"

/* Priorities by enum ssvc_priority (0 defer .. 3 immediate), and the
 * findings without one. */
#define REPORT_UNRANKED 4
#define REPORT_PRIORITIES 5
/* Age buckets of open findings, in whole days since first_seen: 0-7,
 * 8-30, 31-90, >90. */
#define REPORT_AGES 4
#define REPORT_OVERDUE_MAX 50
#define REPORT_SHARES_MAX 100
/* A group or ring name (core/host_attr.h allows 63 bytes) or "(none)". */
#define REPORT_NAME_MAX 63
#define REPORT_NO_GROUP "(none)"

/* An open finding past its due date. Strings are owned by the report. */
struct report_overdue {
	char *host, *group, *ring, *advisory, *package, *version, *fixed_version; /* fixed: NULL */
	char *due, *first_seen;
	int priority;          /* enum ssvc_priority, or -1 */
	long days_overdue;     /* today - due, in days (> 0) */
};

/* Findings fixed within their due date, of those that can be judged. */
struct report_share {
	char name[REPORT_NAME_MAX + 1]; /* group, ring, or "" for the whole scope */
	long eligible;                  /* due passed, or fixed */
	long within;                    /* fixed on or before the due date */
};

struct report_priority {
	long open, overdue;
	long ages[REPORT_AGES];        /* open findings by age bucket */
	long fixed;                    /* closed as fixed */
	int64_t fixed_seconds;         /* sum of resolved_at - first_seen over those */
	int64_t exposure_seconds;      /* sum of exposure over open and fixed findings */
};

struct report {
	char now[32];                            /* store_now() */
	char today[11];                          /* its date */
	char group[REPORT_NAME_MAX + 1];         /* --group, or "" for every host */
	char default_ring[REPORT_NAME_MAX + 1];  /* the ring of hosts without one */
	long hosts;                              /* in scope */
	struct report_priority prio[REPORT_PRIORITIES];
	long reissued, regressed;                /* open findings that came back */
	long withdrawn;                          /* closed because the advisory was withdrawn */
	struct report_overdue *overdue;          /* most overdue first */
	size_t noverdue;
	struct report_share all;                 /* the whole scope */
	struct report_share *groups, *rings;     /* sorted by name, "(none)" first */
	size_t ngroups, nrings;
	bool groups_truncated, rings_truncated;  /* more than REPORT_SHARES_MAX */
};

/*
 * Gathers the report from s as of store_now(): every host, or only those
 * of group (NULL: all; ERR_INPUT when no host has that group), with p's
 * default ring for hosts without one. The ranks should be current
 * (cli_refresh_ranks()). Fills *r; released on failure.
 */
int report_load(struct report *r, struct store *s, const struct policy *p, const char *group,
		struct err *e);
void report_release(struct report *r);

/* Totals over the priorities. */
void report_total(const struct report *r, struct report_priority *ret);

/* "immediate", "out-of-cycle", "scheduled", "defer", "unranked"; by
 * index into report.prio (REPORT_UNRANKED for -1 too). */
const char *report_priority_name(int priority);
/* "0-7", "8-30", "31-90", ">90". */
const char *report_age_name(int bucket);
/* Mean days per fixed finding (-1 when none were fixed); days of exposure. */
double report_mttr_days(const struct report_priority *p);
double report_exposure_days(const struct report_priority *p);
/* within / eligible, or -1 when nothing can be judged yet. */
double report_share_ratio(const struct report_share *s);

/* For people: days with two decimals ("-" for -1), a share as a
 * percentage with one ("-" when nothing is judged); in buf (len bytes,
 * 32 is plenty) or a constant. */
const char *report_days_text(double days, char *buf, size_t len);
const char *report_share_text(const struct report_share *s, char *buf, size_t len);

/* The order the writers list priorities in: most urgent first. */
extern const int report_priority_order[REPORT_PRIORITIES];

/* The writers. Each returns 0, ERR_IO when writing to f fails, or
 * ERR_NOMEM. Equal reports give equal bytes. */
int report_write_text(const struct report *r, FILE *f, struct err *e);
int report_write_csv(const struct report *r, FILE *f, struct err *e);
int report_write_json(const struct report *r, FILE *f, struct err *e);
int report_write_html(const struct report *r, FILE *f, struct err *e);

#endif
