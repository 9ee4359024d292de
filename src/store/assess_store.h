/*
 * What ranking reads and writes: each advisory's threat facts (its
 * ranking CVSS, the earliest CISA KEV entry and the highest EPSS score
 * among its CVE ids, found through its aliases, upstream and related
 * ids and its own id), the open findings with their stored rank, and
 * settings such as the digest of the policy the ranks were computed with.
 */
#ifndef HFX_STORE_ASSESS_STORE_H
#define HFX_STORE_ASSESS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "store/store.h"

/*
 * SQL: the threat facts of the advisories selected by WHERE_ (a condition
 * on advisory a), one row each: id, name, cvss, cvss_vector, automatable,
 * rating, then the chosen KEV entry's cve, due_date, date_added and the
 * chosen EPSS row's cve, epss, percentile, score_date.
 */
#define THREAT_SELECT(WHERE_) \
	"SELECT t.id, t.name, t.cvss, t.cvss_vector, t.automatable, t.rating, k.cve, " \
	"k.due_date, k.date_added, p.cve, p.epss, p.percentile, p.score_date FROM (" \
	"SELECT a.id, a.name, a.cvss, a.cvss_vector, a.automatable, a.rating, " \
	"(SELECT k.cve FROM " THREAT_CVE_IDS " x JOIN kev k ON k.cve = x.cve " \
	"  ORDER BY k.due_date, k.cve LIMIT 1) AS kev_cve, " \
	"(SELECT p.cve FROM " THREAT_CVE_IDS " x JOIN epss p ON p.cve = x.cve " \
	"  ORDER BY p.epss DESC, p.cve LIMIT 1) AS epss_cve " \
	"FROM advisory a WHERE " WHERE_ ") t " \
	"LEFT JOIN kev k ON k.cve = t.kev_cve LEFT JOIN epss p ON p.cve = t.epss_cve"

/*
 * The CVE ids of advisory a: its aliases, upstream and related ids, and
 * its own id (an advisory named after its CVE). Every KEV and EPSS lookup
 * goes through the primary keys of those tables.
 */
#define THREAT_CVE_IDS "(SELECT alias AS cve FROM advisory_alias WHERE advisory_id = a.id " \
	"UNION SELECT a.name)"

/* One advisory's threat facts; strings valid during the callback. */
struct threat_row {
	sqlite3_int64 advisory_id;
	const char *advisory;
	bool has_cvss;
	double cvss;
	const char *cvss_vector;
	int automatable;                   /* 1, 0; -1: no vector */
	const char *rating;                /* the distribution's own; NULL */
	const char *kev_cve;               /* NULL: none in KEV */
	const char *kev_due, *kev_added;   /* "2024-01-02" */
	const char *epss_cve;              /* NULL: no EPSS score */
	double epss, percentile;
	const char *epss_date;
};

typedef int (*threat_cb)(const struct threat_row *row, void *ctx, struct err *e);

/* Every advisory's facts, or one advisory's (advisory_id > 0). */
int threat_list(struct store *s, sqlite3_int64 advisory_id, threat_cb cb, void *ctx,
		struct err *e);

/* A host's context as ranking uses it ("" where not set). */
struct host_context_row {
	sqlite3_int64 id;
	const char *name, *exposure, *criticality, *group, *ring, *tags;
	const char *window, *tz, *ecosystem;
};

typedef int (*host_context_cb)(const struct host_context_row *row, void *ctx, struct err *e);

/* Every host's context; lighter than host_list(), which counts packages. */
int host_context_list(struct store *s, host_context_cb cb, void *ctx, struct err *e);

/* The largest advisory and host ids, to size lookup tables. */
int assess_max_ids(struct store *s, sqlite3_int64 *ret_advisory, sqlite3_int64 *ret_host,
		   struct err *e);

/* An open finding as ranking sees it. */
struct rank_row {
	sqlite3_int64 id, host_id, advisory_id;
	const char *first_seen;
	int priority;            /* -1: not ranked yet */
	const char *due, *since; /* NULL when not ranked */
};

typedef int (*rank_cb)(const struct rank_row *row, void *ctx, struct err *e);

struct rank_store {
	struct store *s;
	sqlite3_stmt *open, *update;
};

int rank_store_init(struct rank_store *r, struct store *s, struct err *e);
void rank_store_release(struct rank_store *r);

/* The open findings of one host. */
int rank_store_host(struct rank_store *r, sqlite3_int64 host_id, rank_cb cb, void *ctx,
		    struct err *e);
int rank_store_put(struct rank_store *r, sqlite3_int64 id, int priority, const char *due,
		   const char *since, struct err *e);

/* The setting holding the digest of the policy the stored ranks were
 * computed with (assess/rank.c). */
#define RANK_DIGEST_SETTING "policy_digest"

/* Marks every stored rank stale, so that the next command that reads ranks
 * recomputes them: for changes to their inputs (the feeds). */
int rank_store_invalidate(struct store *s, struct err *e);

/* A setting's value into ret ("" when unset). */
int setting_get(struct store *s, const char *key, char *ret, size_t len, struct err *e);
int setting_put(struct store *s, const char *key, const char *value, struct err *e);

#endif
