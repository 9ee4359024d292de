/*
 * The SSVC inputs and deadlines of core/assess.c: how KEV, EPSS, vectors
 * and host attributes become the four decision points, and the deadline
 * rules (first seen, raised, lowered, KEV date, group days). The outcome
 * table itself is checked row by row in test_ssvc.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/timefmt.h"
#include "core/assess.h"
#include "testutil.h"

static int64_t day(const char *s)
{
	int64_t d;

	assert_true(date_parse(s, &d));
	return d;
}

static void test_inputs(void **state)
{
	struct policy p;
	struct assess_inputs in;
	struct assess_threat t = { .automatable = -1 };
	struct assess_host h = { -1, -1, NULL };

	(void)state;
	policy_defaults(&p);
	assess_inputs(&p, &t, &h, &in);
	assert_int_equal(in.exploitation, SSVC_EXPLOIT_NONE);
	assert_int_equal(in.exposure, SSVC_EXPOSURE_OPEN);      /* unset: internet */
	assert_int_equal(in.impact, SSVC_IMPACT_MEDIUM);        /* unset: medium */
	assert_true(in.automatable && in.default_automatable);  /* no vector: assumed */
	assert_true(in.default_exposure && in.default_impact);

	t.has_epss = true;
	t.epss = 0.1;                                           /* at the threshold */
	t.automatable = 0;
	h.exposure = SSVC_EXPOSURE_SMALL;
	h.impact = SSVC_IMPACT_VERY_HIGH;
	assess_inputs(&p, &t, &h, &in);
	assert_int_equal(in.exploitation, SSVC_EXPLOIT_PUBLIC_POC);
	assert_false(in.automatable || in.default_automatable);
	assert_int_equal(in.exposure, SSVC_EXPOSURE_SMALL);
	assert_int_equal(in.impact, SSVC_IMPACT_VERY_HIGH);

	t.epss = 0.0999;
	assess_inputs(&p, &t, &h, &in);
	assert_int_equal(in.exploitation, SSVC_EXPLOIT_NONE);
	t.kev = true;                                           /* KEV beats EPSS */
	assess_inputs(&p, &t, &h, &in);
	assert_int_equal(in.exploitation, SSVC_EXPLOIT_ACTIVE);
}

static void test_deadlines(void **state)
{
	struct policy p;
	struct assess_threat t = { .automatable = -1 };
	struct assess_rank r, prev;
	int64_t seen = day("2026-11-01"), today = day("2026-11-20");

	(void)state;
	policy_defaults(&p);
	/* New: counts from first seen. */
	assess_deadline(&p, NULL, SSVC_SCHEDULED, seen, NULL, today, &t, &r);
	assert_int_equal(r.since, seen);
	assert_int_equal(r.due, day("2026-12-01"));
	/* Raised on 11-20 to out-of-cycle: 7 days from the raise. */
	prev = r;
	assess_deadline(&p, NULL, SSVC_OUT_OF_CYCLE, seen, &prev, today, &t, &r);
	assert_int_equal(r.due, day("2026-11-27"));
	assert_int_equal(r.due - r.since, 7);
	/* Raised when the old deadline is nearer: it is kept. */
	prev = (struct assess_rank){ SSVC_SCHEDULED, day("2026-11-22"), day("2026-10-23") };
	assess_deadline(&p, NULL, SSVC_OUT_OF_CYCLE, seen, &prev, today, &t, &r);
	assert_int_equal(r.due, day("2026-11-22"));
	assert_int_equal(r.since, day("2026-11-15"));
	/* Unchanged: the same deadline, also on later days. */
	prev = r;
	assess_deadline(&p, NULL, SSVC_OUT_OF_CYCLE, seen, &prev, today + 30, &t, &r);
	assert_int_equal(r.due, prev.due);
	/* Lowered: recomputed from the same day. */
	assess_deadline(&p, NULL, SSVC_DEFER, seen, &prev, today, &t, &r);
	assert_int_equal(r.since, prev.since);
	assert_int_equal(r.due, prev.since + 90);
	/* An earlier KEV date wins, unless the policy says no. */
	t.kev = true;
	t.kev_due = day("2022-07-18");
	assess_deadline(&p, NULL, SSVC_IMMEDIATE, seen, NULL, today, &t, &r);
	assert_int_equal(r.due, t.kev_due);
	assert_int_equal(r.since, seen);
	p.kev_due_wins = false;
	assess_deadline(&p, NULL, SSVC_IMMEDIATE, seen, NULL, today, &t, &r);
	assert_int_equal(r.due, seen + 2);
	/* A later KEV date never extends the policy's. */
	p.kev_due_wins = true;
	t.kev_due = day("2030-01-01");
	assess_deadline(&p, NULL, SSVC_IMMEDIATE, seen, NULL, today, &t, &r);
	assert_int_equal(r.due, seen + 2);
}

static void test_group_days(void **state)
{
	static const char conf[] = "[group \"web\"]\nimmediate = 1\n";
	struct policy p;
	struct assess_threat t = { .automatable = -1 };
	struct assess_rank r;
	struct err e;

	(void)state;
	policy_defaults(&p);
	assert_int_equal(policy_parse(conf, sizeof(conf) - 1, "t.conf", &p, &e), 0);
	assess_deadline(&p, "web", SSVC_IMMEDIATE, 100, NULL, 100, &t, &r);
	assert_int_equal(r.due, 101);
	assess_deadline(&p, "db", SSVC_IMMEDIATE, 100, NULL, 100, &t, &r);
	assert_int_equal(r.due, 102);
}

static void test_dates(void **state)
{
	char out[DATE_LEN + 1];
	int64_t d;

	(void)state;
	assert_true(date_parse("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(date_parse("2026-11-28T10:00:00Z", &d)); /* a timestamp's date */
	date_format(d + 3, out);
	assert_string_equal(out, "2026-12-01");
	date_format(day("2024-02-28") + 1, out);
	assert_string_equal(out, "2024-02-29");
	date_format(day("2023-12-31") + 60, out);
	assert_string_equal(out, "2024-02-29");
	assert_false(date_parse("2023-02-29", &d));
	assert_false(date_parse("2100-02-29", &d));
	assert_true(date_parse("2000-02-29", &d));
	assert_false(date_parse("2026-13-01", &d));
	assert_false(date_parse("2026-1-01", &d));
	assert_false(date_parse("2026-11", &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_group_days),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
