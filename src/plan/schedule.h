/*
 * The scheduler: places one job per host in time, honouring the ring
 * order and soak times, each host's maintenance windows in its time zone,
 * the groups' max-unavailable at every moment, and blackout periods; and
 * says which hosts miss their due date or cannot be placed at all. Pure
 * computation over what plan.c gathered; docs/PLANNER.md explains it.
 */
#ifndef HFX_PLAN_SCHEDULE_H
#define HFX_PLAN_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/tz.h"
#include "core/policy.h"
#include "core/window.h"

struct sched_host {
	/* in */
	const char *name, *group;       /* group "" for none */
	int ring;                       /* index in the policy's rings */
	long group_size;                /* hosts in the group, for percentages */
	const struct window_set *windows; /* NULL: none */
	const struct tz *tz;            /* the host's time zone */
	int64_t due;                    /* the instant the fixes are due (UTC) */
	bool expedite;                  /* may use an emergency window */
	bool reboot;
	/* out */
	bool placed;
	int64_t start, end;             /* the job, when placed */
	bool emergency;                 /* placed outside the regular windows */
	bool late;                      /* ends after due */
	char reason[160];               /* why it is late or not placed */
};

/*
 * Places every host, ring after ring, each ring's hosts by due date then
 * name, in the earliest slot from `from` that fits; slots after horizon
 * are not used (the host is then not placed, with a reason). Returns 0 or
 * ERR_NOMEM / ERR_INPUT (a bad time zone conversion).
 */
int schedule(const struct policy *p, int64_t from, int64_t horizon, struct sched_host *hosts,
	     size_t n, struct err *e);

#endif
