/*
 * The SSVC deployer decision table; see ssvc.h. The 72 outcomes are the
 * specification's own table (CISA/CERT-CC SSVC, "Deployer Patch
 * Application Priority" 1.0.0), written out in index order; the unit test
 * checks every row against the published CSV.
 */
#include "core/ssvc.h"

/* [exploitation][exposure][automatable][human impact], flattened. */
static const enum ssvc_priority table[3 * 3 * 2 * 4] = {
	SSVC_DEFER, SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, /* none, small, automatable no */
	SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* none, small, automatable yes */
	SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* none, controlled, automatable no */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* none, controlled, automatable yes */
	SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* none, open, automatable no */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, /* none, open, automatable yes */
	SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* public PoC, small, automatable no */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* public PoC, small, automatable yes */
	SSVC_DEFER, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, /* public PoC, controlled, automatable no */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, /* public PoC, controlled, automatable yes */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, /* public PoC, open, automatable no */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, /* public PoC, open, automatable yes */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, /* active, small, automatable no */
	SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, /* active, small, automatable yes */
	SSVC_SCHEDULED, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, /* active, controlled, automatable no */
	SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, /* active, controlled, automatable yes */
	SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, SSVC_IMMEDIATE, /* active, open, automatable no */
	SSVC_OUT_OF_CYCLE, SSVC_OUT_OF_CYCLE, SSVC_IMMEDIATE, SSVC_IMMEDIATE, /* active, open, automatable yes */
};

enum ssvc_priority ssvc_deployer(enum ssvc_exploitation exploitation,
				 enum ssvc_exposure exposure, bool automatable,
				 enum ssvc_impact impact)
{
	unsigned i = (unsigned)exploitation * 24 + (unsigned)exposure * 8 + (automatable ? 4u : 0u) +
		     (unsigned)impact;

	/* Out-of-range enums are a programming error; answer the most urgent
	 * rather than index past the table. */
	return i < sizeof(table) / sizeof(table[0]) ? table[i] : SSVC_IMMEDIATE;
}

const char *ssvc_priority_name(enum ssvc_priority p)
{
	switch (p) {
	case SSVC_DEFER: return "defer";
	case SSVC_SCHEDULED: return "scheduled";
	case SSVC_OUT_OF_CYCLE: return "out-of-cycle";
	case SSVC_IMMEDIATE: return "immediate";
	}
	return "?";
}
