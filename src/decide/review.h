/*
 * The review queue: one item per advisory that affects hosts and has no
 * standing decision (nor an auto-approval) for some of them, most urgent
 * first; the committee works through it with `hfx decide`.
 */
#ifndef HFX_DECIDE_REVIEW_H
#define HFX_DECIDE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "decide/decide.h"

#define REVIEW_GROUPS_MAX 8

struct review_group {
	char name[64];   /* "" for hosts without a group; "..." for the rest */
	long hosts;
};

struct review_item {
	char advisory[128], aliases[512];
	int priority;              /* the highest among its queued findings; -1 unranked */
	char due[16];              /* the earliest */
	char first_seen[32];       /* the earliest */
	long hosts;
	bool fixable;              /* a fixed version exists for some of them */
	size_t ngroups;
	struct review_group groups[REVIEW_GROUPS_MAX];
	char note[128];            /* a pending or expired decision, else "" */
};

/* The queue, sorted by priority, then due date, then advisory. The caller
 * frees *ret. */
int review_queue(struct store *s, struct decide_view *v, struct review_item **ret,
		 size_t *ret_n, struct err *e);

#endif
