/*
 * Unit tests for the policy model (src/core/policy*.c): the defaults, every
 * key and the values each accepts or refuses, group overrides, quorums and
 * auto-approval rules, the whole message of every rejection, the canonical
 * text and digest, and two files
 * that must agree with the code: contrib/hfx.conf (the defaults, every key
 * written out) and docs/POLICY.md (which embeds policy_reference()). Those
 * are read relative to the current directory: tests run from the
 * repository root (tests/run.sh).
 */
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
	"due.scheduled=30\n";

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
	assert_string_equal(canonical(&p), defaults_text);
	/* an empty file, or one of comments, is the defaults */
	expect_ok("");
	assert_string_equal(canonical(&pol), defaults_text);
	expect_ok("# nothing\n\n[due]\n[assess]\n[accept-risk]\n[quorum \"approve\"]\n"
		  "[auto-approve \"x\"]\n");
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
		     "(expected [due], [assess], [group \"NAME\"], [accept-risk], [quorum \"ACTION\"] or "
		     "[auto-approve \"NAME\"])");
	expect_error("[Due]\nimmediate = 1\n",
		     "t.conf:2: [Due] immediate: unknown section "
		     "(expected [due], [assess], [group \"NAME\"], [accept-risk], [quorum \"ACTION\"] or "
		     "[auto-approve \"NAME\"])");
	expect_error("[due]\nsoon = 1\n",
		     "t.conf:2: [due] soon: unknown key "
		     "(expected immediate, out-of-cycle, scheduled or defer)");
	expect_error("[assess]\nepss = 0.2\n",
		     "t.conf:2: [assess] epss: unknown key (expected epss-threshold, "
		     "kev-due-date-wins, default-exposure or default-criticality)");
	expect_error("[group \"db\"]\nepss-threshold = 0.2\n",
		     "t.conf:2: [group \"db\"] epss-threshold: unknown key "
		     "(expected immediate, out-of-cycle, scheduled or defer)");
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
			    "group.web.immediate=0\n"
			    "group.web.out-of-cycle=7\n"
			    "group.web.scheduled=30\n");
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
			    "quorum.mitigated.scheduled=1\n");
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
	buf_init(&b, 300);
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

/* contrib/hfx.conf is the defaults, with every key of [due] and [assess]. */
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
	static const char *const want[] = { "[group \"", "[quorum \"", "[auto-approve \"" };
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
