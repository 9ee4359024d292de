/*
 * Time zones (src/base/tz.c) against the C library as the oracle: for
 * real zones, every ~3 days from 1970 to 2100 (past 2037 most zones run
 * on their footer rule), tz_offset_at() must equal localtime_r()'s
 * tm_gmtoff, every change of offset the samples reveal is found to the
 * second by bisection and checked on both sides, and every wall time maps
 * back. Then the documented gap and overlap cases on known dates, footer
 * rules the oracle cannot check (RFC 8536 version 3 extensions), version 1
 * files, strict parsing, names, and loading.
 *
 * setenv("TZ") + tzset() is what tz.c avoids; here it is only the oracle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "base/tz.h"
#include "testutil.h"

#define ZONEINFO "/usr/share/zoneinfo"

/* An instant from "2026-03-29T01:00:00Z". */
static int64_t utc(const char *s)
{
	struct instant t;

	assert_true(rfc3339_parse(s, &t));
	return t.sec;
}

/* A wall time "2026-03-29T02:30:00" as local seconds. */
static int64_t wall(const char *s)
{
	char z[32];

	snprintf(z, sizeof(z), "%sZ", s);
	return utc(z);
}

static void oracle_zone(const char *name)
{
	char tzvar[96];

	snprintf(tzvar, sizeof(tzvar), ":%s", name);
	assert_int_equal(setenv("TZ", tzvar, 1), 0);
	tzset();
}

static int64_t oracle_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	assert_non_null(localtime_r(&tt, &tm));
	return tm.tm_gmtoff;
}

/* A zone of the system; the test is skipped when there is none. */
static struct tz *load(const char *name)
{
	struct tz *z = NULL;
	struct err e = { "" };

	if (strcmp(name, "UTC") != 0 && access(ZONEINFO, R_OK) != 0) {
		fprintf(stderr, "SKIP: no %s\n", ZONEINFO);
		skip();
	}
	if (tz_load(name, &z, &e) != 0)
		fail_msg("tz_load(%s): %s", name, e.msg);
	return z;
}

/* A wall time that exists: it maps back to u, or in an overlap brackets it. */
static void check_wall(const struct tz *z, int64_t u, int64_t off)
{
	int64_t l = u + off, r1, r2;
	int rc1 = tz_local_to_utc(z, l, &r1), rc2 = tz_local_to_utc_later(z, l, &r2);

	assert_int_equal(rc1, rc2);
	if (rc1 == 0) {
		assert_int_equal(r1, u);
		assert_int_equal(r2, u);
	} else {
		assert_int_equal(rc1, TZ_OVERLAP);
		assert_true(r1 <= u && u <= r2 && r1 < r2);
		assert_int_equal(r1 + oracle_offset(r1), l);
		assert_int_equal(r2 + oracle_offset(r2), l);
	}
}

/* The change of offset in (lo, hi] to the second, and the wall times around it. */
static int check_change(const struct tz *z, int64_t lo, int64_t hi)
{
	int64_t before = oracle_offset(lo), after, l, r, r2;

	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (oracle_offset(mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	after = oracle_offset(hi);
	assert_int_equal(tz_offset_at(z, hi - 1), before);
	assert_int_equal(tz_offset_at(z, hi), after);
	if (after > before) { /* a gap: the middle of it moves forward by the jump */
		l = hi + before + (after - before) / 2;
		assert_int_equal(tz_local_to_utc(z, l, &r), TZ_GAP);
		assert_int_equal(r, l - before);
		assert_int_equal(tz_local_to_utc(z, hi + before, &r), TZ_GAP);
		assert_int_equal(r, hi); /* the start of the gap: the jump itself */
		assert_int_equal(tz_local_to_utc(z, hi + after, &r), 0);
		assert_int_equal(r, hi);
	} else { /* an overlap */
		l = hi + after + (before - after) / 2;
		assert_int_equal(tz_local_to_utc(z, l, &r), TZ_OVERLAP);
		assert_int_equal(tz_local_to_utc_later(z, l, &r2), TZ_OVERLAP);
		assert_int_equal(r, l - before);
		assert_int_equal(r2, l - after);
	}
	return 1;
}

/* Returns the number of changes of offset seen. */
static int sweep(const char *name, int64_t step)
{
	struct tz *z = load(name);
	int64_t t, prev = 0, end = utc("2100-01-01T00:00:00Z");
	int changes = 0;

	oracle_zone(name);
	for (t = 0; t < end; t += step) {
		int64_t off = oracle_offset(t);

		if (tz_offset_at(z, t) != off)
			fail_msg("%s at %lld: offset %lld, the C library says %lld", name,
				 (long long)t, (long long)tz_offset_at(z, t), (long long)off);
		check_wall(z, t, off);
		if (t > 0 && off != prev)
			changes += check_change(z, t - step, t);
		prev = off;
	}
	tz_free(z);
	return changes;
}

/* Three days and a bit: every weekday and every hour of the day in turn. */
#define STEP (3 * 86400 + 3607)

static void test_oracle(void **state)
{
	static const char *const more[] = {
		"America/Nuuk",       /* footer times of -1 hour (version 3) */
		"Europe/Dublin",      /* "negative DST": winter is the DST of the footer */
		"Africa/Casablanca",  /* transitions listed up to 2087 */
		"Antarctica/Troll",   /* DST of 2 hours */
		"Pacific/Chatham",    /* +12:45, changes at 02:45 */
		"America/St_Johns",   /* -03:30 */
		"America/Santiago",   /* changes at 24:00 */
		"Asia/Gaza",          /* changes at 50:00 (version 3) */
		"Asia/Tehran",        /* DST abolished in 2022 */
		"Pacific/Kiritimati", /* +14, skipped 1994-12-31 */
	};

	(void)state;
	/* The zones of the brief, with the changes they must show. */
	assert_true(sweep("Europe/Berlin", STEP) >= 2 * (2100 - 1980));
	assert_true(sweep("America/New_York", STEP) >= 2 * (2100 - 1970));
	assert_true(sweep("Australia/Lord_Howe", STEP) >= 2 * (2100 - 1982));
	assert_int_equal(sweep("Asia/Kolkata", STEP), 0);
	assert_true(sweep("America/Sao_Paulo", STEP) >= 2 * (2019 - 1985));
	assert_true(sweep("Pacific/Apia", STEP) >= 2 * (2021 - 2010) + 1);
	assert_int_equal(sweep("UTC", STEP), 0);
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		sweep(more[i], STEP);
}

static void test_berlin(void **state)
{
	struct tz *z = load("Europe/Berlin");
	int64_t r;

	(void)state;
	/* 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00Z. */
	assert_int_equal(tz_offset_at(z, utc("2026-03-29T00:59:59Z")), 3600);
	assert_int_equal(tz_offset_at(z, utc("2026-03-29T01:00:00Z")), 7200);
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-29T01:59:59"), &r), 0);
	assert_int_equal(r, utc("2026-03-29T00:59:59Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-29T02:00:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2026-03-29T01:00:00Z")); /* 03:00 CEST */
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-29T02:30:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2026-03-29T01:30:00Z")); /* 03:30 CEST */
	assert_int_equal(tz_local_to_utc_later(z, wall("2026-03-29T02:30:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2026-03-29T01:30:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-29T03:00:00"), &r), 0);
	assert_int_equal(r, utc("2026-03-29T01:00:00Z"));
	/* 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00Z; 02:00-02:59:59 twice. */
	assert_int_equal(tz_offset_at(z, utc("2026-10-25T00:59:59Z")), 7200);
	assert_int_equal(tz_offset_at(z, utc("2026-10-25T01:00:00Z")), 3600);
	assert_int_equal(tz_local_to_utc(z, wall("2026-10-25T01:59:59"), &r), 0);
	assert_int_equal(r, utc("2026-10-24T23:59:59Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-10-25T02:00:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-10-25T00:00:00Z"));
	assert_int_equal(tz_local_to_utc_later(z, wall("2026-10-25T02:00:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-10-25T01:00:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-10-25T02:30:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-10-25T00:30:00Z"));
	assert_int_equal(tz_local_to_utc_later(z, wall("2026-10-25T02:59:59"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-10-25T01:59:59Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-10-25T03:00:00"), &r), 0);
	assert_int_equal(r, utc("2026-10-25T02:00:00Z"));
	/* Far past the transitions in the file: the footer's rule. */
	assert_int_equal(tz_local_to_utc(z, wall("2090-03-26T02:30:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2090-03-26T01:30:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2090-10-29T02:30:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2090-10-29T00:30:00Z"));
	assert_string_equal(tz_name(z), "Europe/Berlin");
	tz_free(z);
}

static void test_new_york(void **state)
{
	struct tz *z = load("America/New_York");
	int64_t r;

	(void)state;
	/* 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00Z. */
	assert_int_equal(tz_offset_at(z, utc("2026-03-08T06:59:59Z")), -5 * 3600);
	assert_int_equal(tz_offset_at(z, utc("2026-03-08T07:00:00Z")), -4 * 3600);
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-08T02:30:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2026-03-08T07:30:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-08T03:00:00"), &r), 0);
	assert_int_equal(r, utc("2026-03-08T07:00:00Z"));
	/* 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00Z; 01:00-01:59:59 twice. */
	assert_int_equal(tz_local_to_utc(z, wall("2026-11-01T01:30:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-11-01T05:30:00Z"));
	assert_int_equal(tz_local_to_utc_later(z, wall("2026-11-01T01:30:00"), &r), TZ_OVERLAP);
	assert_int_equal(r, utc("2026-11-01T06:30:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-11-01T02:00:00"), &r), 0);
	assert_int_equal(r, utc("2026-11-01T07:00:00Z"));
	assert_int_equal(tz_local_to_utc(z, wall("2026-11-01T00:59:59"), &r), 0);
	assert_int_equal(r, utc("2026-11-01T04:59:59Z"));
	tz_free(z);
}

static void test_apia(void **state)
{
	struct tz *z = load("Pacific/Apia");
	int64_t r;

	(void)state;
	/* 2011-12-29T24:00 -10 became 2011-12-31T00:00 +14: the 30th never was. */
	assert_int_equal(tz_offset_at(z, utc("2011-12-30T09:59:59Z")), -10 * 3600);
	assert_int_equal(tz_offset_at(z, utc("2011-12-30T10:00:00Z")), 14 * 3600);
	assert_int_equal(tz_local_to_utc(z, wall("2011-12-30T12:00:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2011-12-30T22:00:00Z")); /* 2011-12-31 12:00 */
	assert_int_equal(tz_local_to_utc(z, wall("2011-12-31T12:00:00"), &r), 0);
	assert_int_equal(r, utc("2011-12-30T22:00:00Z"));
	tz_free(z);
}

/* ---- hand-built files ---- */

struct blob {
	unsigned char d[8192];
	size_t n;
};

static void put(struct blob *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	if (n)
		memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void put32(struct blob *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	put(b, x, 4);
}

static void put64(struct blob *b, int64_t v)
{
	put32(b, (uint32_t)((uint64_t)v >> 32));
	put32(b, (uint32_t)v);
}

static void header(struct blob *b, char version, uint32_t time, uint32_t type, uint32_t chars)
{
	static const unsigned char zero[15];

	put(b, "TZif", 4);
	put(b, &version, 1);
	put(b, zero, 15);
	put32(b, 0);    /* isutcnt */
	put32(b, 0);    /* isstdcnt */
	put32(b, 0);    /* leapcnt */
	put32(b, time);
	put32(b, type);
	put32(b, chars);
}

struct zone_spec {
	char version;               /* 0, '2', '3', '4' */
	size_t ntimes;
	const int64_t *times;
	const unsigned char *idx;
	size_t ntypes;
	const int32_t *offs;        /* each type's offset; designation "ZZZ" */
	const char *footer;         /* without the newlines */
};

static void data_block(struct blob *b, const struct zone_spec *s, unsigned tsize)
{
	header(b, s->version, (uint32_t)s->ntimes, (uint32_t)s->ntypes, 4);
	for (size_t i = 0; i < s->ntimes; i++)
		if (tsize == 8)
			put64(b, s->times[i]);
		else
			put32(b, (uint32_t)s->times[i]);
	put(b, s->idx, s->ntimes);
	for (size_t i = 0; i < s->ntypes; i++) {
		unsigned char isdst_desig[2] = { 0, 0 };

		put32(b, (uint32_t)s->offs[i]);
		put(b, isdst_desig, 2);
	}
	put(b, "ZZZ", 4);
}

static void build(struct blob *b, const struct zone_spec *s)
{
	b->n = 0;
	if (s->version == 0) {
		data_block(b, s, 4);
		return;
	}
	/* A minimal version 1 block, as zic -b slim writes it. */
	header(b, s->version, 0, 1, 1);
	put(b, "\0\0\0\0\0\0\0", 7);
	data_block(b, s, 8);
	put(b, "\n", 1);
	put(b, s->footer, strlen(s->footer));
	put(b, "\n", 1);
}

static struct tz *parse_ok(const struct blob *b)
{
	struct tz *z = NULL;
	struct err e = { "" };

	if (tz_parse(b->d, b->n, "Test/Zone", &z, &e) != 0)
		fail_msg("tz_parse: %s", e.msg);
	return z;
}

static void expect_bad(const struct blob *b, const char *msg)
{
	struct tz *z = (struct tz *)&z; /* untouched on failure */
	struct tz *sentinel = z;
	struct err e = { "" };
	unsigned char *copy = (unsigned char *)exact_copy((const char *)b->d, b->n);

	assert_int_equal(tz_parse(copy, b->n, "Test/Zone", &z, &e), ERR_INPUT);
	assert_ptr_equal(z, sentinel);
	if (!strstr(e.msg, msg))
		fail_msg("expected '%s' in '%s'", msg, e.msg);
	assert_non_null(strstr(e.msg, "time zone 'Test/Zone': "));
	free(copy);
}

/* A footer-only zone compared with the C library reading the same rule. */
static void footer_vs_oracle(const char *rule)
{
	static const int32_t off0[] = { 0 };
	struct zone_spec s = { '2', 0, NULL, NULL, 1, off0, rule };
	struct blob b;
	struct tz *z;
	int n = 0;

	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(setenv("TZ", rule, 1), 0);
	tzset();
	for (int64_t t = 0, prev = 0; t < utc("2100-01-01T00:00:00Z"); t += STEP) {
		int64_t off = oracle_offset(t);

		if (tz_offset_at(z, t) != off)
			fail_msg("'%s' at %lld: %lld, the C library says %lld", rule, (long long)t,
				 (long long)tz_offset_at(z, t), (long long)off);
		check_wall(z, t, off);
		if (t > 0 && off != prev)
			n += check_change(z, t - STEP, t);
		prev = off;
	}
	assert_true(n >= 2 * 129);
	tz_free(z);
}

static void test_footer_rules(void **state)
{
	(void)state;
	footer_vs_oracle("CET-1CEST,M3.5.0,M10.5.0/3");
	footer_vs_oracle("EST5EDT,M3.2.0,M11.1.0");
	footer_vs_oracle("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");  /* southern, 30 min */
	footer_vs_oracle("AAA3BBB,J60/1:30,J300/0:00:15");         /* Jn: never Feb 29 */
	footer_vs_oracle("AAA-2BBB-3,59/3,299/4");                 /* n: counts Feb 29 */
	footer_vs_oracle("IST-1GMT0,M10.5.0,M3.5.0/1");            /* negative DST */
	footer_vs_oracle("<-04>4<-03>,M9.1.6/24,M4.1.6/24");       /* at 24:00 */
}

/* Footers checked by hand: RFC 8536 3.3.1's version 3 extensions, and
 * rules across the end of a year. */
static void test_footer_v3(void **state)
{
	static const int32_t off0[] = { 0 };
	struct zone_spec s = { '3', 0, NULL, NULL, 1, off0, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0" };
	struct blob b;
	struct tz *z;
	int64_t r;

	(void)state;
	/* Nuuk: DST from Saturday 23:00 -02 before the last Sunday of March to
	 * the last Sunday of October 00:00 -01. */
	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(tz_offset_at(z, utc("2026-03-29T00:59:59Z")), -7200);
	assert_int_equal(tz_offset_at(z, utc("2026-03-29T01:00:00Z")), -3600);
	assert_int_equal(tz_offset_at(z, utc("2026-10-25T00:59:59Z")), -3600);
	assert_int_equal(tz_offset_at(z, utc("2026-10-25T01:00:00Z")), -7200);
	assert_int_equal(tz_local_to_utc(z, wall("2026-03-28T23:30:00"), &r), TZ_GAP);
	assert_int_equal(r, utc("2026-03-29T01:30:00Z"));
	tz_free(z);

	/* DST all year: starts Jan 1 00:00, ends Dec 31 24:00 + 1 hour. */
	s.footer = "EST5EDT,0/0,J365/25";
	build(&b, &s);
	z = parse_ok(&b);
	for (int64_t t = utc("2020-12-30T00:00:00Z"); t < utc("2027-01-03T00:00:00Z"); t += 1800)
		assert_int_equal(tz_offset_at(z, t), -4 * 3600);
	assert_int_equal(tz_local_to_utc(z, wall("2026-01-01T00:00:00"), &r), 0);
	assert_int_equal(r, utc("2026-01-01T04:00:00Z"));
	tz_free(z);

	/* Gaza's 50 hours: the Thursday rule's change lands on Saturday 02:00. */
	s.footer = "EET-2EEST,M3.4.4/50,M10.4.4/50";
	build(&b, &s);
	z = parse_ok(&b);
	/* 4th Thursday of March 2026 is the 26th: +50 h is the 28th 02:00 EET. */
	assert_int_equal(tz_offset_at(z, utc("2026-03-27T23:59:59Z")), 7200);
	assert_int_equal(tz_offset_at(z, utc("2026-03-28T00:00:00Z")), 10800);
	tz_free(z);

	/* Offsets of a day, and a change at the end of a year that happens in
	 * the next one in UTC: DST ends 1977-12-31 (the last Saturday) 02:00
	 * -23, at 1978-01-01T01:00Z. (The C library, which takes the rules of
	 * the year in UTC, gets this one wrong.) */
	s.footer = "XXX+24YYY,M1.1.0,M12.5.6";
	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(tz_offset_at(z, utc("1978-01-01T00:59:59Z")), -23 * 3600);
	assert_int_equal(tz_offset_at(z, utc("1978-01-01T01:00:00Z")), -24 * 3600);
	/* DST starts on the first Sunday, 1978-01-01, 02:00 -24 = 01-02T02:00Z. */
	assert_int_equal(tz_offset_at(z, utc("1978-01-02T01:59:59Z")), -24 * 3600);
	assert_int_equal(tz_offset_at(z, utc("1978-01-02T02:00:00Z")), -23 * 3600);
	tz_free(z);

	/* Version 2 keeps POSIX's limits. */
	s.version = '2';
	s.footer = "<-02>2<-01>,M3.5.0/-1,M10.5.0/0";
	build(&b, &s);
	expect_bad(&b, "bad rule");
	s.footer = "EET-2EEST,M3.4.4/50,M10.4.4/50";
	build(&b, &s);
	expect_bad(&b, "bad rule");
}

static void test_transitions_then_footer(void **state)
{
	/* LMT, then CET with one summer, then the footer from 2000 on. */
	static const int64_t times[] = { -2000000000, 954032400 /* 2000-03-26T01:00Z */ };
	static const unsigned char idx[] = { 1, 2 };
	static const int32_t offs[] = { 3208, 3600, 7200 };
	struct zone_spec s = { '2', 2, times, idx, 3, offs, "CET-1CEST,M3.5.0,M10.5.0/3" };
	struct blob b;
	struct tz *z;

	(void)state;
	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(tz_offset_at(z, -2000000001), 3208);        /* type 0 before */
	assert_int_equal(tz_offset_at(z, 0), 3600);
	assert_int_equal(tz_offset_at(z, 954032399), 3600);
	assert_int_equal(tz_offset_at(z, 954032400), 7200);
	assert_int_equal(tz_offset_at(z, utc("2000-10-29T00:59:59Z")), 7200); /* footer */
	assert_int_equal(tz_offset_at(z, utc("2000-10-29T01:00:00Z")), 3600);
	assert_int_equal(tz_offset_at(z, utc("2300-07-01T00:00:00Z")), 7200);
	/* Out of range: clamped, no overflow. */
	assert_int_equal(tz_offset_at(z, INT64_MIN), 3208);
	tz_offset_at(z, INT64_MAX);
	{
		int64_t r;

		tz_local_to_utc(z, INT64_MIN, &r);
		assert_int_equal(r, INT64_MIN);
		tz_local_to_utc(z, INT64_MAX, &r);
	}
	tz_free(z);

	/* An empty footer: the last type goes on. */
	s.footer = "";
	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(tz_offset_at(z, utc("2300-01-01T00:00:00Z")), 7200);
	tz_free(z);

	/* Version 1: 32-bit times, no footer. */
	s.version = 0;
	build(&b, &s);
	z = parse_ok(&b);
	assert_int_equal(tz_offset_at(z, 0), 3600);
	assert_int_equal(tz_offset_at(z, utc("2030-01-01T00:00:00Z")), 7200);
	tz_free(z);
}

static void test_parse_errors(void **state)
{
	static const int64_t times[] = { 0, 100 };
	static const unsigned char idx[] = { 1, 0 };
	static const int32_t offs[] = { 0, 3600 };
	struct zone_spec s = { '2', 2, times, idx, 2, offs, "CET-1CEST,M3.5.0,M10.5.0/3" };
	struct blob b, good;
	size_t v2;

	(void)state;
	build(&good, &s);
	v2 = 44 + 7; /* the second header */
	/* Every truncation fails cleanly. */
	for (size_t n = 0; n < good.n; n++) {
		struct tz *z = NULL;
		struct err e = { "" };
		unsigned char *copy = (unsigned char *)exact_copy((const char *)good.d, n);

		assert_int_equal(tz_parse(copy, n, "T", &z, &e), ERR_INPUT);
		assert_null(z);
		assert_true(e.msg[0] != '\0');
		free(copy);
	}
	b = good;
	b.d[0] = 'X';
	expect_bad(&b, "not a TZif file");
	b = good;
	b.d[4] = '5';
	expect_bad(&b, "unsupported TZif version byte 0x35");
	b = good;
	b.d[v2 + 4] = '3';
	expect_bad(&b, "headers disagree");
	b = good;
	b.d[v2 + 31] = 1; /* leapcnt */
	expect_bad(&b, "leap-second");
	b = good;
	b.d[b.n++] = 'x';
	expect_bad(&b, "1 bytes after the end of the data");
	b = good;
	b.d[b.n - 1] = 'x';
	expect_bad(&b, "unterminated footer");
	b = good;
	b.d[v2 + 44 + 7] = 100; /* the first time becomes the second's */
	expect_bad(&b, "transition 1 is not after transition 0");
	b = good;
	b.d[v2 + 44 + 16] = 2; /* an index */
	expect_bad(&b, "transition 0: type 2 does not exist");
	b = good;
	b.d[v2 + 44 + 18 + 4] = 2; /* type 0's DST flag */
	expect_bad(&b, "type 0: DST flag 2");
	b = good;
	b.d[v2 + 44 + 18 + 5] = 4; /* designation index past the table */
	expect_bad(&b, "type 0: designation 4");
	b = good;
	b.d[v2 + 44 + 18 + 12 + 3] = '\1'; /* no NUL in the table */
	expect_bad(&b, "type 0: designation 0 is not a string");
	b = good;
	b.d[v2 + 44 + 18] = 0x80; /* offset -2^31 */
	expect_bad(&b, "type 0: UTC offset -2147483648 is out of range");

	{
		static const int32_t far[] = { 0, 93600 };

		s.offs = far;
		build(&b, &s);
		expect_bad(&b, "type 1: UTC offset 93600 is out of range");
		s.offs = offs;
	}
	s.ntypes = 0;
	s.ntimes = 0;
	build(&b, &s);
	expect_bad(&b, "no local time types");
	s.ntypes = 2;
	s.ntimes = 2;

	static const struct {
		const char *footer, *msg;
	} footers[] = {
		{ "CE-1", "bad standard time abbreviation" },
		{ "<CE>-1", "bad standard time abbreviation" },
		{ ":Europe/Berlin", "bad standard time abbreviation" },
		{ "CET", "bad standard time offset" },
		{ "CET-25", "bad standard time offset" },
		{ "CET-1:60", "bad standard time offset" },
		{ "CET-1:5", "bad standard time offset" },
		{ "CET-1C", "bad daylight saving time abbreviation" },
		{ "CET-1CEST", "daylight saving time without rules" },
		{ "CET-1CEST-", "bad daylight saving time offset" },
		{ "CET-1CEST,M3.5.0", "bad rule" },
		{ "CET-1CEST,M13.5.0,M10.5.0", "bad rule" },
		{ "CET-1CEST,M3.6.0,M10.5.0", "bad rule" },
		{ "CET-1CEST,M3.5.7,M10.5.0", "bad rule" },
		{ "CET-1CEST,J0,J365", "bad rule" },
		{ "CET-1CEST,J1,366", "bad rule" },
		{ "CET-1CEST,M3.5.0/25,M10.5.0", "bad rule" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3 ", "unexpected text after the rules" },
		{ "CET-1\x1b[31m", "footer 'CET-1\\x1b[31m'" },
	};
	for (size_t i = 0; i < sizeof(footers) / sizeof(footers[0]); i++) {
		s.footer = footers[i].footer;
		build(&b, &s);
		expect_bad(&b, footers[i].msg);
	}
}

/* ---- names and loading ---- */

static void expect_load(const char *name, int code, const char *msg)
{
	struct tz *z = NULL;
	struct err e = { "" };

	assert_int_equal(tz_load(name, &z, &e), code);
	assert_null(z);
	if (!strstr(e.msg, msg))
		fail_msg("tz_load('%s'): expected '%s' in '%s'", name, msg, e.msg);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/hfx-tz-XXXXXX", path[256];
	static char big[TZ_FILE_MAX + 1];
	struct tz *z = NULL;
	struct err e = { "" };

	(void)state;
	assert_int_equal(unsetenv("HFX_ZONEINFO"), 0);
	expect_load("", ERR_INPUT, "empty time zone name");
	expect_load("../etc/passwd", ERR_INPUT, "only A-Z a-z 0-9 / _ + - are allowed");
	expect_load("Europe/../../etc/passwd", ERR_INPUT, "only A-Z a-z 0-9");
	expect_load("/etc/passwd", ERR_INPUT, "is not a relative path");
	expect_load("Europe//Berlin", ERR_INPUT, "is not a relative path");
	expect_load("Europe/", ERR_INPUT, "is not a relative path");
	expect_load("Europe/Berlin\x1b[2J", ERR_INPUT, "'Europe/Berlin\\x1b[2J'");
	expect_load("Europe/Berlin ", ERR_INPUT, "only A-Z");
	memset(path, 'A', 65);
	path[65] = '\0';
	expect_load(path, ERR_INPUT, "is longer than 64 bytes");
	if (access(ZONEINFO "/Europe/Berlin", R_OK) == 0) {
		expect_load("Mars/Olympus_Mons", ERR_INPUT, "unknown time zone 'Mars/Olympus_Mons'");
		expect_load("Europe", ERR_INPUT, "unknown time zone 'Europe'");
		expect_load("Europe/Berlin/x", ERR_INPUT, "unknown time zone");
		path[64] = '\0'; /* 64 bytes are allowed */
		expect_load(path, ERR_INPUT, "unknown time zone 'AAAA");
		/* '+' is allowed: "Etc/GMT+5" is five hours WEST. */
		z = load("Etc/GMT+5");
		assert_int_equal(tz_offset_at(z, 0), -5 * 3600);
		tz_free(z);
	}

	/* Another tree: only read from; UTC without its file. */
	assert_non_null(mkdtemp(dir));
	assert_int_equal(setenv("HFX_ZONEINFO", dir, 1), 0);
	z = load("UTC");
	assert_int_equal(tz_offset_at(z, 1234567890), 0);
	assert_int_equal(tz_local_to_utc(z, 1234567890, &(int64_t){ 0 }), 0);
	assert_string_equal(tz_name(z), "UTC");
	tz_free(z);
	expect_load("Europe/Berlin", ERR_INPUT, "unknown time zone 'Europe/Berlin'");
	snprintf(path, sizeof(path), "%s/Bad", dir);
	write_file(path, "# not a zone\n", 13);
	expect_load("Bad", ERR_INPUT, "time zone 'Bad': not a TZif file");
	snprintf(path, sizeof(path), "%s/Big", dir);
	memcpy(big, "TZif2", 5);
	write_file(path, big, sizeof(big));
	expect_load("Big", ERR_INPUT, "time zone 'Big': file larger than 1048576 bytes");
	unlink(path);
	snprintf(path, sizeof(path), "%s/Fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_load("Fifo", ERR_INPUT, "is not a regular file");
	unlink(path);
	if (access(ZONEINFO "/Asia/Kolkata", R_OK) == 0) {
		struct buf b;

		buf_init(&b, TZ_FILE_MAX);
		assert_int_equal(buf_read_file(&b, ZONEINFO "/Asia/Kolkata", &e), 0);
		snprintf(path, sizeof(path), "%s/UTC", dir); /* a UTC file wins over the built-in */
		write_file(path, b.data, b.len);
		buf_release(&b);
		z = load("UTC");
		assert_int_equal(tz_offset_at(z, utc("2026-01-01T00:00:00Z")), 19800);
		tz_free(z);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/Bad", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(unsetenv("HFX_ZONEINFO"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle),
		cmocka_unit_test(test_berlin),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_apia),
		cmocka_unit_test(test_footer_rules),
		cmocka_unit_test(test_footer_v3),
		cmocka_unit_test(test_transitions_then_footer),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
