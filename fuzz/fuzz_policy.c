/*
 * libFuzzer target for the policy file parser (src/core/policy.c) and,
 * through it, the INI tokenizer (src/base/ini.c).
 *
 * Beyond the sanitizers' own checks: a failure leaves a message and the
 * output untouched; a parsed policy has every number of days in range
 * (a group's -1 meaning "as [due]"), a threshold in [0, 1], enums within
 * their ranges, groups named, unique and sorted, policy_days() agreeing
 * with the groups, risk acceptances of 1 to POLICY_DAYS_MAX days, quorums
 * of 1 to POLICY_QUORUM_MAX agreeing with policy_quorum(), at most
 * POLICY_RULES_MAX rules, named, unique, sorted, each with a priority and
 * valid ring and group, policy_auto_approve() finding a rule (the first by
 * name) for what each rule covers, the rollout: 1 to POLICY_RINGS_MAX
 * different valid rings that policy_ring_index() finds in order, a
 * default ring among them, minutes, hours, days and counts in range, ring
 * sections sorted, unique, among the rings and returned by
 * policy_ring_settings(), every group's max-unavailable in range and
 * policy_max_unavailable() at least 1 and as the rounding says, blackouts
 * sorted, unique, ending after they start, and policy_blackout_at()
 * agreeing with a plain reimplementation for intervals inside, around,
 * touching and overlapping each, empty ones too; canonical text of whole
 * lines with no unprintable value ('?'), and a digest of 64 hex digits.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_days(int d, bool group)
{
	if (d > POLICY_DAYS_MAX || d < (group ? -1 : 0))
		abort();
}

static void check_groups(const struct policy *p)
{
	if (p->ngroups > POLICY_GROUPS_MAX)
		abort();
	for (size_t i = 0; i < p->ngroups; i++) {
		const struct policy_group *g = &p->groups[i];
		size_t n = strnlen(g->name, sizeof(g->name));

		if (n == 0 || n > POLICY_NAME_MAX)
			abort();
		if (i > 0 && strcmp(p->groups[i - 1].name, g->name) >= 0)
			abort();
		if (policy_group_find(p, g->name) != g)
			abort();
		for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++) {
			check_days(g->days[pr], true);
			if (policy_days(p, g->name, (enum ssvc_priority)pr) !=
			    (g->days[pr] >= 0 ? g->days[pr] : p->days[pr]))
				abort();
		}
	}
}

static void check_decisions(const struct policy *p)
{
	for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++) {
		if (p->accept_risk_days[pr] < 1 || p->accept_risk_days[pr] > POLICY_DAYS_MAX)
			abort();
		for (int a = 0; a < DECIDE_NACTIONS; a++)
			if (p->quorum[a][pr] < 1 || p->quorum[a][pr] > POLICY_QUORUM_MAX ||
			    policy_quorum(p, (enum decide_action)a, (enum ssvc_priority)pr) !=
				    p->quorum[a][pr])
				abort();
	}
}

/* A rule's ring or group: empty, or a name as hosts have them. */
static void check_name(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789._-") != n)
		abort();
}

static void check_rules(const struct policy *p)
{
	if (p->nrules > POLICY_RULES_MAX)
		abort();
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		size_t n = strnlen(r->name, sizeof(r->name));
		bool any = false;

		if (n == 0 || n > POLICY_NAME_MAX)
			abort();
		if (i > 0 && strcmp(p->rules[i - 1].name, r->name) >= 0)
			abort();
		check_name(r->ring, sizeof(r->ring));
		check_name(r->group, sizeof(r->group));
		for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++) {
			const struct policy_rule *m;

			if (!r->priority[pr])
				continue;
			any = true;
			m = policy_auto_approve(p, (enum ssvc_priority)pr, r->ring, r->group);
			if (!m || strcmp(m->name, r->name) > 0)
				abort();
		}
		if (!any)
			abort();
	}
}

/* A name as hosts have them, not empty. */
static void check_some_name(const char *s, size_t size)
{
	check_name(s, size);
	if (!s[0])
		abort();
}

static void check_rings(const struct policy *p)
{
	if (p->nrings < 1 || p->nrings > POLICY_RINGS_MAX)
		abort();
	for (size_t i = 0; i < p->nrings; i++) {
		check_some_name(p->rings[i], sizeof(p->rings[i]));
		if (policy_ring_index(p, p->rings[i]) != (int)i)
			abort(); /* found, and no earlier duplicate */
	}
	for (size_t i = p->nrings; i < POLICY_RINGS_MAX; i++)
		if (p->rings[i][0])
			abort();
	check_some_name(p->default_ring, sizeof(p->default_ring));
	if (policy_ring_index(p, NULL) < 0 ||
	    policy_ring_index(p, "") != policy_ring_index(p, NULL) ||
	    policy_ring_index(p, p->default_ring) != policy_ring_index(p, NULL))
		abort();
	if (p->job_minutes < 1 || p->job_minutes > 1440 || p->reboot_minutes < 0 ||
	    p->reboot_minutes > 1440 || p->horizon_days < 1 || p->horizon_days > 365)
		abort();
	if (p->nring_confs > POLICY_RINGS_MAX)
		abort();
	for (size_t i = 0; i < p->nring_confs; i++) {
		const struct policy_ring *r = &p->ring_confs[i];
		struct policy_ring got = policy_ring_settings(p, r->name);

		check_some_name(r->name, sizeof(r->name));
		if (i > 0 && strcmp(p->ring_confs[i - 1].name, r->name) >= 0)
			abort();
		if (policy_ring_index(p, r->name) < 0 || r->soak_hours < 0 ||
		    r->soak_hours > 8760 || r->max_failures < 0 || r->max_failures > 100000)
			abort();
		if (strcmp(got.name, r->name) || got.soak_hours != r->soak_hours ||
		    got.max_failures != r->max_failures)
			abort();
	}
}

static void check_limits(const struct policy *p)
{
	static const long sizes[] = { -1, 0, 1, 3, 7, 100, 999, LONG_MAX };

	for (size_t i = 0; i < p->ngroups; i++) {
		struct policy_limit l = p->groups[i].max_unavailable;

		if (l.value < 1 || l.value > (l.percent ? 100 : POLICY_LIMIT_MAX))
			abort();
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			int n = policy_max_unavailable(p, p->groups[i].name, sizes[k]);

			if (n < 1 || (!l.percent && n != l.value))
				abort();
			if (l.percent && sizes[k] > 0 && sizes[k] < 1000 &&
			    n != (sizes[k] * l.value / 100 > 0 ? sizes[k] * l.value / 100 : 1))
				abort();
		}
	}
}

/* policy_blackout_at() written the obvious way, to compare with. */
static bool blackout_at(const struct policy *p, const char *group, int64_t from, int64_t to,
			int64_t *ret_end)
{
	bool hit = false;

	for (size_t i = 0; i < p->nblackouts; i++) {
		const struct policy_blackout *b = &p->blackouts[i];
		bool applies = !b->group[0] || (group && !strcmp(group, b->group));

		if (applies && from < to && b->from < to && from < b->to) {
			if (!hit || b->to > *ret_end)
				*ret_end = b->to;
			hit = true;
		}
	}
	return hit;
}

static void check_blackouts(const struct policy *p)
{
	if (p->nblackouts > POLICY_BLACKOUTS_MAX)
		abort();
	for (size_t i = 0; i < p->nblackouts; i++) {
		const struct policy_blackout *b = &p->blackouts[i];
		/* intervals inside, around, touching and just overlapping it */
		const int64_t iv[][2] = {
			{ b->from, b->to }, { b->from - 1, b->from }, { b->to, b->to + 1 },
			{ b->to - 1, b->to + 3600 }, { b->from - 60, b->from + 1 },
			{ b->from, b->from }, { b->to, b->from },
		};
		const char *groups[] = { b->group, NULL, "", "other-group" };

		check_some_name(b->name, sizeof(b->name));
		check_name(b->group, sizeof(b->group));
		if (i > 0 && strcmp(p->blackouts[i - 1].name, b->name) >= 0)
			abort();
		if (b->to <= b->from)
			abort();
		for (size_t k = 0; k < sizeof(iv) / sizeof(iv[0]); k++) {
			for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
				int64_t end = INT64_MIN, want_end = INT64_MIN;
				const char *gr = groups[g];
				bool got = policy_blackout_at(p, gr, iv[k][0], iv[k][1], &end);

				if (got != blackout_at(p, gr, iv[k][0], iv[k][1], &want_end) ||
				    end != want_end)
					abort();
			}
		}
		if (!policy_blackout_at(p, b->group, b->from, b->to, NULL))
			abort();
	}
}

static void check_text(const struct policy *p)
{
	char digest[65];
	struct err e = { "" };
	struct buf b;

	buf_init(&b, 1 << 20);
	if (policy_canonical(p, &b, &e) || b.len == 0 || b.data[b.len - 1] != '\n' ||
	    strstr(b.data, "=?\n"))
		abort();
	buf_release(&b);
	if (policy_digest(p, digest, &e) || strspn(digest, "0123456789abcdef") != 64 || digest[64])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy p, sentinel;
	struct err e = { "" };

	memset(&p, 0xa5, sizeof(p));
	sentinel = p;
	if (policy_parse((const char *)data, size, "fuzz.conf", &p, &e)) {
		if (!e.msg[0] || memcmp(&p, &sentinel, sizeof(p)))
			abort();
		return 0;
	}
	for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++)
		check_days(p.days[pr], false);
	if (!(p.epss_threshold >= 0 && p.epss_threshold <= 1))
		abort();
	if (p.default_exposure > SSVC_EXPOSURE_OPEN || p.default_impact > SSVC_IMPACT_VERY_HIGH)
		abort();
	check_groups(&p);
	check_decisions(&p);
	check_rules(&p);
	check_rings(&p);
	check_limits(&p);
	check_blackouts(&p);
	check_text(&p);
	return 0;
}
