/*
 * Decisions in the store (core/decision.h for what they mean): recording,
 * approvals towards a quorum, revocation, and listing.
 */
#ifndef HFX_STORE_DECISION_STORE_H
#define HFX_STORE_DECISION_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

struct decision_new {
	const char *subject, *action, *scope;
	const char *until;                   /* "2026-12-31" or NULL */
	const char *reason, *justification;  /* NULL when not given */
	int priority, required;              /* at decision time; approvals needed */
	const char *state;                   /* "pending" or "active" */
	const char *by;
};

/* Inserts a decision with the decider's approval; *ret_id gets its id. */
int decision_insert(struct store *s, const struct decision_new *d, sqlite3_int64 *ret_id,
		    struct err *e);

/* The pending decision with this subject, action and scope; 0 when none. */
int decision_find_pending(struct store *s, const char *subject, const char *action,
			  const char *scope, sqlite3_int64 *ret_id, struct err *e);

/* Adds person's approval; *ret_approvals gets the count after it. ERR_INPUT
 * when that person already approved. */
int decision_add_approval(struct store *s, sqlite3_int64 id, const char *person,
			  long *ret_approvals, struct err *e);

int decision_activate(struct store *s, sqlite3_int64 id, struct err *e);

/* Revokes every pending or active decision on subject for scope; *ret_n
 * gets how many. */
int decision_revoke(struct store *s, const char *subject, const char *scope, const char *by,
		    long *ret_n, struct err *e);

/* True when subject names an advisory or is an alias of one. */
int decision_subject_known(struct store *s, const char *subject, bool *ret, struct err *e);

/* An open finding of an advisory that subject names (its id or an alias),
 * with what scopes look at. */
struct subject_finding {
	const char *host, *group, *tags; /* "" when unset */
	int priority;                    /* -1: not ranked */
};

typedef int (*subject_finding_cb)(const struct subject_finding *f, void *ctx, struct err *e);

int decision_subject_findings(struct store *s, const char *subject, subject_finding_cb cb,
			      void *ctx, struct err *e);

struct decision_row {
	sqlite3_int64 id;
	const char *subject, *action, *scope, *until, *reason, *justification, *state;
	const char *decided_by, *decided_at, *revoked_by, *revoked_at;
	int priority, required;
	long approvals;
	bool withdrawn; /* an advisory the subject names (or that has it as an alias)
			 * has been withdrawn: the decision needs a second look */
};

typedef int (*decision_cb)(const struct decision_row *r, void *ctx, struct err *e);

/* Decisions by id; revoked ones too when with_revoked. A decision's subject
 * whose advisory was withdrawn is flagged (decision_row.withdrawn). */
int decision_list(struct store *s, bool with_revoked, decision_cb cb, void *ctx,
		  struct err *e);

/* The time of the last meeting agenda ("" when none), and recording one. */
int agenda_last(struct store *s, char ret[32], struct err *e);
int agenda_record(struct store *s, const char *actor, struct err *e);

#endif
