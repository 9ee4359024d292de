/*
 * The policy model; see policy.h. The tables of sections and keys, the
 * defaults, the lookups and the parser. policy_kind.c reads and writes
 * each kind of value; policy_text.c writes the canonical text and the
 * reference from the same tables (policy_table.h explains them).
 *
 * Every key is one row of policy_keys below, so adding a key is one row
 * plus a struct field (and a kind, if its values are of a new sort); a new
 * kind of named section is a row of policy_sections plus its struct.
 */
#include "core/policy.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ini.h"
#include "base/show.h"
#include "core/policy_table.h"

/* ---- the tables ---- */

/*
 * The names of enum decide_action, in its order: they must match
 * decide_action_name() in core/decision.h (tests/core/test_policy.c checks
 * that they do). A copy rather than a call, so that the policy does not
 * depend on the decision code at link time.
 */
static const char *const action_names[] = {
	[DECIDE_APPROVE] = "approve",           [DECIDE_EXPEDITE] = "expedite",
	[DECIDE_DEFER] = "defer",               [DECIDE_ACCEPT_RISK] = "accept-risk",
	[DECIDE_NOT_AFFECTED] = "not-affected", [DECIDE_MITIGATED] = "mitigated",
	[DECIDE_NACTIONS] = NULL,
};
_Static_assert(DECIDE_NACTIONS == 6, "core/decision.h changed its actions: name them here");

#define P(field) offsetof(struct policy, field)
#define G(field) offsetof(struct policy_group, field)
#define Q(pr) ((size_t)(pr) * sizeof(int)) /* in one row of quorum[][] */
#define R(field) offsetof(struct policy_rule, field)
#define N(field) offsetof(struct policy_ring, field)
#define B(field) offsetof(struct policy_blackout, field)

/* A list's instances are sorted and found by the name they start with. */
_Static_assert(offsetof(struct policy_group, name) == 0, "a group starts with its name");
_Static_assert(offsetof(struct policy_rule, name) == 0, "a rule starts with its name");
_Static_assert(offsetof(struct policy_ring, name) == 0, "a ring starts with its name");
_Static_assert(offsetof(struct policy_blackout, name) == 0, "a blackout starts with its name");
/* KIND_NAMES: the names, then their count (policy_table.h). */
_Static_assert(sizeof(((struct policy *)0)->rings) == NAMES_COUNT_AT &&
		       offsetof(struct policy, nrings) ==
			       offsetof(struct policy, rings) + NAMES_COUNT_AT,
	       "rings, then nrings, as struct names_value");

const struct section_def policy_sections[] = {
	{ "due", NULL,
	  "Days from the day a finding is first seen to its due date, by its SSVC priority.",
	  0, 0, 0, NULL, 0, NULL, NULL, false },
	{ "assess", NULL,
	  "How the SSVC decision points are derived where the data does not say.",
	  0, 0, 0, NULL, 0, NULL, NULL, false },
	{ "group", "NAME",
	  "Overrides of [due] for the hosts in group NAME (the host's group; NAME is 1 to 63 "
	  "of A-Z a-z 0-9 . _ -, case-sensitive). A key not set here takes the [due] value; a "
	  "host in a group no section names gets [due].",
	  P(groups), sizeof(struct policy_group), POLICY_GROUPS_MAX, NULL, P(ngroups), "group",
	  "groups", false },
	{ "accept-risk", NULL,
	  "The longest a risk acceptance (an accept-risk decision) may last, in days from the "
	  "day it is taken to the day it ends, by the finding's SSVC priority. When it ends, "
	  "the finding is due again.",
	  0, 0, 0, NULL, 0, NULL, NULL, false },
	{ "quorum", "ACTION",
	  "How many different approvers a decision of action ACTION needs, by the finding's "
	  "SSVC priority: the decision stays pending until that many different approvers "
	  "agreed. A key not set here keeps its default.",
	  P(quorum), sizeof(((struct policy *)0)->quorum[0]), DECIDE_NACTIONS, action_names, 0,
	  "action", NULL, false },
	{ "auto-approve", "NAME",
	  "A rule that approves findings without a decision: a finding of one of the rule's "
	  "priorities, on a host in its ring and group, counts as approved unless an explicit "
	  "decision applies to it, which always wins over a rule. NAME is 1 to 63 of A-Z a-z "
	  "0-9 . _ -, case-sensitive; when several rules match, the first by NAME is the one "
	  "reported.",
	  P(rules), sizeof(struct policy_rule), POLICY_RULES_MAX, NULL, P(nrules), "rule",
	  "rules", false },
	{ "rollout", NULL,
	  "How the planner (`hfx plan create`) rolls fixes out: the rings in the order they "
	  "go, how long one host's job is planned to take, whether expedited fixes may leave "
	  "the maintenance windows, and how far ahead a plan looks.",
	  0, 0, 0, NULL, 0, NULL, NULL, false },
	{ "ring", "NAME",
	  "The settings of ring NAME, one of [rollout] rings (another name is an error). A ring "
	  "without a section has the defaults.",
	  P(ring_confs), sizeof(struct policy_ring), POLICY_RINGS_MAX, NULL, P(nring_confs),
	  "ring", "rings", false },
	{ "blackout", "NAME",
	  "A period when no job may run: on the hosts of its group, or on every host when it "
	  "has none. It covers from up to, not including, to. NAME (1 to 63 of A-Z a-z 0-9 . _ "
	  "-, case-sensitive) only tells blackouts apart.",
	  P(blackouts), sizeof(struct policy_blackout), POLICY_BLACKOUTS_MAX, NULL,
	  P(nblackouts), "blackout", "blackouts", false },
	{ "notify", NULL,
	  "Where `hfx notify` sends its digest of news: new advisories that affect hosts, "
	  "raised priorities, overdue, reissued and regressed findings, failed deployments, "
	  "halted waves and rollbacks (docs/NOTIFY.md). Each webhook gets an HTTP POST of a "
	  "JSON body, the recipients one e-mail. These keys change no rank or plan: they are "
	  "not part of the policy's digest, nor of `hfx policy show`.",
	  0, 0, 0, NULL, 0, NULL, NULL, true },
};

const size_t policy_nsections = sizeof(policy_sections) / sizeof(policy_sections[0]);

const struct key_def policy_keys[] = {
	{ "due", "immediate", KIND_DAYS, OWN_RANGE, P(days[SSVC_IMMEDIATE]), "2", 0,
	  "Days for priority immediate: act now, outside any maintenance window." },
	{ "due", "out-of-cycle", KIND_DAYS, OWN_RANGE, P(days[SSVC_OUT_OF_CYCLE]), "7", 0,
	  "Days for priority out-of-cycle: act sooner than the next regular window." },
	{ "due", "scheduled", KIND_DAYS, OWN_RANGE, P(days[SSVC_SCHEDULED]), "30", 0,
	  "Days for priority scheduled: in the regular maintenance window." },
	{ "due", "defer", KIND_DAYS, OWN_RANGE, P(days[SSVC_DEFER]), "90", 0,
	  "Days for priority defer: nothing urgent now, but the fix is still due." },
	{ "assess", "epss-threshold", KIND_FRACTION, OWN_RANGE, P(epss_threshold), "0.1", 0,
	  "EPSS probability at or above which a CVE not in CISA KEV counts as Exploitation "
	  "public PoC (below it: none)." },
	{ "assess", "kev-due-date-wins", KIND_BOOL, OWN_RANGE, P(kev_due_wins), "yes", 0,
	  "For a CVE in CISA KEV, the KEV due date applies when it is earlier than the "
	  "policy's." },
	{ "assess", "default-exposure", KIND_EXPOSURE, OWN_RANGE, P(default_exposure), "internet",
	  0,
	  "System Exposure of a host whose exposure is not set: internet is open, dmz "
	  "controlled, internal and isolated small." },
	{ "assess", "default-criticality", KIND_IMPACT, OWN_RANGE, P(default_impact), "medium",
	  0,
	  "Human Impact of a host whose criticality is not set: low, medium, high, or "
	  "critical (very high)." },
	{ "group", "immediate", KIND_DAYS, OWN_RANGE, G(days[SSVC_IMMEDIATE]), NULL,
	  P(days[SSVC_IMMEDIATE]), "Days for priority immediate on this group's hosts." },
	{ "group", "out-of-cycle", KIND_DAYS, OWN_RANGE, G(days[SSVC_OUT_OF_CYCLE]), NULL,
	  P(days[SSVC_OUT_OF_CYCLE]), "Days for priority out-of-cycle on this group's hosts." },
	{ "group", "scheduled", KIND_DAYS, OWN_RANGE, G(days[SSVC_SCHEDULED]), NULL,
	  P(days[SSVC_SCHEDULED]), "Days for priority scheduled on this group's hosts." },
	{ "group", "defer", KIND_DAYS, OWN_RANGE, G(days[SSVC_DEFER]), NULL,
	  P(days[SSVC_DEFER]), "Days for priority defer on this group's hosts." },
	{ "group", "max-unavailable", KIND_LIMIT, OWN_RANGE, G(max_unavailable), "1", 0,
	  "How many of this group's hosts may be in a job at the same moment, at every moment "
	  "of a plan: a number of hosts, or a percentage of the group's hosts (rounded down, "
	  "but at least 1)." },
	{ "group", "pre-hook", KIND_COMMAND, OWN_RANGE, G(pre_hook), "", 0,
	  "Runs on the host before a deploy job changes anything (take a snapshot, a "
	  "backup); a failure or timeout aborts the job before any change." },
	{ "group", "health-check", KIND_COMMAND, OWN_RANGE, G(health_check), "", 0,
	  "Runs on the host after the install is verified; exit 0 is healthy, anything "
	  "else (or a timeout) rolls the job back." },
	{ "group", "post-hook", KIND_COMMAND, OWN_RANGE, G(post_hook), "", 0,
	  "Runs on the host after a job succeeded; its failure is reported, nothing is "
	  "rolled back." },
	{ "group", "revert-hook", KIND_COMMAND, OWN_RANGE, G(revert_hook), "", 0,
	  "Runs on the host when rolling back the packages fails (revert the snapshot the "
	  "pre-hook took)." },
	{ "group", "hook-seconds", KIND_COUNT, { 1, 86400 }, G(hook_seconds), "300", 0,
	  "Time limit of each hook and health check, in seconds." },
	{ "accept-risk", "immediate", KIND_TERM, OWN_RANGE, P(accept_risk_days[SSVC_IMMEDIATE]),
	  "7", 0, "Longest risk acceptance for a finding of priority immediate." },
	{ "accept-risk", "out-of-cycle", KIND_TERM, OWN_RANGE,
	  P(accept_risk_days[SSVC_OUT_OF_CYCLE]), "30", 0,
	  "Longest risk acceptance for a finding of priority out-of-cycle." },
	{ "accept-risk", "scheduled", KIND_TERM, OWN_RANGE, P(accept_risk_days[SSVC_SCHEDULED]),
	  "90", 0, "Longest risk acceptance for a finding of priority scheduled." },
	{ "accept-risk", "defer", KIND_TERM, OWN_RANGE, P(accept_risk_days[SSVC_DEFER]), "365",
	  0,
	  "Longest risk acceptance for a finding of priority defer." },
	{ "quorum", "immediate", KIND_QUORUM, OWN_RANGE, Q(SSVC_IMMEDIATE), "1", 0,
	  "Approvers of a decision about a finding of priority immediate." },
	{ "quorum", "out-of-cycle", KIND_QUORUM, OWN_RANGE, Q(SSVC_OUT_OF_CYCLE), "1", 0,
	  "Approvers of a decision about a finding of priority out-of-cycle." },
	{ "quorum", "scheduled", KIND_QUORUM, OWN_RANGE, Q(SSVC_SCHEDULED), "1", 0,
	  "Approvers of a decision about a finding of priority scheduled." },
	{ "quorum", "defer", KIND_QUORUM, OWN_RANGE, Q(SSVC_DEFER), "1", 0,
	  "Approvers of a decision about a finding of priority defer." },
	{ "auto-approve", "priority", KIND_PRIORITIES, OWN_RANGE, R(priority), NULL, REQUIRED,
	  "The priorities of the findings the rule approves, like scheduled, defer." },
	{ "auto-approve", "ring", KIND_NAME, OWN_RANGE, R(ring), "", 0,
	  "Only hosts in this ring (the host's ring); empty: any ring." },
	{ "auto-approve", "group", KIND_NAME, OWN_RANGE, R(group), "", 0,
	  "Only hosts in this group (the host's group); empty: any group." },
	{ "rollout", "rings", KIND_NAMES, OWN_RANGE, P(rings), "test, pilot, broad", 0,
	  "The rings, in the order a fix rolls out through them: a ring starts when the "
	  "previous one's jobs have ended and its soak time has passed. A host's ring is its "
	  "ring attribute; a ring not listed here is an error when a plan is made." },
	{ "rollout", "default-ring", KIND_SOME_NAME, OWN_RANGE, P(default_ring), "broad", 0,
	  "The ring of hosts without a ring attribute; one of rings." },
	{ "rollout", "job-minutes", KIND_MINUTES, { 1, 1440 }, P(job_minutes), "30", 0,
	  "How long one host's job is planned to take, without a reboot." },
	{ "rollout", "reboot-minutes", KIND_MINUTES, OWN_RANGE, P(reboot_minutes), "15", 0,
	  "Added to a job that reboots its host." },
	{ "rollout", "emergency-window", KIND_BOOL, OWN_RANGE, P(emergency_window), "yes", 0,
	  "Whether the jobs of expedited fixes may be planned outside the hosts' maintenance "
	  "windows, at any time but a blackout (and within max-unavailable); no: they wait for "
	  "a window like the others." },
	{ "rollout", "horizon-days", KIND_TERM, { 1, 365 }, P(horizon_days), "30", 0,
	  "How far ahead `hfx plan create` looks when not told: a job that would start later "
	  "is left out of the plan." },
	{ "ring", "soak-hours", KIND_HOURS, OWN_RANGE, N(soak_hours), "24", 0,
	  "Hours from the end of the ring's last job to the start of the next ring, to notice "
	  "what the fix broke before it goes further." },
	{ "ring", "max-failures", KIND_COUNT, OWN_RANGE, N(max_failures), "0", 0,
	  "Failed jobs the ring tolerates before its wave halts: with 0, the first failure "
	  "halts it." },
	{ "blackout", "from", KIND_TIME, OWN_RANGE, B(from), NULL, REQUIRED,
	  "When the blackout starts." },
	{ "blackout", "to", KIND_TIME, OWN_RANGE, B(to), NULL, REQUIRED,
	  "When it ends: jobs may run again from this instant on. After from." },
	{ "blackout", "group", KIND_NAME, OWN_RANGE, B(group), "", 0,
	  "Only the hosts in this group (the host's group); empty: every host." },
	{ "notify", "webhook", KIND_URLS, OWN_RANGE, P(notify.webhook), "", 0,
	  "URLs that each get the digest as an HTTP POST of a JSON body with a Slack-compatible "
	  "text field; a 2xx answer is a delivery. Tokens in a URL stay out of messages and "
	  "the audit log." },
	{ "notify", "smtp-server", KIND_HOST, OWN_RANGE, P(notify.smtp_server), "", 0,
	  "The SMTP server that relays the digest by e-mail; empty: no e-mail. Needs from "
	  "and to." },
	{ "notify", "smtp-port", KIND_PORT, OWN_RANGE, P(notify.smtp_port), "25", 0,
	  "Its TCP port: 25 (relay), 587 (submission, starttls) or 465 (tls), usually." },
	{ "notify", "smtp-tls", KIND_TLS, OWN_RANGE, P(notify.smtp_tls), "starttls", 0,
	  "starttls: upgrade the connection, and fail when the server cannot; tls: TLS from "
	  "the start (SMTPS); none: plain text, only for a relay on the same host or network "
	  "(refused with smtp-user). The server's certificate is always verified." },
	{ "notify", "smtp-user", KIND_LOGIN, OWN_RANGE, P(notify.smtp_user), "", 0,
	  "The user name to log in with; empty: no login. Needs smtp-password-file." },
	{ "notify", "smtp-password-file", KIND_PATH, OWN_RANGE, P(notify.smtp_password_file),
	  "", 0,
	  "The file whose first line is the SMTP password (the password itself never goes in "
	  "hfx.conf); not readable by others, read at each delivery and wiped from memory "
	  "after it." },
	{ "notify", "from", KIND_ADDRESS, OWN_RANGE, P(notify.from), "", 0,
	  "The sender of the e-mail (the envelope and the From header)." },
	{ "notify", "to", KIND_ADDRESSES, OWN_RANGE, P(notify.to), "", 0,
	  "The recipients of the e-mail." },
	{ "notify", "min-priority", KIND_PRIORITY, OWN_RANGE, P(notify.min_priority), "defer", 0,
	  "Only findings and advisories of this priority or a more urgent one are news; the "
	  "others wait, and are announced if their priority rises to it. Deployments are "
	  "always news." },
	{ "notify", "timeout-seconds", KIND_COUNT, { 1, 600 }, P(notify.timeout_seconds), "30",
	  0, "Time limit of each delivery (one webhook, or the e-mail), in seconds." },
	{ "notify", "max-lines", KIND_COUNT, { 1, 1000 }, P(notify.max_lines), "20", 0,
	  "Lines of each kind of news in the digest's text, the most urgent first; the rest "
	  "are counted (\"and 12 more\"). The JSON events list is bounded separately." },
};

const size_t policy_nkeys = sizeof(policy_keys) / sizeof(policy_keys[0]);
_Static_assert(sizeof(policy_keys) / sizeof(policy_keys[0]) <= POLICY_KEYS_MAX,
	       "raise POLICY_KEYS_MAX");

/* Accepting a risk to an immediate finding takes two people. */
const struct default_def policy_default_defs[] = {
	{ "quorum", "accept-risk", "immediate", "2" },
};

const size_t policy_ndefault_defs = sizeof(policy_default_defs) / sizeof(policy_default_defs[0]);

const struct section_def *policy_section_find(const char *name)
{
	for (size_t i = 0; i < policy_nsections; i++)
		if (!strcmp(policy_sections[i].name, name))
			return &policy_sections[i];
	return NULL;
}

const struct section_def *policy_key_section(const struct key_def *k)
{
	return policy_section_find(k->section);
}

const char *policy_key_default(const struct section_def *sec, const char *instance,
			       const struct key_def *k)
{
	for (size_t i = 0; instance && i < policy_ndefault_defs; i++) {
		const struct default_def *d = &policy_default_defs[i];

		if (!strcmp(d->section, sec->name) && !strcmp(d->instance, instance) &&
		    !strcmp(d->key, k->name))
			return d->def;
	}
	return k->def;
}

void policy_list_add(char *out, size_t size, size_t *o, size_t idx, size_t n, const char *item)
{
	if (*o < size)
		*o += (size_t)snprintf(out + *o, size - *o, "%s%s",
				       idx == 0 ? "" : idx + 1 == n ? " or " : ", ", item);
}

void policy_name_list(const char *const *names, char *out, size_t size)
{
	size_t n = 0, o = 0;

	while (names[n])
		n++;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		policy_list_add(out, size, &o, i, n, names[i]);
}

/* ---- instances of named sections ---- */

size_t policy_instance_count(const struct section_def *sec, const struct policy *p)
{
	size_t n;

	if (sec->names)
		return sec->max;
	n = *(const size_t *)((const char *)p + sec->count);
	return n < sec->max ? n : sec->max;
}

static void *instance_ptr(const struct section_def *sec, struct policy *p, size_t i)
{
	return (char *)p + sec->array + i * sec->size;
}

const void *policy_instance_at(const struct section_def *sec, const struct policy *p, size_t i)
{
	return (const char *)p + sec->array + i * sec->size;
}

const char *policy_instance_name(const struct section_def *sec, const struct policy *p,
				 size_t i)
{
	return sec->names ? sec->names[i] : policy_instance_at(sec, p, i);
}

/* A fresh instance: each key at its default, unset (-1: inherit) or, when
 * required, empty until the file sets it. */
static void instance_init(const struct section_def *sec, void *inst, const char *name)
{
	memset(inst, 0, sec->size);
	if (!sec->names)
		snprintf(inst, POLICY_NAME_MAX + 1, "%s", name);
	for (size_t i = 0; i < policy_nkeys; i++) {
		const struct key_def *k = &policy_keys[i];
		const char *def;

		if (strcmp(k->section, sec->name))
			continue;
		def = policy_key_default(sec, name, k);
		if (def)
			policy_value_parse(k, def, (char *)inst + k->offset);
		else if (k->inherit != REQUIRED)
			*(int *)((char *)inst + k->offset) = -1;
	}
}

/* ---- defaults and lookups ---- */

void policy_defaults(struct policy *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < policy_nkeys; i++) {
		const struct key_def *k = &policy_keys[i];

		if (!policy_key_section(k)->placeholder)
			policy_value_parse(k, k->def, (char *)ret + k->offset);
	}
	/* A fixed set's instances always exist; a list starts empty. */
	for (size_t s = 0; s < policy_nsections; s++) {
		const struct section_def *sec = &policy_sections[s];

		for (size_t i = 0; sec->names && i < sec->max; i++)
			instance_init(sec, instance_ptr(sec, ret, i), sec->names[i]);
	}
}

const struct policy_group *policy_group_find(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].name, name))
			return &p->groups[i];
	return NULL;
}

static bool priority_valid(enum ssvc_priority pr)
{
	return (unsigned)pr <= SSVC_IMMEDIATE;
}

int policy_days(const struct policy *p, const char *group, enum ssvc_priority pr)
{
	const struct policy_group *g = group && *group ? policy_group_find(p, group) : NULL;

	/* An out-of-range priority is a programming error: answer the most
	 * urgent rather than index past the arrays (as ssvc_deployer does). */
	if (!priority_valid(pr))
		pr = SSVC_IMMEDIATE;
	if (g && g->days[pr] >= 0)
		return g->days[pr];
	return p->days[pr];
}

int policy_quorum(const struct policy *p, enum decide_action a, enum ssvc_priority pr)
{
	if ((unsigned)a >= DECIDE_NACTIONS || !priority_valid(pr))
		return POLICY_QUORUM_MAX;
	return p->quorum[a][pr];
}

/* A rule's ring or group, or a blackout's group, matches when it is empty
 * or the host's. */
static bool name_matches(const char *rule, const char *host)
{
	return !rule[0] || (host && !strcmp(rule, host));
}

const struct policy_rule *policy_auto_approve(const struct policy *p, enum ssvc_priority pr,
					      const char *ring, const char *group)
{
	const struct policy_rule *best = NULL;
	size_t n = p->nrules < POLICY_RULES_MAX ? p->nrules : POLICY_RULES_MAX;

	if (!priority_valid(pr))
		return NULL;
	/* The rules of a parsed policy are sorted, but one built by hand may
	 * not be: look at all of them. */
	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->priority[pr] && name_matches(r->ring, ring) && name_matches(r->group, group) &&
		    (!best || strcmp(r->name, best->name) < 0))
			best = r;
	}
	return best;
}

/* ---- rollout ---- */

/* A host without a ring is in the default ring. */
static const char *host_ring(const struct policy *p, const char *ring)
{
	return ring && *ring ? ring : p->default_ring;
}

int policy_ring_index(const struct policy *p, const char *ring)
{
	size_t n = p->nrings < POLICY_RINGS_MAX ? p->nrings : POLICY_RINGS_MAX;

	ring = host_ring(p, ring);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(p->rings[i], ring))
			return (int)i;
	return -1;
}

struct policy_ring policy_ring_settings(const struct policy *p, const char *ring)
{
	const struct section_def *sec = policy_section_find("ring");
	size_t n = policy_instance_count(sec, p);
	struct policy_ring r;

	ring = host_ring(p, ring);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(p->ring_confs[i].name, ring))
			return p->ring_confs[i];
	instance_init(sec, &r, ring); /* the defaults, from the table */
	return r;
}

int policy_max_unavailable(const struct policy *p, const char *group, long group_hosts)
{
	const struct policy_group *g = group && *group ? policy_group_find(p, group) : NULL;
	struct policy_group fresh;
	struct policy_limit l;
	long n;

	if (!g) {
		instance_init(policy_section_find("group"), &fresh, "");
		g = &fresh;
	}
	l = g->max_unavailable;
	/* A policy built by hand may hold anything: at least 1, at most 100%. */
	if (l.value < 1)
		return 1;
	if (!l.percent)
		return l.value;
	if (l.value > 100)
		l.value = 100;
	if (group_hosts <= 0)
		return 1;
	/* The share rounded down, without overflowing l.value * group_hosts. */
	n = group_hosts / 100 * l.value + group_hosts % 100 * l.value / 100;
	return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

bool policy_blackout_at(const struct policy *p, const char *group, int64_t from, int64_t to,
			int64_t *ret_end)
{
	size_t n = p->nblackouts < POLICY_BLACKOUTS_MAX ? p->nblackouts : POLICY_BLACKOUTS_MAX;
	int64_t end = 0;
	bool hit = false;

	if (to <= from)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct policy_blackout *b = &p->blackouts[i];

		/* Both half-open: [from, to) and [b->from, b->to). */
		if (!name_matches(b->group, group) || b->from >= to || from >= b->to)
			continue;
		if (!hit || b->to > end)
			end = b->to;
		hit = true;
	}
	if (hit && ret_end)
		*ret_end = end;
	return hit;
}

/* ---- parsing ---- */

/*
 * Where each key was set, to refuse setting it twice: a row of
 * policy_nkeys line numbers (0: not yet) for the plain sections, then one
 * per instance of each named section, in table order.
 */
struct parse_state {
	struct policy p;
	const char *file;
	int *lines;
};

/* The first row of sec's instances in parse_state.lines (0: plain). */
static size_t first_row(const struct section_def *sec)
{
	size_t row = 1;

	if (!sec->placeholder)
		return 0;
	for (const struct section_def *s = policy_sections; s < sec; s++)
		row += s->placeholder ? s->max : 0;
	return row;
}

/* Rows in all: the plain sections' and every instance's. */
static size_t row_count(void)
{
	size_t rows = 1;

	for (size_t i = 0; i < policy_nsections; i++)
		rows += policy_sections[i].placeholder ? policy_sections[i].max : 0;
	return rows;
}

static int *row_lines(const struct parse_state *st, size_t row)
{
	return st->lines + row * policy_nkeys;
}

/* "immediate, out-of-cycle, scheduled or defer" */
static void key_list(const char *section, char *out, size_t size)
{
	size_t n = 0, idx = 0, o = 0;

	for (size_t i = 0; i < policy_nkeys; i++)
		n += !strcmp(policy_keys[i].section, section);
	out[0] = '\0';
	for (size_t i = 0; i < policy_nkeys; i++)
		if (!strcmp(policy_keys[i].section, section))
			policy_list_add(out, size, &o, idx++, n, policy_keys[i].name);
}

/* "[due], [assess] or [group "NAME"]" */
static void section_list(char *out, size_t size)
{
	char item[INI_NAME_MAX + 16];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < policy_nsections; i++) {
		const struct section_def *sec = &policy_sections[i];

		snprintf(item, sizeof(item), "[%s%s%s%s]", sec->name, sec->placeholder ? " \"" : "",
			 sec->placeholder ? sec->placeholder : "", sec->placeholder ? "\"" : "");
		policy_list_add(out, size, &o, i, policy_nsections, item);
	}
}

static int entry_error(const struct parse_state *st, const struct ini_entry *en, struct err *e,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sets "FILE:LINE: [section "sub"] key: <what>" and returns ERR_INPUT. */
static int entry_error(const struct parse_state *st, const struct ini_entry *en, struct err *e,
		       const char *fmt, ...)
{
	char what[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "%s:%d: [%s%s%s%s] %s: %s", st->file, en->line, en->section,
		       en->subsection ? " \"" : "", en->subsection ? en->subsection : "",
		       en->subsection ? "\"" : "", en->key, what);
}

static const struct key_def *find_key(const char *section, const char *name, size_t *ret_index)
{
	for (size_t i = 0; i < policy_nkeys; i++) {
		if (!strcmp(policy_keys[i].section, section) && !strcmp(policy_keys[i].name, name)) {
			*ret_index = i;
			return &policy_keys[i];
		}
	}
	return NULL;
}

static int check_section(const struct parse_state *st, const struct ini_entry *en,
			 const struct section_def *sec, struct err *e)
{
	char list[256];

	if (!sec) {
		section_list(list, sizeof(list));
		return entry_error(st, en, e, "unknown section (expected %s)", list);
	}
	if (sec->placeholder && !en->subsection)
		return entry_error(st, en, e, "this section needs a name (expected [%s \"%s\"])",
				   sec->name, sec->placeholder);
	if (!sec->placeholder && en->subsection)
		return entry_error(st, en, e, "this section takes no name (expected [%s])",
				   sec->name);
	return 0;
}

/* The index of the instance of sec that the entry's NAME is: one of a
 * fixed set, or of a list, created on its first key. */
static int instance_index(struct parse_state *st, const struct ini_entry *en,
			  const struct section_def *sec, size_t *ret, struct err *e)
{
	size_t n = policy_instance_count(sec, &st->p);
	char list[256];

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(policy_instance_name(sec, &st->p, i), en->subsection)) {
			*ret = i;
			return 0;
		}
	}
	if (sec->names) {
		policy_name_list(sec->names, list, sizeof(list));
		return entry_error(st, en, e, "unknown %s (expected %s)", sec->item, list);
	}
	if (n == sec->max)
		return entry_error(st, en, e, "more than %zu %s", sec->max, sec->items);
	instance_init(sec, instance_ptr(sec, &st->p, n), en->subsection);
	*(size_t *)((char *)&st->p + sec->count) = n + 1;
	*ret = n;
	return 0;
}

static int on_entry(const struct ini_entry *en, void *ctx, struct err *e)
{
	struct parse_state *st = ctx;
	const struct section_def *sec = policy_section_find(en->section);
	const struct key_def *k;
	char shown[SHOW_MAX], list[256], expected[VALUE_TEXT_MAX];
	size_t ki, idx = 0;
	int *lines, r;
	void *base = &st->p;

	r = check_section(st, en, sec, e);
	if (r)
		return r;
	k = find_key(en->section, en->key, &ki);
	if (!k) {
		key_list(en->section, list, sizeof(list));
		return entry_error(st, en, e, "unknown key (expected %s)", list);
	}
	if (sec->placeholder) {
		r = instance_index(st, en, sec, &idx, e);
		if (r)
			return r;
		base = instance_ptr(sec, &st->p, idx);
	}
	lines = row_lines(st, first_row(sec) + idx);
	if (lines[ki])
		return entry_error(st, en, e, "set again (first set on line %d)", lines[ki]);
	if (policy_value_parse(k, en->value, (char *)base + k->offset)) {
		policy_expected(k, expected, sizeof(expected));
		return entry_error(st, en, e, "'%s' is not %s (expected %s)",
				   show_bytes(shown, en->value, strlen(en->value)),
				   policy_kinds[k->kind].what, expected);
	}
	lines[ki] = en->line;
	return 0;
}

/* Every instance the file names sets each of its section's required keys;
 * the first that does not, in table and file order, is the error. */
static int check_required(const struct parse_state *st, struct err *e)
{
	for (size_t s = 0; s < policy_nsections; s++) {
		const struct section_def *sec = &policy_sections[s];
		size_t n = sec->placeholder ? policy_instance_count(sec, &st->p) : 0;

		for (size_t i = 0; i < n; i++) {
			const int *lines = row_lines(st, first_row(sec) + i);
			bool named = false;

			for (size_t ki = 0; ki < policy_nkeys; ki++)
				named |= lines[ki] != 0;
			for (size_t ki = 0; named && ki < policy_nkeys; ki++) {
				const struct key_def *k = &policy_keys[ki];

				if (!strcmp(k->section, sec->name) && !k->def &&
				    k->inherit == REQUIRED && !lines[ki])
					return err_set(e, ERR_INPUT, "%s: [%s \"%s\"]: %s is required",
						       st->file, sec->name,
						       policy_instance_name(sec, &st->p, i), k->name);
			}
		}
	}
	return 0;
}

/*
 * What no single entry can check, as it depends on others that may come
 * later in the file: default-ring and each [ring "NAME"] are among the
 * rings, and each blackout ends after it starts. The first problem, in
 * table and file order, is the error.
 */
static int check_rollout(const struct parse_state *st, struct err *e)
{
	const struct policy *p = &st->p;
	char rings[VALUE_TEXT_MAX], from[VALUE_TEXT_MAX], to[VALUE_TEXT_MAX];

	policy_kinds[KIND_NAMES].format(p->rings, rings);
	if (policy_ring_index(p, p->default_ring) < 0)
		return err_set(e, ERR_INPUT,
			       "%s: [rollout] default-ring: '%s' is not in rings (%s)", st->file,
			       p->default_ring, rings);
	for (size_t i = 0; i < p->nring_confs; i++)
		if (policy_ring_index(p, p->ring_confs[i].name) < 0)
			return err_set(e, ERR_INPUT,
				       "%s: [ring \"%s\"]: not in [rollout] rings (%s)", st->file,
				       p->ring_confs[i].name, rings);
	for (size_t i = 0; i < p->nblackouts; i++) {
		const struct policy_blackout *b = &p->blackouts[i];

		if (b->to > b->from)
			continue;
		policy_kinds[KIND_TIME].format(&b->from, from);
		policy_kinds[KIND_TIME].format(&b->to, to);
		return err_set(e, ERR_INPUT, "%s: [blackout \"%s\"]: to %s is not after from %s",
			       st->file, b->name, to, from);
	}
	return 0;
}

/* The line that set [notify] key (0: not set). */
static int notify_line(const struct parse_state *st, const char *key)
{
	size_t ki = 0;

	return find_key("notify", key, &ki) ? row_lines(st, 0)[ki] : 0;
}

static int notify_error(const struct parse_state *st, const char *key, const char *what,
			struct err *e)
{
	return err_set(e, ERR_INPUT, "%s:%d: [notify] %s: %s", st->file, notify_line(st, key),
		       key, what);
}

/*
 * What the [notify] keys must make together: an e-mail channel needs its
 * server, a sender and recipients; a login needs its password file, and
 * is refused on a plain connection, which would send the password in
 * clear. Checked after the whole file, as the keys may come in any order.
 */
static int check_notify(const struct parse_state *st, struct err *e)
{
	const struct policy_notify *n = &st->p.notify;

	if (n->smtp_server[0] && !n->from[0])
		return notify_error(st, "smtp-server", "needs from, the sender's address", e);
	if (n->smtp_server[0] && !n->to[0])
		return notify_error(st, "smtp-server", "needs to, the recipients", e);
	if (!n->smtp_server[0]) {
		const struct {
			const char *key, *value;
		} needs_server[] = { { "from", n->from }, { "to", n->to },
				     { "smtp-user", n->smtp_user },
				     { "smtp-password-file", n->smtp_password_file } };

		for (size_t i = 0; i < sizeof(needs_server) / sizeof(needs_server[0]); i++)
			if (needs_server[i].value[0])
				return notify_error(st, needs_server[i].key, "needs smtp-server", e);
	}
	if (n->smtp_user[0] && !n->smtp_password_file[0])
		return notify_error(st, "smtp-user", "needs smtp-password-file", e);
	if (!n->smtp_user[0] && n->smtp_password_file[0])
		return notify_error(st, "smtp-password-file", "needs smtp-user", e);
	if (n->smtp_user[0] && n->smtp_tls == POLICY_TLS_NONE)
		return notify_error(st, "smtp-user", "refused with smtp-tls none: the password "
				    "would cross the network in clear (use starttls or tls)", e);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b); /* an instance of a list starts with its name */
}

int policy_parse(const char *text, size_t len, const char *file, struct policy *ret,
		 struct err *e)
{
	struct parse_state *st = calloc(1, sizeof(*st));
	size_t rows = row_count();
	int r;

	if (st)
		st->lines = calloc(rows * policy_nkeys, sizeof(st->lines[0]));
	if (!st || !st->lines) {
		r = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	policy_defaults(&st->p);
	st->file = file ? file : "<input>";
	r = ini_parse(text, len, st->file, on_entry, st, e);
	if (!r)
		r = check_required(st, e);
	if (!r)
		r = check_rollout(st, e);
	if (!r)
		r = check_notify(st, e);
	if (r)
		goto out;
	for (size_t s = 0; s < policy_nsections; s++) {
		const struct section_def *sec = &policy_sections[s];

		if (sec->placeholder && !sec->names)
			qsort(instance_ptr(sec, &st->p, 0), policy_instance_count(sec, &st->p),
			      sec->size, name_cmp);
	}
	memcpy(ret, &st->p, sizeof(*ret)); /* padding too: callers may memcmp */
out:
	if (st)
		free(st->lines);
	free(st);
	return r;
}
