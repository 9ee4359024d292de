/*
 * The committee's decisions at work: recording one (validated against the
 * policy: required fields, the longest a risk acceptance may last, the
 * quorum), revoking, and — for every finding — which decision stands, is
 * pending, has expired, or which auto-approval rule applies. The rules of
 * precedence are in core/decision.h; docs/DECISIONS.md explains them.
 */
#ifndef HFX_DECIDE_DECIDE_H
#define HFX_DECIDE_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/decision.h"
#include "core/policy.h"
#include "store/store.h"

/* `--until next-window`: a defer that lasts until the host's next
 * maintenance window begins (per host; a host without windows keeps it
 * until it is revoked). */
#define DECIDE_NEXT_WINDOW "next-window"

struct decide_request {
	const char *subject;       /* advisory id or CVE id */
	int action;                /* enum decide_action; -1: revoke */
	const char *scope;         /* "all" when NULL */
	const char *until;         /* "YYYY-MM-DD" or NULL */
	const char *reason, *justification;
	const char *actor;
};

struct decide_outcome {
	sqlite3_int64 id;          /* the decision recorded or agreed to */
	bool agreed;               /* an approval added to a pending decision */
	bool active;               /* it stands now (quorum reached) */
	long approvals;
	int required;
	int priority;              /* the highest of the findings in scope; -1 none */
	long findings;             /* open findings in scope */
	long revoked;              /* for a revoke: decisions withdrawn */
};

/*
 * Records a decision (or, for action -1, revokes the decisions on subject
 * for scope), with its audit record, inside the caller's transaction. An
 * identical pending decision (same subject, action, scope) gets the
 * actor's approval instead. ERR_INPUT names what is missing or wrong.
 */
int decide_record(struct store *s, const struct policy *p, const struct decide_request *r,
		  struct decide_outcome *ret, struct err *e);

/* A decision as the view holds it. */
struct decide_rec {
	sqlite3_int64 id;
	const char *subject, *decided_by, *decided_at, *reason, *justification;
	enum decide_action action;
	struct decide_scope scope;
	bool active;               /* else pending */
	bool has_until;
	int64_t until;             /* day number */
	bool next_window;          /* until the host's next window (DECIDE_NEXT_WINDOW) */
	int64_t decided;           /* UTC seconds */
	int required;
	long approvals;
};

struct decide_hostctx {
	const char *name, *group, *ring, *tags; /* "" where unset */
	const char *window, *tz;
	/* The start of its next window after a time, computed when first
	 * needed (for next-window decisions): INT64_MIN not yet, INT64_MAX none. */
	int64_t next_after, next_start;
};

/* What hfx needs to say which decision applies to any finding. */
struct decide_view {
	const struct policy *p;
	int64_t today;
	int64_t now;               /* UTC seconds */
	struct decide_rec *recs;   /* non-revoked, sorted by subject, then id */
	size_t nrecs;
	struct decide_hostctx *hosts; /* by host id */
	size_t nhosts;
};

int decide_view_load(struct decide_view *v, struct store *s, const struct policy *p,
		     struct err *e);
void decide_view_release(struct decide_view *v);

enum decide_status {
	DECIDE_NONE,     /* undecided: in the review queue */
	DECIDE_STANDS,   /* an explicit decision stands */
	DECIDE_PENDING,  /* a decision awaits its quorum: in the queue */
	DECIDE_EXPIRED,  /* the last decision expired: back in the queue */
	DECIDE_AUTO,     /* approved by a policy rule */
};

struct decide_state {
	enum decide_status status;
	const struct decide_rec *rec;       /* STANDS, PENDING, EXPIRED */
	const struct policy_rule *rule;     /* AUTO */
};

/* The state of the finding of advisory (with its CVE aliases, space-
 * separated) on host host_id whose priority is priority (-1 unranked). */
void decide_view_state(struct decide_view *v, sqlite3_int64 host_id,
		       const char *advisory, const char *aliases, int priority,
		       struct decide_state *ret);

/* "approve by alice", "accept-risk until 2026-12-31 by bob", "pending
 * accept-risk (1 of 2)", "expired defer (until ...)", "auto-approve
 * (rule test-ring)", or "" for none. */
void decide_state_text(const struct decide_state *st, char *buf, size_t len);

/* True when the finding belongs in the review queue. */
bool decide_state_queued(const struct decide_state *st);

#endif
