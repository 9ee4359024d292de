/*
 * Ranking findings: every open finding's SSVC priority and due date,
 * stored with the finding so that listing, review and planning read them
 * with an index. The scanner ranks the findings it creates as it stores
 * them; the ranks of existing findings are refreshed when their inputs
 * change: the feeds (KEV, EPSS, a new CVSS vector), a host's attributes,
 * or the policy (noticed by its digest, kept in the setting table).
 * The rules are core/assess.h; the facts come from store/assess_store.h.
 */
#ifndef HFX_ASSESS_RANK_H
#define HFX_ASSESS_RANK_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/assess.h"
#include "core/host_attr.h"
#include "store/assess_store.h"

struct rank_host {
	int exposure, impact; /* as struct assess_host; -1 unset */
	char group[HOST_ATTR_NAME_MAX + 1];
};

struct ranker {
	struct store *s;
	const struct policy *p;
	const char *actor;            /* who notices a policy change (audit log) */
	char digest[65];
	bool stale;                   /* stored ranks are stale (see assess_refresh()) */
	int64_t today;
	struct assess_threat *threats; /* by advisory id */
	size_t nthreats;
	struct rank_host *hosts;      /* by host id */
	size_t nhosts;
	struct rank_store rs;
	long changed;                 /* findings whose rank a refresh changed */
};

/* Loads the facts of every advisory and host; inside a transaction. actor
 * is recorded when a refresh adopts a changed policy. */
int ranker_init(struct ranker *r, struct store *s, const struct policy *p, const char *actor,
		struct err *e);
void ranker_release(struct ranker *r);

/* The rank of a finding first seen today. */
void ranker_rank_new(const struct ranker *r, sqlite3_int64 host_id,
		     sqlite3_int64 advisory_id, struct assess_rank *ret);

/* The SSVC inputs of a finding (for explanations). */
void ranker_inputs(const struct ranker *r, sqlite3_int64 host_id, sqlite3_int64 advisory_id,
		   struct assess_inputs *ret);

/* Re-ranks one host's open findings (host_id > 0) or every host's, writing
 * those whose rank changed; after a full refresh, records the policy
 * digest, and a "policy.change" audit record (with the policy's canonical
 * text) when the policy differs from the last one recorded. */
int ranker_refresh(struct ranker *r, sqlite3_int64 host_id, struct err *e);

/* Whether the stored ranks were computed with this policy and no feed
 * import invalidated them since: a cheap check (a digest and a setting). */
int assess_ranks_current(struct store *s, const struct policy *p, bool *ret, struct err *e);

enum assess_mode { ASSESS_IF_STALE, ASSESS_ALL };

/* The same for one host whose context changed (and every host if the
 * ranks are stale). */
int assess_refresh_host(struct store *s, const struct policy *p, const char *actor,
			sqlite3_int64 host_id, long *ret_changed, struct err *e);

/*
 * Brings the stored ranks up to date in one call: loads a ranker and
 * refreshes every host (ASSESS_ALL, after the inputs changed), or only
 * when the ranks are stale: computed with another policy, invalidated by
 * a feed import, or never (a database from before ranking). Must run
 * inside a transaction. *ret_changed (may be NULL) gets the number of
 * findings whose rank changed.
 */
int assess_refresh(struct store *s, const struct policy *p, const char *actor,
		   enum assess_mode mode, long *ret_changed, struct err *e);

#endif
