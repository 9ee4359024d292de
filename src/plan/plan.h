/*
 * hfx plan: turns the fixes the committee approved into a schedule. For
 * every host, the open findings whose standing decision deploys them
 * (approve, expedite, or an auto-approval rule) become package upgrades,
 * several advisories on one package merging into one upgrade to the
 * highest fixed version; the host gets one job with all of them, a
 * predicted reboot flag and the way back for each package; the scheduler
 * (schedule.h) places the jobs. Hosts that cannot make their due date are
 * listed as needing an exception. docs/PLANNER.md explains the rules.
 */
#ifndef HFX_PLAN_PLAN_H
#define HFX_PLAN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/policy.h"
#include "store/store.h"

struct plan_opts {
	int64_t from;                    /* UTC seconds */
	int horizon_days;                /* 0: the policy's */
	const char *const *only;         /* advisories or CVE ids; all when nonly == 0 */
	size_t nonly;
	const char *actor;
};

struct plan_summary {
	sqlite3_int64 id;
	long hosts, jobs, packages, reboots, exceptions, late;
};

/* Creates a new draft plan (and its audit record) inside the caller's
 * transaction. */
int plan_create(struct store *s, const struct policy *p, const struct plan_opts *o,
		struct plan_summary *ret, struct err *e);

/* Approves a draft plan, audited; an approved plan never changes. */
int plan_approve(struct store *s, sqlite3_int64 id, const char *actor, struct err *e);

#endif
