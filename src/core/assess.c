/* SSVC inputs, priority and deadline of a finding; see assess.h. */
#include "core/assess.h"

#include <stddef.h>

void assess_inputs(const struct policy *p, const struct assess_threat *t,
		   const struct assess_host *h, struct assess_inputs *ret)
{
	struct assess_inputs in = { 0 };

	if (t->kev)
		in.exploitation = SSVC_EXPLOIT_ACTIVE;
	else if (t->has_epss && t->epss >= p->epss_threshold)
		in.exploitation = SSVC_EXPLOIT_PUBLIC_POC;
	else
		in.exploitation = SSVC_EXPLOIT_NONE;
	in.default_exposure = h->exposure < 0;
	in.exposure = in.default_exposure ? p->default_exposure : (enum ssvc_exposure)h->exposure;
	in.default_impact = h->impact < 0;
	in.impact = in.default_impact ? p->default_impact : (enum ssvc_impact)h->impact;
	/* Without a vector nothing says an attack needs a foothold, a
	 * privilege or a user: assume the worst. */
	in.default_automatable = t->automatable < 0;
	in.automatable = t->automatable != 0;
	*ret = in;
}

void assess_deadline(const struct policy *p, const char *group, enum ssvc_priority pr,
		     int64_t first_seen, const struct assess_rank *prev, int64_t today,
		     const struct assess_threat *t, struct assess_rank *ret)
{
	int64_t days = policy_days(p, group, pr);
	struct assess_rank r = { .priority = pr };

	if (!prev) {
		r.since = first_seen;
	} else if (pr > prev->priority) {
		/* The deadline it had by the policy, not by KEV: the KEV date is
		 * applied below either way, and must not move `since`. */
		int64_t had = prev->since + policy_days(p, group, prev->priority);

		r.since = (today + days < had ? today + days : had) - days;
	} else {
		r.since = prev->since;
	}
	r.due = r.since + days;
	if (t->kev && p->kev_due_wins && t->kev_due < r.due)
		r.due = t->kev_due;
	*ret = r;
}
