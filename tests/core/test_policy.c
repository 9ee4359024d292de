/*
 * Unit tests for the policy model (src/core/policy*.c): the defaults, every
 * key and the values each accepts or refuses, group overrides, quorums,
 * auto-approval rules, the rollout (rings, max-unavailable, blackouts) and
 * its lookups, the whole message of every rejection, the canonical text
 * and digest, and two files
 * that must agree with the code: contrib/hfx.conf (the defaults, every key
 * written out) and docs/POLICY.md (which embeds policy_reference()). Those
 * are read relative to the current directory: tests run from the
 * repository root (tests/run.sh).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "base/buf.h"
#include "base/ini.h"
#include "core/policy.h"

static struct policy pol, sentinel;

/* Parses text from an exact-length heap copy. */
static int parse(const char *text, struct policy *ret, struct err *e)
{
	size_t len = strlen(text);
	char *copy = exact_copy(text, len);
	int r = policy_parse(copy, len, "t.conf", ret, e);

	free(copy);
	return r;
}

static void expect_ok(const char *text)
{
	struct err e = { "" };

	if (parse(text, &pol, &e))
		fail_msg("unexpected error: %s", e.msg);
}

/* The whole message, and the output left as it was. */
static void expect_error(const char *text, const char *want)
{
	struct err e = { "" };

	memset(&pol, 0x5a, sizeof(pol));
	sentinel = pol;
	assert_int_equal(parse(text, &pol, &e), ERR_INPUT);
	assert_string_equal(e.msg, want);
	assert_memory_equal(&pol, &sentinel, sizeof(pol));
}

/* The canonical text of pol, in a static buffer. */
static const char *canonical(const struct policy *p)
{
	static char text[65536];
	struct err e = { "" };
	struct buf b;

	buf_init(&b, sizeof(text) - 1);
	if (policy_canonical(p, &b, &e))
		fail_msg("%s", e.msg);
	copy_span(text, sizeof(text), b.data ? b.data : "", b.len);
	buf_release(&b);
	return text;
}

static const char *const defaults_text =
	"accept-risk.defer=365\n"
	"accept-risk.immediate=7\n"
	"accept-risk.out-of-cycle=30\n"
	"accept-risk.scheduled=90\n"
	"assess.default-criticality=medium\n"
	"assess.default-exposure=internet\n"
	"assess.epss-threshold=0.1\n"
	"assess.kev-due-date-wins=yes\n"
	"due.defer=90\n"
	"due.immediate=2\n"
	"due.out-of-cycle=7\n"
	"due.scheduled=30\n"
	"rollout.default-ring=broad\n"
	"rollout.emergency-window=yes\n"
	"rollout.horizon-days=30\n"
	"rollout.job-minutes=30\n"
	"rollout.reboot-minutes=15\n"
	"rollout.rings=test, pilot, broad\n";

static void test_defaults(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	assert_int_equal(p.days[SSVC_IMMEDIATE], 2);
	assert_int_equal(p.days[SSVC_OUT_OF_CYCLE], 7);
	assert_int_equal(p.days[SSVC_SCHEDULED], 30);
	assert_int_equal(p.days[SSVC_DEFER], 90);
	assert_true(p.epss_threshold == 0.1);
	assert_true(p.kev_due_wins);
	assert_int_equal(p.default_exposure, SSVC_EXPOSURE_OPEN);
	assert_int_equal(p.default_impact, SSVC_IMPACT_MEDIUM);
	assert_int_equal(p.ngroups, 0);
	assert_int_equal(p.accept_risk_days[SSVC_IMMEDIATE], 7);
	assert_int_equal(p.accept_risk_days[SSVC_OUT_OF_CYCLE], 30);
	assert_int_equal(p.accept_risk_days[SSVC_SCHEDULED], 90);
	assert_int_equal(p.accept_risk_days[SSVC_DEFER], 365);
	for (int a = 0; a < DECIDE_NACTIONS; a++) {
		for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++) {
			int want = a == DECIDE_ACCEPT_RISK && pr == SSVC_IMMEDIATE ? 2 : 1;

			assert_int_equal(p.quorum[a][pr], want);
			assert_int_equal(policy_quorum(&p, (enum decide_action)a,
						       (enum ssvc_priority)pr), want);
		}
	}
	assert_int_equal(p.nrules, 0);
	assert_null(policy_auto_approve(&p, SSVC_DEFER, NULL, NULL));
	assert_int_equal(p.nrings, 3);
	assert_string_equal(p.rings[0], "test");
	assert_string_equal(p.rings[1], "pilot");
	assert_string_equal(p.rings[2], "broad");
	assert_string_equal(p.default_ring, "broad");
	assert_int_equal(p.job_minutes, 30);
	assert_int_equal(p.reboot_minutes, 15);
	assert_true(p.emergency_window);
	assert_int_equal(p.horizon_days, 30);
	assert_int_equal(p.nring_confs, 0);
	assert_int_equal(p.nblackouts, 0);
	assert_int_equal(policy_ring_settings(&p, "test").soak_hours, 24);
	assert_int_equal(policy_ring_settings(&p, "test").max_failures, 0);
	assert_int_equal(policy_max_unavailable(&p, "web", 100), 1);
	assert_false(policy_blackout_at(&p, NULL, 0, INT64_MAX, NULL));
	assert_string_equal(canonical(&p), defaults_text);
	/* an empty file, or one of comments, is the defaults */
	expect_ok("");
	assert_string_equal(canonical(&pol), defaults_text);
	assert_memory_equal(&pol, &p, sizeof(p));
	expect_ok("# nothing\n\n[due]\n[assess]\n[accept-risk]\n[quorum \"approve\"]\n"
		  "[auto-approve \"x\"]\n[rollout]\n[ring \"test\"]\n[blackout \"b\"]\n");
	assert_string_equal(canonical(&pol), defaults_text);
	assert_int_equal(policy_days(&pol, NULL, SSVC_SCHEDULED), 30);
	assert_int_equal(policy_days(&pol, "", SSVC_DEFER), 90);
}

static void test_every_key(void **state)
{
	(void)state;
	expect_ok("[due]\nimmediate = 0\nout-of-cycle = 3\nscheduled = 14\ndefer = 3650\n"
		  "[assess]\nepss-threshold = 0.05\nkev-due-date-wins = no\n"
		  "default-exposure = dmz\ndefault-criticality = critical\n");
	assert_int_equal(pol.days[SSVC_IMMEDIATE], 0);
	assert_int_equal(pol.days[SSVC_OUT_OF_CYCLE], 3);
	assert_int_equal(pol.days[SSVC_SCHEDULED], 14);
	assert_int_equal(pol.days[SSVC_DEFER], 3650);
	assert_true(pol.epss_threshold == 0.05);
	assert_false(pol.kev_due_wins);
	assert_int_equal(pol.default_exposure, SSVC_EXPOSURE_CONTROLLED);
	assert_int_equal(pol.default_impact, SSVC_IMPACT_VERY_HIGH);
	expect_ok("[accept-risk]\nimmediate = 1\nout-of-cycle = 14\nscheduled = 60\n"
		  "defer = 3650\n"
		  "[quorum \"accept-risk\"]\nimmediate = 3\nout-of-cycle = 2\nscheduled = 10\n"
		  "defer = 1\n"
		  "[auto-approve \"low\"]\npriority = scheduled, defer\nring = pilot\n"
		  "group = web.eu-1\n");
	assert_int_equal(pol.accept_risk_days[SSVC_IMMEDIATE], 1);
	assert_int_equal(pol.accept_risk_days[SSVC_OUT_OF_CYCLE], 14);
	assert_int_equal(pol.accept_risk_days[SSVC_SCHEDULED], 60);
	assert_int_equal(pol.accept_risk_days[SSVC_DEFER], 3650);
	assert_int_equal(pol.quorum[DECIDE_ACCEPT_RISK][SSVC_IMMEDIATE], 3);
	assert_int_equal(pol.quorum[DECIDE_ACCEPT_RISK][SSVC_OUT_OF_CYCLE], 2);
	assert_int_equal(pol.quorum[DECIDE_ACCEPT_RISK][SSVC_SCHEDULED], 10);
	assert_int_equal(pol.quorum[DECIDE_ACCEPT_RISK][SSVC_DEFER], 1);
	assert_int_equal(pol.quorum[DECIDE_APPROVE][SSVC_SCHEDULED], 1);
	assert_int_equal(pol.nrules, 1);
	assert_string_equal(pol.rules[0].name, "low");
	assert_false(pol.rules[0].priority[SSVC_IMMEDIATE]);
	assert_false(pol.rules[0].priority[SSVC_OUT_OF_CYCLE]);
	assert_true(pol.rules[0].priority[SSVC_SCHEDULED]);
	assert_true(pol.rules[0].priority[SSVC_DEFER]);
	assert_string_equal(pol.rules[0].ring, "pilot");
	assert_string_equal(pol.rules[0].group, "web.eu-1");
	/* a file that sets only some keys keeps the defaults of the others */
	expect_ok("[due]\nscheduled = 21\n");
	assert_int_equal(pol.days[SSVC_SCHEDULED], 21);
	assert_int_equal(pol.days[SSVC_IMMEDIATE], 2);
	assert_true(pol.epss_threshold == 0.1);
}

static void test_values(void **state)
{
	static const struct { const char *text; double want; } fractions[] = {
		{ "0", 0 }, { "1", 1 }, { "1.0", 1 }, { "0.1", 0.1 }, { "0.05", 0.05 },
		{ "0.123456789", 0.123456789 }, { "00.5", 0.5 }, { "1.000000000", 1 },
	};
	static const struct { const char *text; bool want; } bools[] = {
		{ "yes", true }, { "no", false }, { "true", true }, { "false", false },
		{ "on", true }, { "off", false }, { "1", true }, { "0", false },
	};
	static const struct { const char *text; enum ssvc_exposure want; } exposures[] = {
		{ "internet", SSVC_EXPOSURE_OPEN }, { "dmz", SSVC_EXPOSURE_CONTROLLED },
		{ "internal", SSVC_EXPOSURE_SMALL }, { "isolated", SSVC_EXPOSURE_SMALL },
	};
	static const struct { const char *text; enum ssvc_impact want; } impacts[] = {
		{ "low", SSVC_IMPACT_LOW }, { "medium", SSVC_IMPACT_MEDIUM },
		{ "high", SSVC_IMPACT_HIGH }, { "critical", SSVC_IMPACT_VERY_HIGH },
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(fractions) / sizeof(fractions[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\nepss-threshold = %s\n", fractions[i].text);
		expect_ok(text);
		assert_true(pol.epss_threshold == fractions[i].want);
	}
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\nkev-due-date-wins = %s\n", bools[i].text);
		expect_ok(text);
		assert_int_equal(pol.kev_due_wins, bools[i].want);
	}
	for (size_t i = 0; i < sizeof(exposures) / sizeof(exposures[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\ndefault-exposure = %s\n", exposures[i].text);
		expect_ok(text);
		assert_int_equal(pol.default_exposure, exposures[i].want);
	}
	for (size_t i = 0; i < sizeof(impacts) / sizeof(impacts[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\ndefault-criticality = %s\n", impacts[i].text);
		expect_ok(text);
		assert_int_equal(pol.default_impact, impacts[i].want);
	}
	expect_ok("[due]\nimmediate = 007\n");
	assert_int_equal(pol.days[SSVC_IMMEDIATE], 7);
	expect_ok("[quorum \"defer\"]\nscheduled = 010\n[accept-risk]\nimmediate = 0001\n");
	assert_int_equal(pol.quorum[DECIDE_DEFER][SSVC_SCHEDULED], 10);
	assert_int_equal(pol.accept_risk_days[SSVC_IMMEDIATE], 1);
}

/* Each list of priorities, as written, and the priorities it sets. */
static void test_priority_lists(void **state)
{
	static const struct { const char *text; bool want[4]; } lists[] = {
		/* want[] by enum ssvc_priority: defer, scheduled, out-of-cycle, immediate */
		{ "defer", { true, false, false, false } },
		{ "immediate", { false, false, false, true } },
		{ "scheduled, defer", { true, true, false, false } },
		{ "defer,scheduled", { true, true, false, false } },
		{ "\"  out-of-cycle ,\timmediate\"", { false, false, true, true } },
		{ "defer, defer", { true, false, false, false } },
		{ "immediate,out-of-cycle,scheduled,defer", { true, true, true, true } },
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		snprintf(text, sizeof(text), "[auto-approve \"r\"]\npriority = %s\n", lists[i].text);
		expect_ok(text);
		assert_int_equal(pol.nrules, 1);
		for (int pr = SSVC_DEFER; pr <= SSVC_IMMEDIATE; pr++)
			assert_int_equal(pol.rules[0].priority[pr], lists[i].want[pr]);
	}
}

static void test_bad_values(void **state)
{
	static const char *const days[] = {
		"3651", "-1", "+1", "1.5", "2d", "", "0x10", "99999999999999999999", "1 2",
	};
	static const char *const fractions[] = {
		"1e-1", ".5", "0.", "1.5", "1.0000000001", "-0.1", "0,1", "nan", "",
		"0.1234567891", "2", "10", "0.1.2", "inf",
	};
	char text[128], want[512];

	(void)state;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		snprintf(text, sizeof(text), "[due]\nscheduled = %s\n", days[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: [due] scheduled: '%s' is not a number of days "
			 "(expected whole days, 0 to 3650)", days[i]);
		expect_error(text, want);
	}
	for (size_t i = 0; i < sizeof(fractions) / sizeof(fractions[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\n\nepss-threshold = %s\n", fractions[i]);
		snprintf(want, sizeof(want),
			 "t.conf:3: [assess] epss-threshold: '%s' is not a probability (expected a "
			 "decimal from 0 to 1 with at most 9 decimal places, like 0.1)", fractions[i]);
		expect_error(text, want);
	}
	expect_error("[assess]\nkev-due-date-wins = Yes\n",
		     "t.conf:2: [assess] kev-due-date-wins: 'Yes' is not a boolean "
		     "(expected yes or no (also true/false, on/off, 1/0))");
	expect_error("[assess]\ndefault-exposure = open\n",
		     "t.conf:2: [assess] default-exposure: 'open' is not an exposure "
		     "(expected internet, dmz, internal or isolated)");
	expect_error("[assess]\ndefault-criticality = \"very high\"\n",
		     "t.conf:2: [assess] default-criticality: 'very high' is not a criticality "
		     "(expected low, medium, high or critical)");
	/* bad bytes are quoted safely */
	expect_error("[assess]\ndefault-criticality = caf\xc3\xa9\n",
		     "t.conf:2: [assess] default-criticality: 'caf\\xc3\\xa9' is not a criticality "
		     "(expected low, medium, high or critical)");
	expect_error("[group \"web\"]\ndefer = 4000\n",
		     "t.conf:2: [group \"web\"] defer: '4000' is not a number of days "
		     "(expected whole days, 0 to 3650)");
}

static void test_bad_new_values(void **state)
{
	static const char *const terms[] = { "0", "3651", "-1", "", "7d", "00" };
	static const char *const quorums[] = { "0", "11", "-1", "", "2.0", "100", "one" };
	static const char *const priorities[] = {
		"", "soon", "scheduled,", ",defer", "scheduled,,defer", "Scheduled", "high",
		"scheduled defer", "scheduled;defer", "out of cycle", "immediatex",
	};
	static const char *const names[] = {
		"we b", "web/1", "caf\xc3\xa9",
		"a234567890123456789012345678901234567890123456789012345678901234",
	};
	char text[256], want[512], shown[128];

	(void)state;
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		snprintf(text, sizeof(text), "[accept-risk]\nscheduled = %s\n", terms[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: [accept-risk] scheduled: '%s' is not a number of days "
			 "(expected whole days, 1 to 3650)", terms[i]);
		expect_error(text, want);
	}
	for (size_t i = 0; i < sizeof(quorums) / sizeof(quorums[0]); i++) {
		snprintf(text, sizeof(text), "[quorum \"expedite\"]\ndefer = %s\n", quorums[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: [quorum \"expedite\"] defer: '%s' is not a number of approvers "
			 "(expected a whole number, 1 to 10)", quorums[i]);
		expect_error(text, want);
	}
	for (size_t i = 0; i < sizeof(priorities) / sizeof(priorities[0]); i++) {
		snprintf(text, sizeof(text), "[auto-approve \"r\"]\npriority = \"%s\"\n",
			 priorities[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: [auto-approve \"r\"] priority: '%s' is not a list of "
			 "priorities (expected one or more of immediate, out-of-cycle, scheduled "
			 "and defer, separated by commas)", priorities[i]);
		expect_error(text, want);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(text, sizeof(text), "[auto-approve \"r\"]\npriority = defer\nring = \"%s\"\n",
			 names[i]);
		snprintf(shown, sizeof(shown), "%s",
			 i == 2 ? "caf\\xc3\\xa9" : names[i]);
		snprintf(want, sizeof(want),
			 "t.conf:3: [auto-approve \"r\"] ring: '%s' is not a name "
			 "(expected empty, or 1 to 63 of A-Z a-z 0-9 . _ -)", shown);
		expect_error(text, want);
	}
	expect_error("[auto-approve \"r\"]\ngroup = a:b\npriority = defer\n",
		     "t.conf:2: [auto-approve \"r\"] group: 'a:b' is not a name "
		     "(expected empty, or 1 to 63 of A-Z a-z 0-9 . _ -)");
}

static void test_bad_names(void **state)
{
	(void)state;
	expect_error("[due]\nimmediate = 1\n[dew]\nimmediate = 1\n",
		     "t.conf:4: [dew] immediate: unknown section "
		     "(expected [due], [assess], [group \"NAME\"], [accept-risk], "
		     "[quorum \"ACTION\"], [auto-approve \"NAME\"], [rollout], [ring \"NAME\"], "
		     "[blackout \"NAME\"] or [notify])");
	expect_error("[Due]\nimmediate = 1\n",
		     "t.conf:2: [Due] immediate: unknown section "
		     "(expected [due], [assess], [group \"NAME\"], [accept-risk], "
		     "[quorum \"ACTION\"], [auto-approve \"NAME\"], [rollout], [ring \"NAME\"], "
		     "[blackout \"NAME\"] or [notify])");
	expect_error("[due]\nsoon = 1\n",
		     "t.conf:2: [due] soon: unknown key "
		     "(expected immediate, out-of-cycle, scheduled or defer)");
	expect_error("[assess]\nepss = 0.2\n",
		     "t.conf:2: [assess] epss: unknown key (expected epss-threshold, "
		     "kev-due-date-wins, default-exposure or default-criticality)");
	expect_error("[group \"db\"]\nepss-threshold = 0.2\n",
		     "t.conf:2: [group \"db\"] epss-threshold: unknown key "
		     "(expected immediate, out-of-cycle, scheduled, defer, max-unavailable, pre-hook, "
		     "health-check, post-hook, revert-hook or hook-seconds)");
	expect_error("[group]\nimmediate = 1\n",
		     "t.conf:2: [group] immediate: this section needs a name "
		     "(expected [group \"NAME\"])");
	expect_error("[due \"web\"]\nimmediate = 1\n",
		     "t.conf:2: [due \"web\"] immediate: this section takes no name "
		     "(expected [due])");
	expect_error("[accept-risk \"x\"]\nimmediate = 1\n",
		     "t.conf:2: [accept-risk \"x\"] immediate: this section takes no name "
		     "(expected [accept-risk])");
	expect_error("[quorum]\nimmediate = 1\n",
		     "t.conf:2: [quorum] immediate: this section needs a name "
		     "(expected [quorum \"ACTION\"])");
	expect_error("[auto-approve]\npriority = defer\n",
		     "t.conf:2: [auto-approve] priority: this section needs a name "
		     "(expected [auto-approve \"NAME\"])");
	expect_error("[accept-risk]\nurgent = 1\n",
		     "t.conf:2: [accept-risk] urgent: unknown key "
		     "(expected immediate, out-of-cycle, scheduled or defer)");
	expect_error("[auto-approve \"r\"]\npriorities = defer\n",
		     "t.conf:2: [auto-approve \"r\"] priorities: unknown key "
		     "(expected priority, ring or group)");
	/* the actions are those of decisions, spelled exactly */
	expect_error("[quorum \"deploy\"]\nimmediate = 2\n",
		     "t.conf:2: [quorum \"deploy\"] immediate: unknown action (expected approve, "
		     "expedite, defer, accept-risk, not-affected or mitigated)");
	expect_error("[quorum \"Approve\"]\nimmediate = 2\n",
		     "t.conf:2: [quorum \"Approve\"] immediate: unknown action (expected approve, "
		     "expedite, defer, accept-risk, not-affected or mitigated)");
	expect_error("[quorum \"revoke\"]\nimmediate = 2\n",
		     "t.conf:2: [quorum \"revoke\"] immediate: unknown action (expected approve, "
		     "expedite, defer, accept-risk, not-affected or mitigated)");
	expect_error("[quorum \"approve\"]\nring = test\n",
		     "t.conf:2: [quorum \"approve\"] ring: unknown key "
		     "(expected immediate, out-of-cycle, scheduled or defer)");
	/* syntax errors come from the tokenizer, with file and line */
	expect_error("[due]\nimmediate 1\n",
		     "t.conf:2: malformed line 'immediate 1' "
		     "(expected key = value, a [section] or a comment)");
	expect_error("immediate = 1\n", "t.conf:1: key 'immediate' outside any section "
					"(expected a [section] line before it)");
}

static void test_duplicates(void **state)
{
	(void)state;
	expect_error("[due]\nimmediate = 1\n# again\nimmediate = 1\n",
		     "t.conf:4: [due] immediate: set again (first set on line 2)");
	expect_error("[due]\nimmediate = 1\n[assess]\n[due]\nimmediate = 3\n",
		     "t.conf:5: [due] immediate: set again (first set on line 2)");
	expect_error("[group \"a\"]\ndefer = 1\n[group \"b\"]\ndefer = 1\n[group \"a\"]\n"
		     "defer = 2\n",
		     "t.conf:6: [group \"a\"] defer: set again (first set on line 2)");
	expect_error("[quorum \"approve\"]\ndefer = 2\n[quorum \"defer\"]\ndefer = 2\n"
		     "[quorum \"approve\"]\ndefer = 3\n",
		     "t.conf:6: [quorum \"approve\"] defer: set again (first set on line 2)");
	expect_error("[accept-risk]\ndefer = 2\n[accept-risk]\ndefer = 2\n",
		     "t.conf:4: [accept-risk] defer: set again (first set on line 2)");
	expect_error("[auto-approve \"r\"]\npriority = defer\n[auto-approve \"s\"]\n"
		     "priority = defer\n[auto-approve \"r\"]\npriority = scheduled\n",
		     "t.conf:6: [auto-approve \"r\"] priority: set again (first set on line 2)");
	/* the same key in other instances of a named kind is fine */
	expect_ok("[quorum \"approve\"]\ndefer = 2\n[quorum \"defer\"]\ndefer = 3\n"
		  "[group \"approve\"]\ndefer = 4\n"
		  "[auto-approve \"approve\"]\npriority = defer\n");
	assert_int_equal(pol.quorum[DECIDE_APPROVE][SSVC_DEFER], 2);
	assert_int_equal(pol.quorum[DECIDE_DEFER][SSVC_DEFER], 3);
	assert_int_equal(policy_days(&pol, "approve", SSVC_DEFER), 4);
	assert_int_equal(pol.nrules, 1);
	/* the same key in [due] and in groups, or a section repeated, is fine */
	expect_ok("[due]\ndefer = 60\n[group \"a\"]\ndefer = 1\n[group \"b\"]\ndefer = 2\n"
		  "[due]\nimmediate = 1\n");
	assert_int_equal(pol.ngroups, 2);
	assert_int_equal(policy_days(&pol, "a", SSVC_DEFER), 1);
	assert_int_equal(policy_days(&pol, "b", SSVC_DEFER), 2);
	assert_int_equal(policy_days(&pol, "c", SSVC_DEFER), 60);
}

static void test_groups(void **state)
{
	const struct policy_group *g;

	(void)state;
	/* a group before [due] still falls back to the [due] values */
	expect_ok("[group \"web\"]\nimmediate = 1\nscheduled = 14\n"
		  "[group \"Web\"]\ndefer = 365\n"
		  "[due]\nimmediate = 3\nout-of-cycle = 10\n");
	assert_int_equal(pol.ngroups, 2);
	assert_string_equal(pol.groups[0].name, "Web"); /* sorted by name */
	assert_string_equal(pol.groups[1].name, "web");
	g = policy_group_find(&pol, "web");
	assert_non_null(g);
	assert_int_equal(g->days[SSVC_IMMEDIATE], 1);
	assert_int_equal(g->days[SSVC_OUT_OF_CYCLE], -1);
	assert_null(policy_group_find(&pol, "WEB"));
	assert_int_equal(policy_days(&pol, "web", SSVC_IMMEDIATE), 1);
	assert_int_equal(policy_days(&pol, "web", SSVC_OUT_OF_CYCLE), 10);
	assert_int_equal(policy_days(&pol, "web", SSVC_SCHEDULED), 14);
	assert_int_equal(policy_days(&pol, "web", SSVC_DEFER), 90);
	assert_int_equal(policy_days(&pol, "Web", SSVC_DEFER), 365);
	assert_int_equal(policy_days(&pol, "Web", SSVC_IMMEDIATE), 3);
	assert_int_equal(policy_days(&pol, "db", SSVC_IMMEDIATE), 3);
	assert_int_equal(policy_days(&pol, NULL, SSVC_IMMEDIATE), 3);
	assert_int_equal(policy_days(&pol, "", SSVC_SCHEDULED), 30);
	/* a group may lengthen a deadline as well as shorten it, and 0 is a value */
	expect_ok("[group \"lab\"]\nimmediate = 0\n");
	assert_int_equal(policy_days(&pol, "lab", SSVC_IMMEDIATE), 0);
}

static void test_group_limit(void **state)
{
	struct buf b;
	struct err e = { "" };

	(void)state;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < POLICY_GROUPS_MAX; i++)
		assert_int_equal(buf_appendf(&b, &e, "[group \"g%03d\"]\ndefer = %d\n", i, i), 0);
	expect_ok(b.data);
	assert_int_equal(pol.ngroups, POLICY_GROUPS_MAX);
	assert_int_equal(policy_days(&pol, "g255", SSVC_DEFER), 255);
	/* more keys for a known group are fine; a new group is not */
	assert_int_equal(buf_appendf(&b, &e, "[group \"g000\"]\nimmediate = 1\n"), 0);
	expect_ok(b.data);
	assert_int_equal(buf_appendf(&b, &e, "[group \"one-too-many\"]\nimmediate = 1\n"), 0);
	expect_error(b.data, "t.conf:516: [group \"one-too-many\"] immediate: more than 256 groups");
	buf_release(&b);
}

/* The names a quorum takes are those of decisions (policy.c keeps its own
 * copy, which must match core/decision.c), each for its action. */
static void test_quorum(void **state)
{
	char text[128];

	(void)state;
	for (int a = 0; a < DECIDE_NACTIONS; a++) {
		snprintf(text, sizeof(text), "[quorum \"%s\"]\nout-of-cycle = %d\n",
			 decide_action_name((enum decide_action)a), a + 3);
		expect_ok(text);
		for (int b = 0; b < DECIDE_NACTIONS; b++) {
			int dflt = b == DECIDE_ACCEPT_RISK ? 2 : 1;

			assert_int_equal(policy_quorum(&pol, (enum decide_action)b, SSVC_OUT_OF_CYCLE),
					 b == a ? a + 3 : 1);
			assert_int_equal(policy_quorum(&pol, (enum decide_action)b, SSVC_IMMEDIATE),
					 dflt);
		}
	}
	/* an accept-risk section that sets other keys keeps immediate's own default */
	expect_ok("[quorum \"accept-risk\"]\ndefer = 4\n");
	assert_int_equal(policy_quorum(&pol, DECIDE_ACCEPT_RISK, SSVC_IMMEDIATE), 2);
	assert_int_equal(policy_quorum(&pol, DECIDE_ACCEPT_RISK, SSVC_DEFER), 4);
	expect_ok("[quorum \"accept-risk\"]\nimmediate = 1\n");
	assert_int_equal(policy_quorum(&pol, DECIDE_ACCEPT_RISK, SSVC_IMMEDIATE), 1);
	/* out of range, a programming error: the most cautious answer */
	assert_int_equal(policy_quorum(&pol, DECIDE_NACTIONS, SSVC_DEFER), POLICY_QUORUM_MAX);
	assert_int_equal(policy_quorum(&pol, (enum decide_action)-1, SSVC_DEFER),
			 POLICY_QUORUM_MAX);
	assert_int_equal(policy_quorum(&pol, DECIDE_APPROVE, (enum ssvc_priority)4),
			 POLICY_QUORUM_MAX);
}

static void test_auto_approve(void **state)
{
	const struct policy_rule *r;

	(void)state;
	expect_ok("[auto-approve \"z-lab\"]\npriority = scheduled, defer, out-of-cycle\n"
		  "group = lab\n"
		  "[auto-approve \"b-pilot\"]\npriority = defer\nring = pilot\n"
		  "[auto-approve \"a-web-test\"]\nring = test\ngroup = web\n"
		  "priority = defer, scheduled\n"
		  "[auto-approve \"m-any\"]\npriority = defer\nring = \"\"\n");
	assert_int_equal(pol.nrules, 4);
	assert_string_equal(pol.rules[0].name, "a-web-test"); /* sorted by name */
	assert_string_equal(pol.rules[1].name, "b-pilot");
	assert_string_equal(pol.rules[2].name, "m-any");
	assert_string_equal(pol.rules[3].name, "z-lab");
	/* the first matching rule by name; ring and group empty: any */
	r = policy_auto_approve(&pol, SSVC_DEFER, "test", "web");
	assert_non_null(r);
	assert_string_equal(r->name, "a-web-test");
	r = policy_auto_approve(&pol, SSVC_DEFER, "pilot", "web");
	assert_string_equal(r->name, "b-pilot");
	r = policy_auto_approve(&pol, SSVC_DEFER, NULL, NULL);
	assert_string_equal(r->name, "m-any");
	r = policy_auto_approve(&pol, SSVC_DEFER, "", "lab");
	assert_string_equal(r->name, "m-any");
	r = policy_auto_approve(&pol, SSVC_SCHEDULED, "test", "web");
	assert_string_equal(r->name, "a-web-test");
	r = policy_auto_approve(&pol, SSVC_SCHEDULED, "broad", "lab");
	assert_string_equal(r->name, "z-lab");
	r = policy_auto_approve(&pol, SSVC_OUT_OF_CYCLE, NULL, "lab");
	assert_string_equal(r->name, "z-lab");
	/* a rule with a ring or group does not match a host without one */
	assert_null(policy_auto_approve(&pol, SSVC_SCHEDULED, "test", NULL));
	assert_null(policy_auto_approve(&pol, SSVC_SCHEDULED, NULL, "web"));
	assert_null(policy_auto_approve(&pol, SSVC_SCHEDULED, "Test", "web")); /* case matters */
	assert_null(policy_auto_approve(&pol, SSVC_OUT_OF_CYCLE, "test", "web"));
	assert_null(policy_auto_approve(&pol, SSVC_IMMEDIATE, NULL, "lab"));
	assert_null(policy_auto_approve(&pol, (enum ssvc_priority)4, NULL, NULL));
}

static void test_rule_required(void **state)
{
	(void)state;
	expect_error("[auto-approve \"x\"]\nring = pilot\n",
		     "t.conf: [auto-approve \"x\"]: priority is required");
	/* after the whole file: a later section may still set it */
	expect_ok("[auto-approve \"x\"]\nring = pilot\n[due]\nimmediate = 1\n"
		  "[auto-approve \"x\"]\npriority = immediate\n");
	assert_true(pol.rules[0].priority[SSVC_IMMEDIATE]);
	/* the first rule without, in file order */
	expect_error("[auto-approve \"b\"]\ngroup = g\n[auto-approve \"a\"]\ngroup = g\n"
		     "[auto-approve \"c\"]\npriority = defer\n",
		     "t.conf: [auto-approve \"b\"]: priority is required");
}

static void test_rule_limit(void **state)
{
	struct buf b;
	struct err e = { "" };

	(void)state;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < POLICY_RULES_MAX; i++)
		assert_int_equal(buf_appendf(&b, &e, "[auto-approve \"r%02d\"]\npriority = defer\n",
					     POLICY_RULES_MAX - 1 - i), 0);
	expect_ok(b.data);
	assert_int_equal(pol.nrules, POLICY_RULES_MAX);
	assert_string_equal(pol.rules[0].name, "r00");
	assert_string_equal(pol.rules[POLICY_RULES_MAX - 1].name, "r63");
	assert_int_equal(buf_appendf(&b, &e, "[auto-approve \"r00\"]\nring = x\n"), 0);
	expect_ok(b.data);
	assert_int_equal(buf_appendf(&b, &e, "[auto-approve \"r64\"]\npriority = defer\n"), 0);
	expect_error(b.data, "t.conf:132: [auto-approve \"r64\"] priority: more than 64 rules");
	buf_release(&b);
}

static void test_rollout_keys(void **state)
{
	(void)state;
	expect_ok("[rollout]\nrings = canary, eu, us\ndefault-ring = eu\njob-minutes = 1440\n"
		  "reboot-minutes = 0\nemergency-window = no\nhorizon-days = 365\n"
		  "[ring \"canary\"]\nsoak-hours = 8760\nmax-failures = 100000\n"
		  "[group \"web\"]\nmax-unavailable = 25%\n"
		  "[blackout \"freeze\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n"
		  "group = web\n");
	assert_int_equal(pol.nrings, 3);
	assert_string_equal(pol.rings[0], "canary");
	assert_string_equal(pol.rings[1], "eu");
	assert_string_equal(pol.rings[2], "us");
	assert_string_equal(pol.rings[3], ""); /* the rest stays zero: memcmp is meaningful */
	assert_string_equal(pol.default_ring, "eu");
	assert_int_equal(pol.job_minutes, 1440);
	assert_int_equal(pol.reboot_minutes, 0);
	assert_false(pol.emergency_window);
	assert_int_equal(pol.horizon_days, 365);
	assert_int_equal(pol.nring_confs, 1);
	assert_string_equal(pol.ring_confs[0].name, "canary");
	assert_int_equal(pol.ring_confs[0].soak_hours, 8760);
	assert_int_equal(pol.ring_confs[0].max_failures, 100000);
	assert_int_equal(pol.ngroups, 1);
	assert_int_equal(pol.groups[0].max_unavailable.value, 25);
	assert_true(pol.groups[0].max_unavailable.percent);
	assert_int_equal(pol.groups[0].days[SSVC_DEFER], -1); /* still as [due] */
	assert_int_equal(pol.nblackouts, 1);
	assert_string_equal(pol.blackouts[0].name, "freeze");
	assert_int_equal(pol.blackouts[0].from, 1797724800);
	assert_int_equal(pol.blackouts[0].to, 1799020800);
	assert_string_equal(pol.blackouts[0].group, "web");
	/* a [ring] section sets only the keys it names; a blackout's group is optional */
	expect_ok("[ring \"pilot\"]\nmax-failures = 3\n"
		  "[blackout \"all\"]\nto = 2026-01-02T00:00:00Z\nfrom = 2026-01-01T00:00:00Z\n");
	assert_int_equal(pol.ring_confs[0].soak_hours, 24);
	assert_int_equal(pol.ring_confs[0].max_failures, 3);
	assert_string_equal(pol.blackouts[0].group, "");
	/* a group that sets max-unavailable only keeps [due]'s days */
	expect_ok("[group \"db\"]\nmax-unavailable = 3\n");
	assert_int_equal(pol.groups[0].max_unavailable.value, 3);
	assert_false(pol.groups[0].max_unavailable.percent);
	assert_int_equal(policy_days(&pol, "db", SSVC_SCHEDULED), 30);
}

/* A value of key in section (a [x "n"] header or a plain one) must be
 * refused with "'value' is not <what> (expected <expected>)". */
static void expect_refused(const char *header, const char *key, const char *value,
			   const char *what, const char *expected)
{
	char text[2048], want[4096];

	snprintf(text, sizeof(text), "%s\n%s = \"%s\"\n", header, key, value);
	snprintf(want, sizeof(want), "t.conf:2: %s %s: '%s' is not %s (expected %s)", header, key,
		 value, what, expected);
	expect_error(text, want);
}

static void test_rollout_values(void **state)
{
	static const struct { const char *text, *canonical, *default_ring; } names_ok[] = {
		{ "a", "a", "a" }, { "a,b", "a, b", "b" }, { " a ,\tb.1_X-2 ", "a, b.1_X-2", "a" },
		{ "B, b", "B, b", "b" }, { "broad,pilot", "broad, pilot", "broad" },
	};
	static const char *const names_bad[] = {
		"", " ", "a,", ",a", "a,,b", "a, a", "a b", "a;b", "web/1", "caf\xc3\xa9",
		"a234567890123456789012345678901234567890123456789012345678901234",
		"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q",
	};
	static const char names_expected[] =
		"1 to 16 different names separated by commas, each 1 to 63 of A-Z a-z 0-9 . _ -";
	static const char *const minutes_bad[] = { "1441", "-1", "", "1.5", "30m", "+1", "0x1" };
	static const char *const hours_bad[] = { "8761", "-1", "", "1.5", "24h" };
	static const char *const counts_bad[] = { "100001", "-1", "", "1.0", "1e3" };
	char text[2048], want[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(names_ok) / sizeof(names_ok[0]); i++) {
		snprintf(text, sizeof(text), "[rollout]\nrings = \"%s\"\ndefault-ring = %s\n",
			 names_ok[i].text, names_ok[i].default_ring);
		expect_ok(text);
		snprintf(want, sizeof(want), "rollout.rings=%s\n", names_ok[i].canonical);
		assert_non_null(strstr(canonical(&pol), want));
	}
	/* sixteen rings, the most */
	expect_ok("[rollout]\nrings = a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\ndefault-ring = p\n");
	assert_int_equal(pol.nrings, 16);
	assert_string_equal(pol.rings[15], "p");
	assert_int_equal(policy_ring_index(&pol, NULL), 15);
	expect_ok("[rollout]\nrings = a234567890123456789012345678901234567890123456789012345678901"
		  "23\ndefault-ring = a23456789012345678901234567890123456789012345678901234567890"
		  "123\n");
	assert_int_equal(strlen(pol.rings[0]), 63);
	for (size_t i = 0; i < sizeof(names_bad) / sizeof(names_bad[0]); i++) {
		char shown[128];

		snprintf(shown, sizeof(shown), "%s", i == 9 ? "caf\\xc3\\xa9" : names_bad[i]);
		snprintf(text, sizeof(text), "[rollout]\nrings = \"%s\"\n", names_bad[i]);
		snprintf(want, sizeof(want), "t.conf:2: [rollout] rings: '%s' is not a list of "
			 "names (expected %s)", shown, names_expected);
		expect_error(text, want);
	}
	/* minutes: job-minutes 1 to 1440, reboot-minutes 0 to 1440 */
	expect_ok("[rollout]\njob-minutes = 1\nreboot-minutes = 1440\n");
	assert_int_equal(pol.job_minutes, 1);
	assert_int_equal(pol.reboot_minutes, 1440);
	expect_ok("[rollout]\njob-minutes = 0045\n");
	assert_int_equal(pol.job_minutes, 45);
	expect_refused("[rollout]", "job-minutes", "0", "a number of minutes",
		       "whole minutes, 1 to 1440");
	for (size_t i = 0; i < sizeof(minutes_bad) / sizeof(minutes_bad[0]); i++) {
		expect_refused("[rollout]", "job-minutes", minutes_bad[i], "a number of minutes",
			       "whole minutes, 1 to 1440");
		expect_refused("[rollout]", "reboot-minutes", minutes_bad[i], "a number of minutes",
			       "whole minutes, 0 to 1440");
	}
	/* horizon-days: days, 1 to 365 */
	expect_ok("[rollout]\nhorizon-days = 1\n");
	assert_int_equal(pol.horizon_days, 1);
	expect_refused("[rollout]", "horizon-days", "0", "a number of days",
		       "whole days, 1 to 365");
	expect_refused("[rollout]", "horizon-days", "366", "a number of days",
		       "whole days, 1 to 365");
	expect_refused("[rollout]", "emergency-window", "maybe", "a boolean",
		       "yes or no (also true/false, on/off, 1/0)");
	expect_refused("[rollout]", "default-ring", "a b", "a name",
		       "1 to 63 of A-Z a-z 0-9 . _ -");
	expect_refused("[blackout \"b\"]", "group", "a:b", "a name",
		       "empty, or 1 to 63 of A-Z a-z 0-9 . _ -");
	/* soak hours, 0 to 8760; failures, 0 to 100000 */
	expect_ok("[ring \"test\"]\nsoak-hours = 0\nmax-failures = 0\n");
	assert_int_equal(pol.ring_confs[0].soak_hours, 0);
	for (size_t i = 0; i < sizeof(hours_bad) / sizeof(hours_bad[0]); i++)
		expect_refused("[ring \"test\"]", "soak-hours", hours_bad[i], "a number of hours",
			       "whole hours, 0 to 8760");
	for (size_t i = 0; i < sizeof(counts_bad) / sizeof(counts_bad[0]); i++)
		expect_refused("[ring \"test\"]", "max-failures", counts_bad[i], "a count",
			       "a whole number, 0 to 100000");
}

static void test_limit_values(void **state)
{
	static const struct { const char *text, *canonical; int value; bool percent; } ok[] = {
		{ "1", "1", 1, false }, { "1000000", "1000000", 1000000, false },
		{ "007", "7", 7, false }, { "1%", "1%", 1, true }, { "100%", "100%", 100, true },
		{ "25%", "25%", 25, true }, { "050%", "50%", 50, true },
	};
	static const char *const bad[] = {
		"0", "0%", "101%", "1.5", "1.5%", "%", "", "25 %", " 25%", "-1", "-1%", "1000001",
		"25%%", "x%", "%25", "+1", "1e2", "0x10", "00%",
	};
	char text[128], want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "[group \"g\"]\nmax-unavailable = %s\n", ok[i].text);
		expect_ok(text);
		assert_int_equal(pol.groups[0].max_unavailable.value, ok[i].value);
		assert_int_equal(pol.groups[0].max_unavailable.percent, ok[i].percent);
		snprintf(want, sizeof(want), "group.g.max-unavailable=%s\n", ok[i].canonical);
		if (strcmp(ok[i].text, "1"))
			assert_non_null(strstr(canonical(&pol), want));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused("[group \"g\"]", "max-unavailable", bad[i],
			       "a number or percentage of hosts",
			       "a whole number, 1 to 1000000, or a percentage, 1% to 100%");
}

static void test_time_values(void **state)
{
	static const struct { const char *text; int64_t want; const char *canonical; } ok[] = {
		{ "2026-12-20T00:00:00Z", 1797724800, "2026-12-20T00:00:00Z" },
		{ "2026-12-20T01:00:00+01:00", 1797724800, "2026-12-20T00:00:00Z" },
		{ "2026-12-19T19:30:00-04:30", 1797724800, "2026-12-20T00:00:00Z" },
		{ "2026-12-20t00:00:00z", 1797724800, "2026-12-20T00:00:00Z" },
		{ "2026-12-20 00:00:00Z", 1797724800, "2026-12-20T00:00:00Z" },
		{ "2028-02-29T12:34:56Z", 1835440496, "2028-02-29T12:34:56Z" },
		{ "1969-12-31T23:59:59Z", -1, "1969-12-31T23:59:59Z" },
		{ "0000-01-01T00:00:00Z", -62167219200LL, "0000-01-01T00:00:00Z" },
		{ "9999-12-31T23:59:59Z", 253402300799LL, "9999-12-31T23:59:59Z" },
	};
	static const char *const bad[] = {
		"2026-12-20T00:00:00.5Z", "2026-12-20T00:00:00.0Z", "2026-12-20",
		"2026-12-20T00:00:00",
		"2026-12-20T00:00Z", "2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-12-20T24:00:00Z", "2026-12-20T00:00:00+1:00",
		"2026-12-20T00:00:00Z ", "0000-01-01T00:30:00+01:00", "9999-12-31T23:00:00-01:00",
		"yesterday", "", "1797724800",
	};
	char text[256], want[256];

	(void)state;
	/* each as to, after a from at the earliest time there is; and as from */
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "[blackout \"b\"]\nto = \"%s\"\n"
			 "from = 0000-01-01T00:00:00Z\n", ok[i].text);
		if (ok[i].want == INT64_C(-62167219200))
			snprintf(text, sizeof(text), "[blackout \"b\"]\nto = 0000-01-01T00:00:01Z\n"
				 "from = \"%s\"\n", ok[i].text);
		expect_ok(text);
		snprintf(want, sizeof(want), "blackout.b.to=%s\n", ok[i].canonical);
		if (ok[i].want == INT64_C(-62167219200))
			snprintf(want, sizeof(want), "blackout.b.from=%s\n", ok[i].canonical);
		else
			assert_int_equal(pol.blackouts[0].to, ok[i].want);
		assert_non_null(strstr(canonical(&pol), want));
		snprintf(text, sizeof(text), "[blackout \"b\"]\nfrom = \"%s\"\n"
			 "to = 9999-12-31T23:59:59Z\n", ok[i].text);
		if (ok[i].want == INT64_C(253402300799))
			continue;
		expect_ok(text);
		assert_int_equal(pol.blackouts[0].from, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused("[blackout \"b\"]", "from", bad[i], "a date-time",
			       "an RFC 3339 date-time in whole seconds, like "
			       "2026-12-20T00:00:00Z or 2026-12-20T01:00:00+01:00");
}

static void test_rollout_checks(void **state)
{
	(void)state;
	expect_error("[rollout]\ndefault-ring = canary\n",
		     "t.conf: [rollout] default-ring: 'canary' is not in rings "
		     "(test, pilot, broad)");
	expect_error("[rollout]\ndefault-ring = \"\"\n",
		     "t.conf:2: [rollout] default-ring: '' is not a name "
		     "(expected 1 to 63 of A-Z a-z 0-9 . _ -)");
	expect_error("[rollout]\ndefault-ring = Broad\n",
		     "t.conf: [rollout] default-ring: 'Broad' is not in rings "
		     "(test, pilot, broad)");
	/* new rings without broad need a default-ring */
	expect_error("[rollout]\nrings = a, b\n",
		     "t.conf: [rollout] default-ring: 'broad' is not in rings (a, b)");
	expect_ok("[rollout]\nrings = a, b\ndefault-ring = a\n");
	assert_int_equal(policy_ring_index(&pol, NULL), 0);
	/* a [ring] section names one of the rings, wherever rings is set */
	expect_error("[ring \"canary\"]\nsoak-hours = 1\n",
		     "t.conf: [ring \"canary\"]: not in [rollout] rings (test, pilot, broad)");
	expect_error("[ring \"test\"]\nsoak-hours = 1\n[ring \"x\"]\nsoak-hours = 1\n"
		     "[ring \"a\"]\nsoak-hours = 1\n",
		     "t.conf: [ring \"x\"]: not in [rollout] rings (test, pilot, broad)");
	expect_ok("[ring \"canary\"]\nsoak-hours = 1\n"
		  "[rollout]\nrings = canary, broad\n");
	assert_int_equal(pol.ring_confs[0].soak_hours, 1);
	/* duplicate ring names are a bad value, with the line */
	expect_error("[rollout]\nrings = test, pilot, test\n",
		     "t.conf:2: [rollout] rings: 'test, pilot, test' is not a list of names "
		     "(expected 1 to 16 different names separated by commas, each 1 to 63 of A-Z "
		     "a-z 0-9 . _ -)");
	/* a blackout ends after it starts, and has both ends */
	expect_error("[blackout \"x\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2026-12-20T00:00:00Z\n",
		     "t.conf: [blackout \"x\"]: to 2026-12-20T00:00:00Z is not after from "
		     "2026-12-20T00:00:00Z");
	expect_error("[blackout \"x\"]\nfrom = 2026-12-20T00:00:00Z\n"
		     "to = 2026-12-20T00:30:00+01:00\n",
		     "t.conf: [blackout \"x\"]: to 2026-12-19T23:30:00Z is not after from "
		     "2026-12-20T00:00:00Z");
	expect_error("[blackout \"x\"]\nto = 2026-12-20T00:00:00Z\n",
		     "t.conf: [blackout \"x\"]: from is required");
	expect_error("[blackout \"x\"]\nfrom = 2026-12-20T00:00:00Z\ngroup = web\n",
		     "t.conf: [blackout \"x\"]: to is required");
	expect_error("[blackout \"x\"]\ngroup = web\n",
		     "t.conf: [blackout \"x\"]: from is required");
	/* a later section may still complete it */
	expect_ok("[blackout \"x\"]\nfrom = 2026-12-20T00:00:00Z\n[due]\n"
		  "[blackout \"x\"]\nto = 2026-12-21T00:00:00Z\n");
	assert_int_equal(pol.nblackouts, 1);
	assert_int_equal(pol.blackouts[0].to - pol.blackouts[0].from, 86400);
	/* the key names, and keys set twice */
	expect_error("[rollout]\nring = test\n",
		     "t.conf:2: [rollout] ring: unknown key (expected rings, default-ring, "
		     "job-minutes, reboot-minutes, emergency-window or horizon-days)");
	expect_error("[ring \"test\"]\nsoak = 1\n",
		     "t.conf:2: [ring \"test\"] soak: unknown key (expected soak-hours or "
		     "max-failures)");
	expect_error("[blackout \"x\"]\nstart = 2026-12-20T00:00:00Z\n",
		     "t.conf:2: [blackout \"x\"] start: unknown key (expected from, to or group)");
}

static void test_rollout_names(void **state)
{
	(void)state;
	expect_error("[rollout \"x\"]\nrings = a\n",
		     "t.conf:2: [rollout \"x\"] rings: this section takes no name "
		     "(expected [rollout])");
	expect_error("[ring]\nsoak-hours = 1\n",
		     "t.conf:2: [ring] soak-hours: this section needs a name "
		     "(expected [ring \"NAME\"])");
	expect_error("[blackout]\nfrom = 2026-12-20T00:00:00Z\n",
		     "t.conf:2: [blackout] from: this section needs a name "
		     "(expected [blackout \"NAME\"])");
	expect_error("[rollout]\nrings = a\n[due]\n[rollout]\nrings = b\n",
		     "t.conf:5: [rollout] rings: set again (first set on line 2)");
	expect_error("[ring \"test\"]\nsoak-hours = 1\n[ring \"pilot\"]\nsoak-hours = 1\n"
		     "[ring \"test\"]\nsoak-hours = 2\n",
		     "t.conf:6: [ring \"test\"] soak-hours: set again (first set on line 2)");
	expect_error("[blackout \"x\"]\nfrom = 2026-12-20T00:00:00Z\n"
		     "from = 2026-12-21T00:00:00Z\n",
		     "t.conf:3: [blackout \"x\"] from: set again (first set on line 2)");
	expect_error("[group \"g\"]\nmax-unavailable = 1\nmax-unavailable = 2\n",
		     "t.conf:3: [group \"g\"] max-unavailable: set again (first set on line 2)");
}

static void test_rollout_limits(void **state)
{
	struct buf b;
	struct err e = { "" };

	(void)state;
	buf_init(&b, 1 << 20);
	for (int i = POLICY_BLACKOUTS_MAX - 1; i >= 0; i--)
		assert_int_equal(buf_appendf(&b, &e, "[blackout \"b%02d\"]\n"
					     "from = 2026-01-01T00:00:00Z\n"
					     "to = 2026-01-02T%02d:%02d:00Z\n", i, i / 60, i % 60),
				 0);
	expect_ok(b.data);
	assert_int_equal(pol.nblackouts, POLICY_BLACKOUTS_MAX);
	assert_string_equal(pol.blackouts[0].name, "b00"); /* sorted by name */
	assert_string_equal(pol.blackouts[POLICY_BLACKOUTS_MAX - 1].name, "b63");
	assert_int_equal(pol.blackouts[63].to - pol.blackouts[0].to, 63 * 60);
	assert_int_equal(buf_appendf(&b, &e, "[blackout \"b64\"]\n"
				     "from = 2026-01-01T00:00:00Z\n"), 0);
	expect_error(b.data, "t.conf:194: [blackout \"b64\"] from: more than 64 blackouts");
	buf_release(&b);
	/* sixteen [ring] sections at most, as there are at most sixteen rings */
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_appendf(&b, &e, "[rollout]\nrings = r0,r1,r2,r3,r4,r5,r6,r7,r8,r9,"
				     "r10,r11,r12,r13,r14,r15\ndefault-ring = r0\n"), 0);
	for (int i = 0; i < POLICY_RINGS_MAX; i++)
		assert_int_equal(buf_appendf(&b, &e, "[ring \"r%d\"]\nsoak-hours = %d\n", i, i), 0);
	expect_ok(b.data);
	assert_int_equal(pol.nring_confs, POLICY_RINGS_MAX);
	assert_string_equal(pol.ring_confs[0].name, "r0"); /* sorted by name */
	assert_string_equal(pol.ring_confs[1].name, "r1");
	assert_string_equal(pol.ring_confs[2].name, "r10");
	assert_int_equal(policy_ring_settings(&pol, "r15").soak_hours, 15);
	assert_int_equal(buf_appendf(&b, &e, "[ring \"r16\"]\nsoak-hours = 1\n"), 0);
	expect_error(b.data, "t.conf:37: [ring \"r16\"] soak-hours: more than 16 rings");
	buf_release(&b);
}

static void test_ring_lookups(void **state)
{
	struct policy_ring r;

	(void)state;
	policy_defaults(&pol);
	assert_int_equal(policy_ring_index(&pol, "test"), 0);
	assert_int_equal(policy_ring_index(&pol, "pilot"), 1);
	assert_int_equal(policy_ring_index(&pol, "broad"), 2);
	assert_int_equal(policy_ring_index(&pol, NULL), 2); /* default-ring */
	assert_int_equal(policy_ring_index(&pol, ""), 2);
	assert_int_equal(policy_ring_index(&pol, "Broad"), -1); /* case matters */
	assert_int_equal(policy_ring_index(&pol, "canary"), -1);
	expect_ok("[rollout]\nrings = canary, eu, us\ndefault-ring = eu\n"
		  "[ring \"us\"]\nsoak-hours = 0\n"
		  "[ring \"canary\"]\nsoak-hours = 72\nmax-failures = 5\n"
		  "[ring \"eu\"]\nmax-failures = 10\n");
	assert_int_equal(policy_ring_index(&pol, "canary"), 0);
	assert_int_equal(policy_ring_index(&pol, "us"), 2);
	assert_int_equal(policy_ring_index(&pol, NULL), 1);
	assert_int_equal(policy_ring_index(&pol, ""), 1);
	assert_int_equal(policy_ring_index(&pol, "test"), -1);
	r = policy_ring_settings(&pol, "canary");
	assert_string_equal(r.name, "canary");
	assert_int_equal(r.soak_hours, 72);
	assert_int_equal(r.max_failures, 5);
	r = policy_ring_settings(&pol, "us");
	assert_int_equal(r.soak_hours, 0);
	assert_int_equal(r.max_failures, 0);
	/* a host without a ring: the default ring's settings */
	r = policy_ring_settings(&pol, NULL);
	assert_string_equal(r.name, "eu");
	assert_int_equal(r.soak_hours, 24);
	assert_int_equal(r.max_failures, 10);
	/* a ring without a section: the defaults, named */
	expect_ok("[ring \"pilot\"]\nsoak-hours = 1\n");
	r = policy_ring_settings(&pol, "test");
	assert_string_equal(r.name, "test");
	assert_int_equal(r.soak_hours, 24);
	assert_int_equal(r.max_failures, 0);
	r = policy_ring_settings(&pol, "");
	assert_string_equal(r.name, "broad");
	assert_int_equal(r.soak_hours, 24);
	assert_int_equal(policy_ring_settings(&pol, "pilot").soak_hours, 1);
}

static void test_max_unavailable(void **state)
{
	(void)state;
	expect_ok("[group \"web\"]\nmax-unavailable = 25%\n"
		  "[group \"db\"]\nmax-unavailable = 4\n"
		  "[group \"all\"]\nmax-unavailable = 100%\n"
		  "[group \"one\"]\nmax-unavailable = 1%\n"
		  "[group \"lab\"]\ndefer = 10\n");
	/* a percentage of the group's hosts, rounded down, at least 1 */
	assert_int_equal(policy_max_unavailable(&pol, "web", 100), 25);
	assert_int_equal(policy_max_unavailable(&pol, "web", 10), 2);  /* 2.5 */
	assert_int_equal(policy_max_unavailable(&pol, "web", 7), 1);   /* 1.75 */
	assert_int_equal(policy_max_unavailable(&pol, "web", 3), 1);   /* 0.75: at least 1 */
	assert_int_equal(policy_max_unavailable(&pol, "web", 0), 1);
	assert_int_equal(policy_max_unavailable(&pol, "web", -5), 1);
	assert_int_equal(policy_max_unavailable(&pol, "one", 250), 2);
	assert_int_equal(policy_max_unavailable(&pol, "one", 99), 1);
	assert_int_equal(policy_max_unavailable(&pol, "all", 7), 7);
	assert_int_equal(policy_max_unavailable(&pol, "all", 1), 1);
	assert_int_equal(policy_max_unavailable(&pol, "all", LONG_MAX), INT_MAX);
	assert_int_equal(policy_max_unavailable(&pol, "web", 8000000001L), 2000000000);
	/* a number as it is, even above the group's size */
	assert_int_equal(policy_max_unavailable(&pol, "db", 100), 4);
	assert_int_equal(policy_max_unavailable(&pol, "db", 2), 4);
	assert_int_equal(policy_max_unavailable(&pol, "db", 0), 4);
	/* a section without the key, no section, no group: 1 */
	assert_int_equal(policy_max_unavailable(&pol, "lab", 100), 1);
	assert_int_equal(policy_max_unavailable(&pol, "none", 100), 1);
	assert_int_equal(policy_max_unavailable(&pol, NULL, 100), 1);
	assert_int_equal(policy_max_unavailable(&pol, "", 100), 1);
	assert_int_equal(policy_max_unavailable(&pol, "WEB", 100), 1); /* case matters */
}

#define T(s) ((int64_t)(s))
#define DAY 86400

static void test_blackouts(void **state)
{
	int64_t end;

	(void)state;
	/* all: [10 days, 12 days) for everyone; web: [11, 15) and [14, 20) for web;
	 * db: [30, 31) for db */
	expect_ok("[blackout \"web-b\"]\nfrom = 1970-01-15T00:00:00Z\nto = 1970-01-21T00:00:00Z\n"
		  "group = web\n"
		  "[blackout \"all\"]\nfrom = 1970-01-11T00:00:00Z\nto = 1970-01-13T00:00:00Z\n"
		  "[blackout \"web-a\"]\nfrom = 1970-01-12T00:00:00Z\nto = 1970-01-16T00:00:00Z\n"
		  "group = web\n"
		  "[blackout \"db\"]\nfrom = 1970-01-31T00:00:00Z\nto = 1970-02-01T00:00:00Z\n"
		  "group = db\n");
	assert_int_equal(pol.nblackouts, 4);
	assert_string_equal(pol.blackouts[0].name, "all"); /* sorted by name */
	assert_string_equal(pol.blackouts[1].name, "db");
	assert_string_equal(pol.blackouts[2].name, "web-a");
	assert_string_equal(pol.blackouts[3].name, "web-b");
	assert_int_equal(pol.blackouts[0].from, T(10 * DAY));
	/* a global blackout applies to every host, a group's only to that group's */
	end = -1;
	assert_true(policy_blackout_at(&pol, NULL, T(10 * DAY), T(10 * DAY + 60), &end));
	assert_int_equal(end, T(12 * DAY));
	end = -1;
	assert_true(policy_blackout_at(&pol, "db", T(10 * DAY), T(10 * DAY + 60), &end));
	assert_int_equal(end, T(12 * DAY));
	end = -1;
	assert_false(policy_blackout_at(&pol, NULL, T(14 * DAY), T(15 * DAY), &end));
	assert_false(policy_blackout_at(&pol, "", T(14 * DAY), T(15 * DAY), &end));
	assert_false(policy_blackout_at(&pol, "db", T(14 * DAY), T(15 * DAY), &end));
	assert_false(policy_blackout_at(&pol, "Web", T(14 * DAY), T(15 * DAY), &end));
	assert_int_equal(end, -1); /* untouched when false */
	assert_true(policy_blackout_at(&pol, "web", T(14 * DAY), T(15 * DAY), &end));
	assert_int_equal(end, T(20 * DAY)); /* web-a ends 15, web-b 20: the latest */
	assert_true(policy_blackout_at(&pol, "db", T(30 * DAY + 3600), T(30 * DAY + 7200), &end));
	assert_int_equal(end, T(31 * DAY));
	/* overlapping blackouts: the latest end among those intersected */
	assert_true(policy_blackout_at(&pol, "web", T(10 * DAY), T(11 * DAY + 1), &end));
	assert_int_equal(end, T(15 * DAY)); /* all (12) and web-a (15), not web-b */
	assert_true(policy_blackout_at(&pol, "web", T(0), T(40 * DAY), &end));
	assert_int_equal(end, T(20 * DAY));
	assert_true(policy_blackout_at(&pol, "db", T(0), T(40 * DAY), &end));
	assert_int_equal(end, T(31 * DAY));
	/* half-open: [a, b) and [b, c) do not intersect, either way round */
	end = -1;
	assert_false(policy_blackout_at(&pol, NULL, T(9 * DAY), T(10 * DAY), &end));
	assert_false(policy_blackout_at(&pol, NULL, T(12 * DAY), T(13 * DAY), &end));
	assert_int_equal(end, -1);
	assert_true(policy_blackout_at(&pol, NULL, T(9 * DAY), T(10 * DAY + 1), &end));
	assert_int_equal(end, T(12 * DAY));
	assert_true(policy_blackout_at(&pol, NULL, T(12 * DAY - 1), T(13 * DAY), &end));
	/* the job covering the whole blackout */
	assert_true(policy_blackout_at(&pol, NULL, T(9 * DAY), T(13 * DAY), NULL));
	/* an empty interval intersects nothing */
	assert_false(policy_blackout_at(&pol, NULL, T(11 * DAY), T(11 * DAY), &end));
	assert_false(policy_blackout_at(&pol, NULL, T(11 * DAY), T(10 * DAY), &end));
	assert_int_equal(end, T(12 * DAY));
	/* no blackouts: never */
	policy_defaults(&pol);
	assert_false(policy_blackout_at(&pol, "web", INT64_MIN, INT64_MAX, &end));
}

/* The rollout in canonical text: ring sections equal to the defaults are
 * left out, blackouts always show, times in UTC. */
static void test_canonical_rollout(void **state)
{
	static char a[65536];
	char da[65], db[65];
	struct err e = { "" };

	(void)state;
	expect_ok("[rollout]\nrings = canary, eu\ndefault-ring = eu\nreboot-minutes = 5\n"
		  "[ring \"canary\"]\nsoak-hours = 48\n"
		  "[ring \"eu\"]\nsoak-hours = 24\nmax-failures = 0\n"
		  "[group \"web\"]\nmax-unavailable = 10%\n"
		  "[group \"db\"]\nmax-unavailable = 1\n"
		  "[blackout \"z\"]\nfrom = 2026-12-20T01:00:00+01:00\nto = 2027-01-04T00:00:00Z\n"
		  "[blackout \"a\"]\nfrom = 2026-11-27T00:00:00Z\nto = 2026-11-28T00:00:00Z\n"
		  "group = web\n");
	snprintf(a, sizeof(a), "%s", canonical(&pol));
	assert_int_equal(policy_digest(&pol, da, &e), 0);
	assert_string_equal(a,
			    "accept-risk.defer=365\n"
			    "accept-risk.immediate=7\n"
			    "accept-risk.out-of-cycle=30\n"
			    "accept-risk.scheduled=90\n"
			    "assess.default-criticality=medium\n"
			    "assess.default-exposure=internet\n"
			    "assess.epss-threshold=0.1\n"
			    "assess.kev-due-date-wins=yes\n"
			    "blackout.a.from=2026-11-27T00:00:00Z\n"
			    "blackout.a.group=web\n"
			    "blackout.a.to=2026-11-28T00:00:00Z\n"
			    "blackout.z.from=2026-12-20T00:00:00Z\n"
			    "blackout.z.group=\n"
			    "blackout.z.to=2027-01-04T00:00:00Z\n"
			    "due.defer=90\n"
			    "due.immediate=2\n"
			    "due.out-of-cycle=7\n"
			    "due.scheduled=30\n"
			    "group.web.defer=90\n"
			    "group.web.health-check=\n"
			    "group.web.hook-seconds=300\n"
			    "group.web.immediate=2\n"
			    "group.web.max-unavailable=10%\n"
			    "group.web.out-of-cycle=7\n"
			    "group.web.post-hook=\n"
			    "group.web.pre-hook=\n"
			    "group.web.revert-hook=\n"
			    "group.web.scheduled=30\n"
			    "ring.canary.max-failures=0\n"
			    "ring.canary.soak-hours=48\n"
			    "rollout.default-ring=eu\n"
			    "rollout.emergency-window=yes\n"
			    "rollout.horizon-days=30\n"
			    "rollout.job-minutes=30\n"
			    "rollout.reboot-minutes=5\n"
			    "rollout.rings=canary, eu\n");
	/* the same, written otherwise */
	expect_ok("[blackout \"a\"]\ngroup = \"web\"\nto = 2026-11-27T19:00:00-05:00\n"
		  "from = 2026-11-27T00:00:00z\n"
		  "[rollout]\nreboot-minutes = 005\nrings = \"canary ,eu\"\ndefault-ring = eu\n"
		  "emergency-window = on\n"
		  "[group \"web\"]\nmax-unavailable = 010%\n"
		  "[ring \"canary\"]\nsoak-hours = 48\n"
		  "[blackout \"z\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n"
		  "group =\n");
	assert_string_equal(canonical(&pol), a);
	assert_int_equal(policy_digest(&pol, db, &e), 0);
	assert_string_equal(da, db);
	/* one second later: another text and digest */
	expect_ok("[blackout \"a\"]\ngroup = \"web\"\nto = 2026-11-27T19:00:01-05:00\n"
		  "from = 2026-11-27T00:00:00z\n"
		  "[rollout]\nreboot-minutes = 005\nrings = \"canary ,eu\"\ndefault-ring = eu\n"
		  "[group \"web\"]\nmax-unavailable = 010%\n"
		  "[ring \"canary\"]\nsoak-hours = 48\n"
		  "[blackout \"z\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n");
	assert_non_null(strstr(canonical(&pol), "blackout.a.to=2026-11-28T00:00:01Z\n"));
	assert_int_equal(policy_digest(&pol, db, &e), 0);
	assert_string_not_equal(da, db);
}

/* A policy built by hand may hold values no file gives: the lookups stay
 * in bounds and sensible, and the canonical text shows '?' for a time it
 * cannot write. */
static void test_rollout_by_hand(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	p.nrings = 1000;
	assert_int_equal(policy_ring_index(&p, "nowhere"), -1);
	assert_int_equal(policy_ring_index(&p, "broad"), 2);
	p.nrings = 3;
	snprintf(p.default_ring, sizeof(p.default_ring), "gone");
	assert_int_equal(policy_ring_index(&p, NULL), -1);
	p.ngroups = 1;
	snprintf(p.groups[0].name, sizeof(p.groups[0].name), "g");
	p.groups[0].max_unavailable = (struct policy_limit){ 0, false };
	assert_int_equal(policy_max_unavailable(&p, "g", 10), 1);
	p.groups[0].max_unavailable = (struct policy_limit){ -3, true };
	assert_int_equal(policy_max_unavailable(&p, "g", 10), 1);
	p.groups[0].max_unavailable = (struct policy_limit){ 500, true };
	assert_int_equal(policy_max_unavailable(&p, "g", 10), 10);
	p.nblackouts = 1000;
	assert_false(policy_blackout_at(&p, NULL, 0, 1, NULL));
	p.nblackouts = 1;
	p.blackouts[0].from = INT64_MIN;
	p.blackouts[0].to = INT64_MAX;
	assert_true(policy_blackout_at(&p, "any", 0, 1, NULL));
	snprintf(p.blackouts[0].name, sizeof(p.blackouts[0].name), "h");
	assert_non_null(strstr(canonical(&p), "blackout.h.from=?\n"));
	assert_non_null(strstr(canonical(&p), "blackout.h.to=?\n"));
}

static void test_word_parsers(void **state)
{
	enum ssvc_exposure x = SSVC_EXPOSURE_OPEN;
	enum ssvc_impact i = SSVC_IMPACT_LOW;

	(void)state;
	assert_int_equal(policy_exposure_parse("isolated", &x), 0);
	assert_int_equal(x, SSVC_EXPOSURE_SMALL);
	assert_int_equal(policy_exposure_parse("dmz", &x), 0);
	assert_int_equal(x, SSVC_EXPOSURE_CONTROLLED);
	assert_int_equal(policy_exposure_parse("internet", &x), 0);
	assert_int_equal(x, SSVC_EXPOSURE_OPEN);
	assert_int_equal(policy_exposure_parse("internal", &x), 0);
	assert_int_equal(x, SSVC_EXPOSURE_SMALL);
	assert_int_equal(policy_exposure_parse("open", &x), -1);
	assert_int_equal(policy_exposure_parse("", &x), -1);
	assert_int_equal(x, SSVC_EXPOSURE_SMALL);
	assert_int_equal(policy_impact_parse("critical", &i), 0);
	assert_int_equal(i, SSVC_IMPACT_VERY_HIGH);
	assert_int_equal(policy_impact_parse("high", &i), 0);
	assert_int_equal(i, SSVC_IMPACT_HIGH);
	assert_int_equal(policy_impact_parse("low", &i), 0);
	assert_int_equal(i, SSVC_IMPACT_LOW);
	assert_int_equal(policy_impact_parse("medium", &i), 0);
	assert_int_equal(i, SSVC_IMPACT_MEDIUM);
	assert_int_equal(policy_impact_parse("very high", &i), -1);
	assert_int_equal(policy_impact_parse("Medium", &i), -1);
	assert_int_equal(i, SSVC_IMPACT_MEDIUM);
}

static void test_canonical(void **state)
{
	static char a[65536], b[65536];
	char da[65], db[65];
	struct err e = { "" };

	(void)state;
	expect_ok("[due]\nimmediate = 1\n[assess]\nepss-threshold = 0.10\n"
		  "kev-due-date-wins = on\ndefault-exposure = isolated\n"
		  "[group \"web\"]\nimmediate = 0\n[group \"db\"]\ndefer = 90\n");
	snprintf(a, sizeof(a), "%s", canonical(&pol));
	assert_int_equal(policy_digest(&pol, da, &e), 0);
	expect_ok("; the same, written otherwise\r\n"
		  "[group \"web\"]\r\n\timmediate=\"0\"   # now\r\n"
		  "[assess]\r\ndefault-exposure = internal\r\nepss-threshold=0.1\r\n"
		  "[due]\r\nimmediate = 001\r\ndefer = 90\r\n"
		  "[group \"lab\"]\r\nimmediate = 1\r\n");
	snprintf(b, sizeof(b), "%s", canonical(&pol));
	assert_int_equal(policy_digest(&pol, db, &e), 0);
	assert_string_equal(a, b);
	assert_string_equal(da, db);
	assert_int_equal(strlen(da), 64);
	/* groups equal to [due] are left out; the others show every key */
	assert_string_equal(a,
			    "accept-risk.defer=365\n"
			    "accept-risk.immediate=7\n"
			    "accept-risk.out-of-cycle=30\n"
			    "accept-risk.scheduled=90\n"
			    "assess.default-criticality=medium\n"
			    "assess.default-exposure=internal\n"
			    "assess.epss-threshold=0.1\n"
			    "assess.kev-due-date-wins=yes\n"
			    "due.defer=90\n"
			    "due.immediate=1\n"
			    "due.out-of-cycle=7\n"
			    "due.scheduled=30\n"
			    "group.web.defer=90\n"
			    "group.web.health-check=\n"
			    "group.web.hook-seconds=300\n"
			    "group.web.immediate=0\n"
			    "group.web.max-unavailable=1\n"
			    "group.web.out-of-cycle=7\n"
			    "group.web.post-hook=\n"
			    "group.web.pre-hook=\n"
			    "group.web.revert-hook=\n"
			    "group.web.scheduled=30\n"
			    "rollout.default-ring=broad\n"
			    "rollout.emergency-window=yes\n"
			    "rollout.horizon-days=30\n"
			    "rollout.job-minutes=30\n"
			    "rollout.reboot-minutes=15\n"
			    "rollout.rings=test, pilot, broad\n");
	/* one value changed: another text and digest */
	expect_ok("[group \"web\"]\nimmediate=0\n[assess]\ndefault-exposure = internal\n"
		  "epss-threshold=0.1000001\n[due]\nimmediate = 1\n");
	assert_string_not_equal(canonical(&pol), a);
	assert_non_null(strstr(canonical(&pol), "assess.epss-threshold=0.1000001\n"));
	assert_int_equal(policy_digest(&pol, db, &e), 0);
	assert_string_not_equal(da, db);
}

/* Quorums by action name, rules by name, in the one sorted text. */
static void test_canonical_new(void **state)
{
	static char a[65536];
	static const char *const changed[] = {
		"[accept-risk]\ndefer = 364\n",
		"[quorum \"not-affected\"]\nimmediate = 2\n",
		"[quorum \"accept-risk\"]\nimmediate = 1\n",
		"[auto-approve \"low\"]\npriority = defer\n",
		"[auto-approve \"low\"]\npriority = scheduled, defer\ngroup = lab\n",
		"[auto-approve \"low\"]\npriority = scheduled, defer\nring = test\n",
		"[auto-approve \"low\"]\npriority = scheduled, defer\nring = test\n"
		"[auto-approve \"low2\"]\npriority = defer\n",
		"[rollout]\nrings = test, broad, pilot\n",
		"[rollout]\nrings = test, pilot, broad, x\n",
		"[rollout]\ndefault-ring = pilot\n",
		"[rollout]\njob-minutes = 31\n",
		"[rollout]\nreboot-minutes = 0\n",
		"[rollout]\nemergency-window = no\n",
		"[rollout]\nhorizon-days = 29\n",
		"[ring \"test\"]\nsoak-hours = 23\n",
		"[ring \"test\"]\nmax-failures = 1\n",
		"[ring \"pilot\"]\nmax-failures = 1\n",
		"[group \"web\"]\nmax-unavailable = 2\n",
		"[group \"web\"]\nmax-unavailable = 2%\n",
		"[blackout \"b\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n",
		"[blackout \"b\"]\nfrom = 2026-12-20T00:00:01Z\nto = 2027-01-04T00:00:00Z\n",
		"[blackout \"b\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n"
		"group = web\n",
		"[blackout \"c\"]\nfrom = 2026-12-20T00:00:00Z\nto = 2027-01-04T00:00:00Z\n",
	};
	enum { nchanged = sizeof(changed) / sizeof(changed[0]) };
	char da[65], db[65], digests[nchanged + 2][65];
	struct err e = { "" };

	(void)state;
	expect_ok("[auto-approve \"low\"]\npriority = scheduled, defer\n"
		  "[quorum \"mitigated\"]\ndefer = 2\n"
		  "[quorum \"accept-risk\"]\nimmediate = 2\nout-of-cycle = 2\n"
		  "[quorum \"approve\"]\nimmediate = 1\n"
		  "[accept-risk]\nimmediate = 3\n");
	snprintf(a, sizeof(a), "%s", canonical(&pol));
	assert_int_equal(policy_digest(&pol, da, &e), 0);
	/* a quorum equal to the defaults is left out, a rule always shows */
	assert_string_equal(a,
			    "accept-risk.defer=365\n"
			    "accept-risk.immediate=3\n"
			    "accept-risk.out-of-cycle=30\n"
			    "accept-risk.scheduled=90\n"
			    "assess.default-criticality=medium\n"
			    "assess.default-exposure=internet\n"
			    "assess.epss-threshold=0.1\n"
			    "assess.kev-due-date-wins=yes\n"
			    "auto-approve.low.group=\n"
			    "auto-approve.low.priority=scheduled, defer\n"
			    "auto-approve.low.ring=\n"
			    "due.defer=90\n"
			    "due.immediate=2\n"
			    "due.out-of-cycle=7\n"
			    "due.scheduled=30\n"
			    "quorum.accept-risk.defer=1\n"
			    "quorum.accept-risk.immediate=2\n"
			    "quorum.accept-risk.out-of-cycle=2\n"
			    "quorum.accept-risk.scheduled=1\n"
			    "quorum.mitigated.defer=2\n"
			    "quorum.mitigated.immediate=1\n"
			    "quorum.mitigated.out-of-cycle=1\n"
			    "quorum.mitigated.scheduled=1\n"
			    "rollout.default-ring=broad\n"
			    "rollout.emergency-window=yes\n"
			    "rollout.horizon-days=30\n"
			    "rollout.job-minutes=30\n"
			    "rollout.reboot-minutes=15\n"
			    "rollout.rings=test, pilot, broad\n");
	/* the same, written otherwise */
	expect_ok("[accept-risk]\nimmediate = 03\ndefer = 365\n"
		  "[quorum \"accept-risk\"]\nout-of-cycle = 2\n"
		  "[quorum \"mitigated\"]\ndefer = \"2\"\n"
		  "[quorum \"defer\"]\nimmediate = 1\nscheduled = 1\n"
		  "[auto-approve \"low\"]\nring = \"\"\npriority = defer,scheduled,defer\n"
		  "group =\n");
	assert_string_equal(canonical(&pol), a);
	assert_int_equal(policy_digest(&pol, db, &e), 0);
	assert_string_equal(da, db);
	/* any new value changed: another digest than the defaults', the file
	 * above's, and each other's */
	expect_ok("");
	assert_int_equal(policy_digest(&pol, digests[0], &e), 0);
	memcpy(digests[1], da, sizeof(da));
	for (size_t i = 0; i < nchanged; i++) {
		expect_ok(changed[i]);
		assert_int_equal(policy_digest(&pol, digests[i + 2], &e), 0);
	}
	for (size_t i = 0; i < nchanged + 2; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(digests[i], digests[k]))
				fail_msg("digests %zu and %zu are the same", k, i);
}

static void test_canonical_numbers(void **state)
{
	static const char *const in[] = { "0", "1.00", "0.000000001", "0.5", "0.123456789", "0.05" };
	static const char *const out[] = { "0", "1", "0.000000001", "0.5", "0.123456789", "0.05" };
	char text[128], want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(text, sizeof(text), "[assess]\nepss-threshold = %s\n", in[i]);
		expect_ok(text);
		snprintf(want, sizeof(want), "assess.epss-threshold=%s\n", out[i]);
		assert_non_null(strstr(canonical(&pol), want));
	}
}

static void test_canonical_buffer(void **state)
{
	struct err e = { "" };
	struct policy p;
	struct buf b;

	(void)state;
	policy_defaults(&p);
	buf_init(&b, 7 + strlen(defaults_text) + 100);
	assert_int_equal(buf_append(&b, "before\n", 7, &e), 0);
	assert_int_equal(policy_canonical(&p, &b, &e), 0);
	assert_int_equal(b.len, 7 + strlen(defaults_text));
	assert_int_equal(policy_canonical(&p, &b, &e), ERR_NOMEM);
	assert_int_equal(b.len, 7 + strlen(defaults_text));
	assert_int_equal(strlen(b.data), b.len);
	buf_release(&b);
}

static void read_or_fail(struct buf *b, const char *path)
{
	struct err e = { "" };

	buf_init(b, INI_TEXT_MAX);
	if (buf_read_file(b, path, &e))
		fail_msg("%s (tests run from the repository root)", e.msg);
}

static int note_key(const struct ini_entry *en, void *ctx, struct err *e)
{
	return buf_appendf(ctx, e, "%s.%s=\n", en->section, en->key);
}

/* contrib/hfx.conf is the defaults, with every key of its plain sections. */
static void test_contrib_example(void **state)
{
	struct buf file, keys;
	struct err e = { "" };
	struct policy def;
	const char *line;

	(void)state;
	read_or_fail(&file, "contrib/hfx.conf");
	if (policy_parse(file.data, file.len, "contrib/hfx.conf", &pol, &e))
		fail_msg("%s", e.msg);
	policy_defaults(&def);
	assert_memory_equal(&pol, &def, sizeof(def));
	buf_init(&keys, 1 << 20);
	assert_int_equal(ini_parse(file.data, file.len, "contrib/hfx.conf", note_key, &keys, &e), 0);
	for (line = defaults_text; *line; line = strchr(line, '\n') + 1) {
		char key[128];

		copy_span(key, sizeof(key), line, (size_t)(strchr(line, '=') - line + 1));
		if (!strstr(keys.data, key))
			fail_msg("contrib/hfx.conf does not set %s", key);
	}
	buf_release(&keys);
	buf_release(&file);
}

/*
 * contrib/hfx.conf shows the named sections as commented examples: "# [x]"
 * and the "# key = value" lines after it, up to a line "#" or a blank one.
 * Uncommented, they must parse, and name every kind of named section.
 */
static void test_contrib_commented(void **state)
{
	static const char *const want[] = { "[group \"", "[quorum \"", "[auto-approve \"",
					    "[ring \"", "[blackout \"" };
	struct buf file, out;
	struct err e = { "" };
	bool on = false;

	(void)state;
	read_or_fail(&file, "contrib/hfx.conf");
	buf_init(&out, 1 << 20);
	for (const char *line = file.data; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len >= 3 && !memcmp(line, "# [", 3))
			on = true;
		else if (len <= 1)
			on = false;
		if (on)
			assert_int_equal(buf_appendf(&out, &e, "%.*s\n", (int)len - 2, line + 2), 0);
		line += len + (nl != NULL);
	}
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(out.data, want[i]))
			fail_msg("contrib/hfx.conf has no commented example of %s...]", want[i]);
	if (policy_parse(out.data, out.len, "contrib/hfx.conf (uncommented)", &pol, &e))
		fail_msg("%s; the text:\n%s", e.msg, out.data);
	assert_int_equal(pol.ngroups, 2);
	assert_int_equal(pol.nrules, 2);
	assert_int_equal(policy_quorum(&pol, DECIDE_ACCEPT_RISK, SSVC_IMMEDIATE), 2);
	assert_int_equal(pol.nring_confs, 2);
	assert_int_equal(pol.nblackouts, 2);
	assert_int_equal(policy_max_unavailable(&pol, "web", 8), 2);
	buf_release(&out);
	buf_release(&file);
}

/* docs/POLICY.md holds policy_reference() between two markers. */
static void test_docs_reference(void **state)
{
	static const char begin[] = "<!-- BEGIN policy_reference() -->\n";
	static const char end[] = "<!-- END policy_reference() -->\n";
	struct buf doc, ref;
	struct err e = { "" };
	const char *from, *to;

	(void)state;
	read_or_fail(&doc, "docs/POLICY.md");
	buf_init(&ref, 1 << 20);
	assert_int_equal(policy_reference(&ref, &e), 0);
	from = strstr(doc.data, begin);
	to = from ? strstr(from, end) : NULL;
	if (!to)
		fail_msg("docs/POLICY.md lacks the markers %s and %s", begin, end);
	from += strlen(begin);
	if ((size_t)(to - from) != ref.len || memcmp(from, ref.data, ref.len))
		fail_msg("docs/POLICY.md is out of date; between the markers it must read:\n%s",
			 ref.data);
	buf_release(&ref);
	buf_release(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_priority_lists),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_new_values),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_group_limit),
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_auto_approve),
		cmocka_unit_test(test_rule_required),
		cmocka_unit_test(test_rule_limit),
		cmocka_unit_test(test_rollout_keys),
		cmocka_unit_test(test_rollout_values),
		cmocka_unit_test(test_limit_values),
		cmocka_unit_test(test_time_values),
		cmocka_unit_test(test_rollout_checks),
		cmocka_unit_test(test_rollout_names),
		cmocka_unit_test(test_rollout_limits),
		cmocka_unit_test(test_ring_lookups),
		cmocka_unit_test(test_max_unavailable),
		cmocka_unit_test(test_blackouts),
		cmocka_unit_test(test_canonical_rollout),
		cmocka_unit_test(test_rollout_by_hand),
		cmocka_unit_test(test_word_parsers),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_canonical_new),
		cmocka_unit_test(test_canonical_numbers),
		cmocka_unit_test(test_canonical_buffer),
		cmocka_unit_test(test_contrib_example),
		cmocka_unit_test(test_contrib_commented),
		cmocka_unit_test(test_docs_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
