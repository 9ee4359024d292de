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
 * name) for what each rule covers, canonical text of whole lines with no
 * unprintable value ('?'), and a digest of 64 hex digits.
 */
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
	check_text(&p);
	return 0;
}
