/*
 * libFuzzer target for the TZif parser (src/base/tz.c: tz_parse()) and the
 * conversions on whatever zone it accepts.
 *
 * Beyond the sanitizers' own checks: a failure leaves a message and the
 * output untouched; on a parsed zone every offset lies within
 * [TZ_OFFSET_MIN, TZ_OFFSET_MAX], also for instants out of range (where
 * a wall time converts without a gap or overlap); and
 * around each change of offset that a sweep from 1900 to 2200 finds (the
 * change located to the second), and at the sweep's samples, wall times
 * convert consistently: a unique or ambiguous time's instants show it (the
 * earlier before the later), a time reported skipped is shown by no
 * instant (its result does not show it), and the earlier and later
 * variants agree but for overlaps. Finally window_next() on the zone
 * always advances.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/tz.h"
#include "core/window.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t offset(const struct tz *z, int64_t t)
{
	int64_t off = tz_offset_at(z, t);

	if (off < TZ_OFFSET_MIN || off > TZ_OFFSET_MAX)
		abort();
	return off;
}

static void check_local(const struct tz *z, int64_t local)
{
	int64_t u1, u2;
	int rc1 = tz_local_to_utc(z, local, &u1), rc2 = tz_local_to_utc_later(z, local, &u2);

	if (rc1 != rc2)
		abort();
	switch (rc1) {
	case 0:
		if (u1 != u2 || u1 + offset(z, u1) != local)
			abort();
		break;
	case TZ_OVERLAP:
		if (u1 >= u2 || u1 + offset(z, u1) != local || u2 + offset(z, u2) != local)
			abort();
		break;
	case TZ_GAP:
		if (u1 != u2 || u1 + offset(z, u1) == local)
			abort();
		break;
	default:
		abort();
	}
}

/* The change of offset in (lo, hi], to the second, and the wall times around it. */
static void check_change(const struct tz *z, int64_t lo, int64_t hi)
{
	int64_t before = offset(z, lo), after;

	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (offset(z, mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	after = offset(z, hi);
	for (int64_t d = -2; d <= 2; d++) {
		check_local(z, hi + before + d);
		check_local(z, hi + after + d);
		check_local(z, hi + (before + after) / 2 + d);
	}
}

static void walk_windows(const struct tz *z)
{
	static struct window_set ws;
	static int parsed;
	int64_t from = 1774742400; /* 2026-03-29T00:00Z */
	struct err e;

	if (!parsed) {
		static const char spec[] = "daily 02:00-03:00, sun 01:30-02:30, sat 23:00-01:00";

		if (window_parse(spec, sizeof(spec) - 1, &ws, &e) != 0)
			abort();
		parsed = 1;
	}
	for (int i = 0; i < 8; i++) {
		struct window_occ o;

		/* Contrived zones may leave no occurrence: that is reported, not a hang. */
		if (window_next(&ws, z, from, &o) != 0)
			return;
		if (o.end <= from || o.start >= o.end)
			abort();
		from = o.end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t edges[] = { INT64_MIN, -TZ_RANGE - 1, -TZ_RANGE, 0,
					 TZ_RANGE, TZ_RANGE + 1, INT64_MAX };
	struct tz *z = (struct tz *)&z, *sentinel = z;
	struct err e = { "" };
	int64_t prev = 0, step = INT64_C(1) << 22; /* 48 days */
	int changes = 0;

	if (tz_parse(data, size, "Fuzz/Zone", &z, &e) != 0) {
		if (!e.msg[0] || z != sentinel)
			abort();
		return 0;
	}
	if (strcmp(tz_name(z), "Fuzz/Zone") != 0)
		abort();
	/* Out of range: clamped (and saturated), so only bounded and defined. */
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		int64_t u;

		offset(z, edges[i]);
		if (tz_local_to_utc(z, edges[i], &u) != 0 && edges[i] != -TZ_RANGE &&
		    edges[i] != 0 && edges[i] != TZ_RANGE)
			abort();
	}
	check_local(z, -TZ_RANGE);
	check_local(z, TZ_RANGE);
	/* 1900 to 2200. */
	for (int64_t t = -INT64_C(2208988800); t < INT64_C(7258118400); t += step) {
		int64_t off = offset(z, t);

		check_local(z, t + off);
		if (t > -INT64_C(2208988800) && off != prev && changes++ < 64)
			check_change(z, t - step, t);
		prev = off;
	}
	walk_windows(z);
	tz_free(z);
	return 0;
}
