/*
 * How serious a finding is for this company: the four SSVC deployer
 * inputs derived from what hfx knows (CISA KEV, EPSS, the advisory's
 * CVSS vector, the host's exposure and criticality), the resulting
 * priority, and the due date the policy gives it. Pure logic: the store
 * supplies the facts, core/policy.h the rules. The rules themselves are
 * documented in docs/POLICY.md.
 */
#ifndef HFX_CORE_ASSESS_H
#define HFX_CORE_ASSESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/policy.h"
#include "core/ssvc.h"

/* What hfx knows of an advisory's threat, gathered over all its CVE ids. */
struct assess_threat {
	bool kev;            /* one of its CVEs is in CISA KEV */
	int64_t kev_due;     /* the earliest KEV due date (day number), if kev */
	bool has_epss;
	double epss;         /* the highest EPSS probability of its CVEs */
	int automatable;     /* from the ranking CVSS vector: 1, 0; -1 no vector */
};

/* A host's context; -1 where the host has no such attribute. */
struct assess_host {
	int exposure;        /* enum ssvc_exposure */
	int impact;          /* enum ssvc_impact, from the host's criticality */
	const char *group;   /* NULL or "": none */
};

struct assess_inputs {
	enum ssvc_exploitation exploitation;
	enum ssvc_exposure exposure;
	bool automatable;
	enum ssvc_impact impact;
	/* Which inputs are the policy's defaults rather than facts. */
	bool default_exposure, default_impact, default_automatable;
};

/* The SSVC inputs of a finding of an advisory with threat t on host h. */
void assess_inputs(const struct policy *p, const struct assess_threat *t,
		   const struct assess_host *h, struct assess_inputs *ret);

/* A finding's stored rank: its priority and deadline, as day numbers. */
struct assess_rank {
	enum ssvc_priority priority;
	int64_t due;         /* the deadline */
	int64_t since;       /* the day its deadline counts from */
};

/*
 * The rank of a finding first seen on day first_seen whose inputs give
 * priority pr. prev is its stored rank (NULL when it has none yet); today
 * is the day of the ranking.
 *
 * The deadline is always `since` plus the policy's days for the priority:
 * a new finding counts from the day it was first seen; a raised priority
 * counts from today, but never ends later than the deadline it had (since
 * moves back to make it so); otherwise since stays, so a lowered priority
 * or a changed policy recomputes the deadline from the same day. An
 * earlier KEV due date then wins when the policy says so.
 */
void assess_deadline(const struct policy *p, const char *group, enum ssvc_priority pr,
		     int64_t first_seen, const struct assess_rank *prev, int64_t today,
		     const struct assess_threat *t, struct assess_rank *ret);

#endif
