/*
 * What `hfx notify` reads and writes (notify/notify.h, docs/NOTIFY.md):
 * the candidates for each trigger, from the findings, advisories and
 * deployment journal, and the notify_sent table of keys already delivered.
 * Candidates are rows whose key is not in notify_sent where SQL can build
 * the key; the notify module decides the rest (priorities, the policy's
 * failure budget) and builds the events. One query per trigger, however
 * large the fleet: nothing is asked per finding.
 */
#ifndef HFX_STORE_NOTIFY_STORE_H
#define HFX_STORE_NOTIFY_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

/* An advisory with open findings. Strings valid during the callback. */
struct notify_advisory_row {
	const char *name;       /* the OSV id */
	const char *cve;        /* its first CVE alias; NULL none */
	const char *summary;    /* of its current revision; NULL none */
	const char *hosts;      /* the affected hosts' names, comma-separated, in no order */
	const char *due;        /* the earliest due date of its open findings; NULL none */
	int priority;           /* the highest priority of its open findings; -1 unranked */
	long nhosts;            /* hosts with an open finding */
	bool kev;               /* one of its CVEs is in CISA KEV */
	bool announced;         /* new:NAME was delivered */
	int sent_priority;      /* the highest N of a delivered priority:NAME:N; -1 none */
};

typedef int (*notify_advisory_cb)(const struct notify_advisory_row *r, void *ctx,
				  struct err *e);

/* Every advisory with an open finding, the most urgent first, then by
 * name; the caller tells which are news. */
int notify_advisories(struct store *s, notify_advisory_cb cb, void *ctx, struct err *e);

/* An open finding. */
struct notify_finding_row {
	sqlite3_int64 id;
	const char *advisory, *cve, *host, *package, *due; /* cve, due: NULL none */
	const char *reopened;      /* "reissued", "regressed", or NULL */
	const char *reason;        /* reopen_reason; NULL none */
	int priority;              /* -1 unranked */
	sqlite3_int64 host_id;
	const char *aliases;       /* its CVE ids, space-separated; NULL none */
};

typedef int (*notify_finding_cb)(const struct notify_finding_row *r, void *ctx,
				 struct err *e);

/* Open findings due before today (a date, "2026-11-28") whose
 * overdue:ID was not delivered, of priority min_priority or more (or
 * unranked), the most urgent first, then the earliest due. */
int notify_overdue(struct store *s, const char *today, int min_priority, notify_finding_cb cb,
		   void *ctx, struct err *e);

/* Open findings that came back (reopened is set), of priority
 * min_priority or more (or unranked), the most urgent first. Their keys
 * hold a digest of the reason, so the caller checks notify_sent itself. */
int notify_reopened(struct store *s, int min_priority, notify_finding_cb cb, void *ctx,
		    struct err *e);

/* A deploy job that ended failed, rolled back or with its rollback failed. */
struct notify_job_row {
	sqlite3_int64 id, plan_id;
	int wave;                 /* the plan's wave, from 1 */
	const char *host, *ring, *state, *reason, *ended_at; /* reason, ended_at: NULL none */
};

typedef int (*notify_job_cb)(const struct notify_job_row *r, void *ctx, struct err *e);

/* Those whose deploy:ID:STATE was not delivered, by id. */
int notify_failed_jobs(struct store *s, notify_job_cb cb, void *ctx, struct err *e);

/* A plan's wave with failed jobs (as above: failed, rolled back or with
 * the rollback failed). */
struct notify_wave_row {
	sqlite3_int64 plan_id;
	int wave;                 /* from 1 */
	const char *ring;
	long failed, jobs;        /* failed jobs; all its jobs */
};

typedef int (*notify_wave_cb)(const struct notify_wave_row *r, void *ctx, struct err *e);

/* Waves with failed jobs whose halt:PLAN:WAVE was not delivered, by plan
 * and wave; the caller compares failed with the ring's budget. */
int notify_failed_waves(struct store *s, notify_wave_cb cb, void *ctx, struct err *e);

/* Whether key was delivered. */
int notify_is_sent(struct store *s, const char *key, bool *ret, struct err *e);

/* Records key as delivered at time (kept if it already is). Inside the
 * caller's transaction. */
int notify_mark_sent(struct store *s, const char *key, const char *time, struct err *e);

#endif
