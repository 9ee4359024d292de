/*
 * The committee's decisions: actions, scopes and which decision stands for
 * a finding. Pure logic; the store keeps decisions (store/decision_store.h)
 * and decide/ records them.
 *
 * A decision is about a subject (an advisory id, or a CVE id that covers
 * every advisory aliasing it) for a scope of hosts: all, a group, one
 * host, or the hosts carrying a tag. For one finding the decision that
 * stands is the most specific one that applies (host, then tag, then
 * group, then all), the latest of equally specific ones; pending, revoked
 * and expired decisions do not stand.
 */
#ifndef HFX_CORE_DECISION_H
#define HFX_CORE_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum decide_action {
	DECIDE_APPROVE,      /* deploy by the due date */
	DECIDE_EXPEDITE,     /* deploy out of cycle */
	DECIDE_DEFER,        /* not before a date */
	DECIDE_ACCEPT_RISK,  /* not fixed, with a reason, until a date */
	DECIDE_NOT_AFFECTED, /* with a VEX justification */
	DECIDE_MITIGATED,    /* a workaround is in place */
	DECIDE_NACTIONS
};

/* "approve", "expedite", "defer", "accept-risk", "not-affected", "mitigated". */
const char *decide_action_name(enum decide_action a);
/* The action named s; -1 when none (also for "revoke", which is a command,
 * not a decision). */
int decide_action_parse(const char *s);
/* True for the actions that say "deploy" (approve, expedite). */
bool decide_action_deploys(enum decide_action a);

/* The VEX justifications for not-affected (OpenVEX and CSAF flag names). */
bool decide_justification_valid(const char *s);
extern const char *const decide_justifications[]; /* NULL-terminated */

enum decide_scope_kind { SCOPE_ALL, SCOPE_GROUP, SCOPE_TAG, SCOPE_HOST };

#define DECIDE_SCOPE_MAX 160

struct decide_scope {
	enum decide_scope_kind kind;
	char value[DECIDE_SCOPE_MAX]; /* group or host name, or "K=V" / "K" for a tag */
};

/* Parses "all", "group:G", "host:H", "tag:K=V" (or "tag:K"). ERR_INPUT
 * with the reason otherwise. */
int decide_scope_parse(const char *s, struct decide_scope *ret, struct err *e);
/* The canonical text of a scope, as parsed. */
void decide_scope_format(const struct decide_scope *sc, char ret[DECIDE_SCOPE_MAX + 8]);

/* A host as scopes see it. */
struct decide_host {
	const char *name, *group, *tags; /* tags canonical: "a,b=2" ("" none) */
};

/* Whether the scope covers the host. */
bool decide_scope_covers(const struct decide_scope *sc, const struct decide_host *h);

#endif
