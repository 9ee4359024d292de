/*
 * Weekly maintenance windows; see window.h for the syntax and the rules,
 * docs/WINDOWS.md for examples.
 *
 * A set is parsed once into plain data in canonical order, so that
 * window_next(), which a planner calls for every host again and again,
 * does only arithmetic and the zone lookups of base/tz.c: for each local
 * day from a little before from_utc on, each window starting that day is
 * converted to UTC, until no later day can start earlier than the best
 * occurrence found.
 */
#include "core/window.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"

#define DAY 86400
#define LOOKAHEAD_DAYS 16
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define FROM_MIN INT64_C(-62135596800)
#define FROM_MAX INT64_C(253402300799)

static const char day_names[7][4] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The day named s[0..3), case-insensitively; -1 when there is none. */
static int day_lookup(const char *s)
{
	for (int d = 0; d < 7; d++)
		if (lower(s[0]) == day_names[d][0] && lower(s[1]) == day_names[d][1] &&
		    lower(s[2]) == day_names[d][2])
			return d;
	return -1;
}

static int parse_days(const char *s, size_t n, struct window *w, const char *shown,
		      struct err *e)
{
	char days[SHOW_MAX];
	int a, b;

	if (n == 5 && lower(s[0]) == 'd' && lower(s[1]) == 'a' &&
	    lower(s[2]) == 'i' && lower(s[3]) == 'l' && lower(s[4]) == 'y') {
		w->daily = 1;
		w->first = 0;
		w->last = 6;
		w->days = 0x7f;
		return 0;
	}
	a = n == 3 || (n == 7 && s[3] == '-') ? day_lookup(s) : -1;
	b = n == 3 ? a : n == 7 && a >= 0 ? day_lookup(s + 4) : -1;
	if (a < 0 || b < 0)
		return err_set(e, ERR_INPUT,
			       "window '%s': unknown days '%s' (mon..sun, a range like mon-fri, "
			       "or daily)", shown, show_bytes(days, s, n));
	if (n == 7 && a == b)
		return err_set(e, ERR_INPUT,
			       "window '%s': range '%s' is one day or the whole week: write '%s' "
			       "or 'daily'", shown, show_bytes(days, s, n), day_names[a]);
	w->first = (uint8_t)a;
	w->last = (uint8_t)b;
	for (int d = a;; d = (d + 1) % 7) {
		w->days |= (uint8_t)(1u << d);
		if (d == b)
			break;
	}
	return 0;
}

/* "HH:MM" at s into minutes; hours 0-24, 24 only as 24:00. */
static int parse_time(const char *s, int *ret, const char *shown, struct err *e)
{
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');

	if (h > 24)
		return err_set(e, ERR_INPUT, "window '%s': hour %d is not 0-24", shown, h);
	if (m > 59)
		return err_set(e, ERR_INPUT, "window '%s': minute %d is not 0-59", shown, m);
	if (h == 24 && m != 0)
		return err_set(e, ERR_INPUT, "window '%s': 24:%02d is after midnight", shown, m);
	*ret = h * 60 + m;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The shape HH:MM-HH:MM, exactly. */
static bool times_shape(const char *s, size_t n)
{
	static const char shape[] = "99:99-99:99";

	if (n != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == '9' ? !is_digit(s[i]) : s[i] != shape[i])
			return false;
	return true;
}

/* One window, s[0..n): no blanks at either end, no ','. */
static int parse_one(const char *s, size_t n, struct window *w, struct err *e)
{
	char shown[SHOW_MAX], times[SHOW_MAX];
	size_t i = 0, t;
	int start, end, r;

	show_bytes(shown, s, n);
	memset(w, 0, sizeof(*w));
	while (i < n && !is_blank(s[i]))
		i++;
	if (i == n)
		return err_set(e, ERR_INPUT, "window '%s': expected 'DAYS HH:MM-HH:MM'", shown);
	r = parse_days(s, i, w, shown, e);
	if (r)
		return r;
	for (t = i; t < n && is_blank(s[t]); t++)
		;
	if (!times_shape(s + t, n - t))
		return err_set(e, ERR_INPUT, "window '%s': times '%s' are not HH:MM-HH:MM", shown,
			       show_bytes(times, s + t, n - t));
	r = parse_time(s + t, &start, shown, e);
	if (!r)
		r = parse_time(s + t + 6, &end, shown, e);
	if (r)
		return r;
	if (start == 1440)
		return err_set(e, ERR_INPUT, "window '%s': a window cannot start at 24:00", shown);
	if (end == start || (end == 0 && start == 0))
		return err_set(e, ERR_INPUT,
			       "window '%s': the end is the start (for a whole day write "
			       "00:00-24:00)", shown);
	if (end == 0)
		end = 1440;
	w->start = (uint16_t)start;
	w->end = (uint16_t)end;
	return 0;
}

/* The number of days after the first that a window starts on: 0..6. */
static int span(const struct window *w)
{
	return (w->last - w->first + 7) % 7;
}

/* The canonical order of window.h; 0 for the same window. */
static int window_cmp(const struct window *a, const struct window *b)
{
	if (a->first != b->first)
		return a->first - b->first;
	if (a->start != b->start)
		return a->start - b->start;
	if (a->end != b->end)
		return a->end - b->end;
	if (span(a) != span(b))
		return span(a) - span(b);
	return a->daily - b->daily;
}

int window_parse(const char *s, size_t len, struct window_set *ret_ws, struct err *e)
{
	struct window_set ws;
	size_t i = 0;

	memset(&ws, 0, sizeof(ws));
	while (i < len && is_blank(s[i]))
		i++;
	if (i == len)
		return err_set(e, ERR_INPUT, "no maintenance window given");
	for (;;) {
		const char *comma = memchr(s + i, ',', len - i);
		size_t j = comma ? (size_t)(comma - s) : len, end = j, k;
		struct window w;
		int r;

		while (end > i && is_blank(s[end - 1]))
			end--;
		if (end == i)
			return err_set(e, ERR_INPUT, "window %zu is empty", ws.n + 1);
		if (ws.n == WINDOW_MAX)
			return err_set(e, ERR_INPUT, "more than %d windows", WINDOW_MAX);
		r = parse_one(s + i, end - i, &w, e);
		if (r)
			return r;
		/* Insertion keeps the set sorted; the same window twice is a mistake. */
		for (k = ws.n; k > 0 && window_cmp(&ws.w[k - 1], &w) > 0; k--)
			;
		if (k > 0 && window_cmp(&ws.w[k - 1], &w) == 0) {
			char shown[SHOW_MAX];

			return err_set(e, ERR_INPUT, "window '%s' is given twice",
				       show_bytes(shown, s + i, end - i));
		}
		memmove(&ws.w[k + 1], &ws.w[k], (ws.n - k) * sizeof(ws.w[0]));
		ws.w[k] = w;
		ws.n++;
		if (j == len)
			break;
		for (i = j + 1; i < len && is_blank(s[i]); i++)
			;
		if (i == len)
			return err_set(e, ERR_INPUT, "window %zu is empty", ws.n + 1);
	}
	*ret_ws = ws;
	return 0;
}

void window_format(const struct window_set *ws, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < ws->n && i < WINDOW_MAX && o < len; i++) {
		const struct window *w = &ws->w[i];
		char days[8];
		int n;

		if (w->daily)
			snprintf(days, sizeof(days), "daily");
		else if (w->first == w->last)
			snprintf(days, sizeof(days), "%s", day_names[w->first % 7]);
		else
			snprintf(days, sizeof(days), "%s-%s", day_names[w->first % 7],
				 day_names[w->last % 7]);
		n = snprintf(buf + o, len - o, "%s%s %02d:%02d-%02d:%02d", i ? ", " : "", days,
			     w->start / 60, w->start % 60, w->end / 60, w->end % 60);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

int window_next(const struct window_set *ws, const struct tz *z, int64_t from_utc,
		struct window_occ *ret_occ)
{
	struct window_occ best = { 0, 0, 0 };
	bool found = false;
	int64_t day0;

	if (ws->n == 0 || ws->n > WINDOW_MAX || from_utc < FROM_MIN || from_utc > FROM_MAX)
		return ERR_INPUT;
	day0 = floor_div(from_utc + tz_offset_at(z, from_utc), DAY);
	/*
	 * An occurrence ending after from_utc starts at most 2 days (its own
	 * length) plus two offsets (< 52 h) before the local day of from_utc.
	 */
	for (int64_t d = day0 - 5; d <= day0 + LOOKAHEAD_DAYS; d++) {
		int64_t base = d * DAY;
		int wd = (int)(((d + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */

		/* A later day's start is at least base - TZ_OFFSET_MAX in UTC. */
		if (found && base - TZ_OFFSET_MAX > best.start)
			break;
		for (size_t k = 0; k < ws->n; k++) {
			const struct window *w = &ws->w[k];
			int64_t ls, le, us, ue;

			if (!(w->days & (1u << wd)))
				continue;
			ls = base + w->start * 60;
			le = base + (w->end > w->start ? w->end : w->end + 1440) * 60;
			if (le - TZ_OFFSET_MIN <= from_utc)
				continue; /* ends too early, whatever the offset */
			tz_local_to_utc(z, ls, &us);
			tz_local_to_utc_later(z, le, &ue);
			if (ue <= us || ue <= from_utc)
				continue;
			if (!found || us < best.start || (us == best.start && ue > best.end) ||
			    (us == best.start && ue == best.end && k < best.window)) {
				best = (struct window_occ){ us, ue, k };
				found = true;
			}
		}
	}
	if (!found)
		return ERR_INPUT;
	*ret_occ = best;
	return 0;
}
