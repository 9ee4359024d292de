/*
 * CISA's SSVC deployer decision ("Deployer Patch Application Priority"
 * 1.0.0): from four decision points to "defer", "scheduled",
 * "out-of-cycle" or "immediate". Pure logic: how a finding's inputs are
 * derived (KEV, EPSS, host exposure, CVSS) is decided elsewhere.
 */
#ifndef HFX_CORE_SSVC_H
#define HFX_CORE_SSVC_H

#include <stdbool.h>

enum ssvc_exploitation { SSVC_EXPLOIT_NONE, SSVC_EXPLOIT_PUBLIC_POC, SSVC_EXPLOIT_ACTIVE };
enum ssvc_exposure { SSVC_EXPOSURE_SMALL, SSVC_EXPOSURE_CONTROLLED, SSVC_EXPOSURE_OPEN };
enum ssvc_impact { SSVC_IMPACT_LOW, SSVC_IMPACT_MEDIUM, SSVC_IMPACT_HIGH, SSVC_IMPACT_VERY_HIGH };
/* In increasing urgency, so priorities compare with < and >. */
enum ssvc_priority { SSVC_DEFER, SSVC_SCHEDULED, SSVC_OUT_OF_CYCLE, SSVC_IMMEDIATE };

/* The deployer table's outcome. */
enum ssvc_priority ssvc_deployer(enum ssvc_exploitation exploitation,
				 enum ssvc_exposure exposure, bool automatable,
				 enum ssvc_impact impact);

/* "defer", "scheduled", "out-of-cycle", "immediate". */
const char *ssvc_priority_name(enum ssvc_priority p);

#endif
