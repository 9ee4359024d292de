/*
 * IANA time zones from TZif files; see tz.h.
 *
 * A zone is kept as the list of instants at which its UTC offset changes
 * (the file's transitions, with the ones that change only the abbreviation
 * or the DST flag dropped), the offset before the first of them, and the
 * footer's POSIX TZ rule, which takes over at the file's last transition.
 * Nothing here needs the abbreviations or the DST flag, so neither is
 * kept, though both are validated.
 *
 * Every question about local time reduces to one walk: the changes of
 * offset within a bounded span of instants (struct changes). A wall time
 * L can only be shown at an instant u = L - offset with the offset inside
 * [TZ_OFFSET_MIN, TZ_OFFSET_MAX], so the span around L holding every
 * candidate is 52 hours wide and usually holds no change at all.
 * The walk takes the footer's changes from tz_offset_at() itself, so
 * the two cannot disagree, however odd the footer.
 */
#include "base/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/show.h"
#include "base/timefmt.h"

#define DAY 86400
#define HDR_LEN 44

/* A date of a POSIX TZ rule, with the local time of the change. */
struct tz_rule {
	char kind;           /* 'J' (Jn: 1..365, no Feb 29), 'n' (0..365), 'M' */
	int day;             /* for 'J' and 'n' */
	int mon, week, wday; /* for 'M': month 1..12, week 1..5 (5 = last), Sunday = 0 */
	int32_t time;        /* seconds from local midnight, -167 to 167 hours */
};

/* The footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3"; offsets east positive. */
struct tz_footer {
	bool dst;            /* has daylight saving time and its rules */
	int32_t std_off, dst_off;
	struct tz_rule start, end;
};

struct tz_change {
	int64_t at;          /* the first instant of the new offset */
	int32_t before, after;
};

struct tz_trans {
	int64_t at;
	int32_t off;         /* from at on */
};

struct tz {
	char *name;          /* in the same allocation, after tr[] */
	int32_t off0;        /* before the first transition */
	bool has_footer;
	int64_t footer_from; /* the footer rules from here on (with has_footer) */
	struct tz_footer ft;
	size_t n;
	struct tz_trans tr[];
};

/* ---- calendar arithmetic (days_from_civil and friends: base/timefmt.h) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static int64_t year_of_day(int64_t z)
{
	int64_t y;
	int m, d;

	civil_from_days(z, &y, &m, &d);
	return y;
}

static bool is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int month_days(int64_t y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return md[m - 1] + (m == 2 && is_leap(y));
}

/* The day number of a rule's date in year y. */
static int64_t rule_day(const struct tz_rule *r, int64_t y)
{
	int64_t jan1 = days_from_civil(y, 1, 1), first, d;
	int wd;

	if (r->kind == 'J')
		return jan1 + r->day - 1 + (is_leap(y) && r->day >= 60);
	if (r->kind == 'n')
		return jan1 + r->day;
	first = days_from_civil(y, r->mon, 1);
	wd = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	d = first + (r->wday - wd + 7) % 7 + 7 * (r->week - 1);
	if (d >= first + month_days(y, r->mon))
		d -= 7; /* week 5: the last such day of the month */
	return d;
}

/* ---- the footer's offsets ---- */

struct tz_event {
	int64_t at;
	int32_t off;
};

/* The footer's two changes of year y: DST starts, DST ends. */
static void year_events(const struct tz_footer *ft, int64_t y, struct tz_event ev[2])
{
	ev[0].at = rule_day(&ft->start, y) * DAY + ft->start.time - ft->std_off;
	ev[0].off = ft->dst_off;
	ev[1].at = rule_day(&ft->end, y) * DAY + ft->end.time - ft->dst_off;
	ev[1].off = ft->std_off;
}

/*
 * The footer's changes of years y0..y0+2 in order of time (ties in order
 * of year, then start before end), so that "DST all year" (0/0,J365/25:
 * a year's end at the instant of the next year's start) stays DST.
 */
static void footer_events(const struct tz_footer *ft, int64_t y0, struct tz_event ev[6])
{
	for (int i = 0; i < 3; i++)
		year_events(ft, y0 + i, ev + 2 * i);
	for (int i = 1; i < 6; i++) {
		struct tz_event t = ev[i];
		int j = i;

		for (; j > 0 && ev[j - 1].at > t.at; j--)
			ev[j] = ev[j - 1];
		ev[j] = t;
	}
}

static int64_t footer_year(const struct tz_footer *ft, int64_t utc)
{
	return year_of_day(floor_div(utc + ft->std_off, DAY));
}

static int32_t footer_offset(const struct tz_footer *ft, int64_t utc)
{
	struct tz_event ev[6];
	int32_t off;

	if (!ft->dst)
		return ft->std_off;
	/* The year before and after too: a change at "J365/25" falls in the next year. */
	footer_events(ft, footer_year(ft, utc) - 1, ev);
	/* Before every event (only with contrived rules): the state they leave. */
	off = ev[0].off == ft->dst_off ? ft->std_off : ft->dst_off;
	for (int i = 0; i < 6 && ev[i].at <= utc; i++)
		off = ev[i].off;
	return off;
}

/* ---- lookups ---- */

static int64_t clamp(int64_t t)
{
	return t < -TZ_RANGE ? -TZ_RANGE : t > TZ_RANGE ? TZ_RANGE : t;
}

/* The number of transitions at or before t. */
static size_t trans_upto(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->tr[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int64_t tz_offset_at(const struct tz *z, int64_t utc)
{
	size_t i;

	utc = clamp(utc);
	if (z->has_footer && utc >= z->footer_from)
		return footer_offset(&z->ft, utc);
	i = trans_upto(z, utc);
	return i ? z->tr[i - 1].off : z->off0;
}

/*
 * The instants in (a, b] at which footer_offset() may change: the
 * changes of the years whose events it consults there, and the starts of
 * years, where it consults other years. Sorted, maybe with duplicates.
 * b - a is at most a few days, so at most four years are involved.
 */
static size_t footer_candidates(const struct tz *z, int64_t a, int64_t b, int64_t out[12])
{
	int64_t y0 = footer_year(&z->ft, a), y1 = footer_year(&z->ft, b);
	size_t n = 0;

	for (int64_t y = y0 - 1; y <= y1 + 1 && y <= y0 + 2; y++) {
		struct tz_event ev[2];
		int64_t ny = days_from_civil(y, 1, 1) * DAY - z->ft.std_off;

		year_events(&z->ft, y, ev);
		for (int i = 0; i < 2; i++)
			if (ev[i].at > a && ev[i].at <= b)
				out[n++] = ev[i].at;
		if (ny > a && ny <= b)
			out[n++] = ny;
	}
	for (size_t i = 1; i < n; i++) {
		int64_t t = out[i];
		size_t j = i;

		for (; j > 0 && out[j - 1] > t; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	return n;
}

/*
 * The changes of offset in (a, b] (clamped to TZ_RANGE), one by one in
 * order: first the file's transitions before the footer takes over, then
 * the one where it does, then the footer's. b - a must be at most a few
 * days (footer_candidates()); the number of transitions is not bounded.
 */
struct changes {
	const struct tz *z;
	int64_t a, b;
	int phase;           /* 0: transitions, 1: the footer's start, 2: the footer */
	size_t i;            /* transitions: the next; footer: the next candidate */
	size_t nc;
	int64_t cand[12];
};

static void changes_init(struct changes *c, const struct tz *z, int64_t a, int64_t b)
{
	c->z = z;
	c->a = clamp(a);
	c->b = clamp(b);
	c->phase = 0;
	c->i = trans_upto(z, c->a);
	c->nc = 0;
}

static bool changes_next(struct changes *c, struct tz_change *ret)
{
	const struct tz *z = c->z;

	if (c->phase == 0) {
		if (c->i < z->n && z->tr[c->i].at <= c->b &&
		    !(z->has_footer && z->tr[c->i].at >= z->footer_from)) {
			size_t i = c->i++;

			*ret = (struct tz_change){ z->tr[i].at, i ? z->tr[i - 1].off : z->off0,
						   z->tr[i].off };
			return true;
		}
		if (!z->has_footer || c->b < z->footer_from)
			return false;
		c->phase = 1;
		if (z->footer_from > c->a) {
			int64_t at = z->footer_from;

			c->a = at;
			*ret = (struct tz_change){ at, (int32_t)tz_offset_at(z, at - 1),
						   (int32_t)tz_offset_at(z, at) };
			if (ret->before != ret->after)
				return true;
		}
	}
	if (c->phase == 1) {
		if (!z->ft.dst)
			return false;
		c->phase = 2;
		c->nc = footer_candidates(z, c->a, c->b, c->cand);
		c->i = 0;
	}
	while (c->i < c->nc) {
		int64_t at = c->cand[c->i++];

		if (c->i > 1 && at == c->cand[c->i - 2])
			continue;
		*ret = (struct tz_change){ at, (int32_t)tz_offset_at(z, at - 1),
					   (int32_t)tz_offset_at(z, at) };
		if (ret->before != ret->after)
			return true;
	}
	return false;
}

/*
 * The offset is constant between changes, so walking them splits the
 * instants that may show local into pieces each with one offset o: local
 * happens in a piece when local - o falls inside it.
 */
static int local_to_utc(const struct tz *z, int64_t local, bool later, int64_t *ret_utc)
{
	struct changes c;
	struct tz_change ch;
	int64_t lo, first = 0, last = 0, jump = 0;
	int32_t off;
	int found = 0;
	bool more, gap = false;

	if (local < -TZ_RANGE || local > TZ_RANGE) {
		int64_t o = tz_offset_at(z, local);

		/* Saturates rather than overflows at the ends of int64. */
		*ret_utc = o > 0 && local < INT64_MIN + o ? INT64_MIN
			 : o < 0 && local > INT64_MAX + o ? INT64_MAX : local - o;
		return 0;
	}
	/* Every instant showing local lies in (lo - 1, local - TZ_OFFSET_MIN]. */
	lo = local - TZ_OFFSET_MAX;
	off = (int32_t)tz_offset_at(z, lo - 1);
	changes_init(&c, z, lo - 1, local - TZ_OFFSET_MIN);
	do {
		int64_t u = local - off, hi;

		more = changes_next(&c, &ch);
		hi = more ? ch.at : INT64_MAX;
		if (u >= lo && u < hi) {
			if (!found++)
				first = u;
			last = u;
		}
		/* The first jump over local, in case no piece has it. */
		if (more && !gap && ch.at + ch.before <= local && local < ch.at + ch.after) {
			gap = true;
			jump = local - ch.before;
		}
		if (more) {
			lo = ch.at;
			off = ch.after;
		}
	} while (more);
	if (found) {
		*ret_utc = later ? last : first;
		return found > 1 ? TZ_OVERLAP : 0;
	}
	/* The clocks jumped over local: move it forward by the jump. */
	*ret_utc = gap ? jump : local - tz_offset_at(z, local);
	return TZ_GAP;
}

int tz_local_to_utc(const struct tz *z, int64_t local_seconds, int64_t *ret_utc)
{
	return local_to_utc(z, local_seconds, false, ret_utc);
}

int tz_local_to_utc_later(const struct tz *z, int64_t local_seconds, int64_t *ret_utc)
{
	return local_to_utc(z, local_seconds, true, ret_utc);
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

void tz_free(struct tz *z)
{
	free(z);
}

/* ---- parsing ---- */

static int bad(struct err *e, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct err *e, const char *name, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "time zone '%s': %s", name, msg);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct hdr {
	int version; /* 1..4 */
	uint32_t isut, isstd, leap, time, type, chars;
};

static int read_header(const unsigned char *d, size_t len, size_t at, struct hdr *h,
		       const char *name, struct err *e)
{
	unsigned char v;

	if (len < at || len - at < 4 || memcmp(d + at, "TZif", 4) != 0)
		return bad(e, name, "%s", at ? "no 'TZif' magic in the second header"
					     : "not a TZif file (no 'TZif' magic)");
	if (len - at < HDR_LEN)
		return bad(e, name, "truncated %s header", at ? "second" : "file");
	d += at;
	v = d[4];
	if (v != 0 && (v < '2' || v > '4'))
		return bad(e, name, "unsupported TZif version byte 0x%02x", v);
	h->version = v ? v - '0' : 1;
	h->isut = be32(d + 20);
	h->isstd = be32(d + 24);
	h->leap = be32(d + 28);
	h->time = be32(d + 32);
	h->type = be32(d + 36);
	h->chars = be32(d + 40);
	return 0;
}

/* Bytes of a data block; counts are below 2^32, so no overflow. */
static uint64_t block_len(const struct hdr *h, unsigned tsize)
{
	return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chars +
	       (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* A cursor over the footer's TZ string. */
struct tzs {
	const char *s;
	size_t len, i;
};

static int tzs_peek(const struct tzs *c)
{
	return c->i < c->len ? (unsigned char)c->s[c->i] : -1;
}

static bool tzs_eat(struct tzs *c, int ch)
{
	if (tzs_peek(c) != ch)
		return false;
	c->i++;
	return true;
}

static bool is_alpha(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* An abbreviation: 3 or more letters, or <...> of letters, digits, + and -. */
static bool tzs_name(struct tzs *c)
{
	size_t n = 0;

	if (tzs_eat(c, '<')) {
		while (is_alpha(tzs_peek(c)) || is_digit(tzs_peek(c)) || tzs_peek(c) == '+' ||
		       tzs_peek(c) == '-')
			c->i++, n++;
		return tzs_eat(c, '>') && n >= 3;
	}
	while (is_alpha(tzs_peek(c)))
		c->i++, n++;
	return n >= 3;
}

/* 1..maxd digits into *ret. */
static bool tzs_num(struct tzs *c, int maxd, int *ret)
{
	int v = 0, n = 0;

	while (n < maxd && is_digit(tzs_peek(c)))
		v = v * 10 + (c->s[c->i++] - '0'), n++;
	*ret = v;
	return n > 0 && !is_digit(tzs_peek(c));
}

/* [+-]hh[:mm[:ss]] with hh at most maxh; sign only when allowed. */
static bool tzs_hms(struct tzs *c, int maxh, bool sign, int32_t *ret)
{
	int h, m = 0, s = 0, neg = 0;

	if (tzs_peek(c) == '+' || tzs_peek(c) == '-') {
		if (!sign)
			return false;
		neg = c->s[c->i++] == '-';
	}
	if (!tzs_num(c, 3, &h) || h > maxh)
		return false;
	if (tzs_eat(c, ':')) {
		size_t at = c->i;

		if (!tzs_num(c, 2, &m) || c->i - at != 2 || m > 59)
			return false;
		if (tzs_eat(c, ':')) {
			at = c->i;
			if (!tzs_num(c, 2, &s) || c->i - at != 2 || s > 59)
				return false;
		}
	}
	*ret = (int32_t)((h * 3600 + m * 60 + s) * (neg ? -1 : 1));
	return true;
}

/* Jn, n or Mm.w.d, then an optional /time. */
static bool tzs_rule(struct tzs *c, int version, struct tz_rule *r)
{
	r->time = 7200;
	if (tzs_eat(c, 'J')) {
		r->kind = 'J';
		if (!tzs_num(c, 3, &r->day) || r->day < 1 || r->day > 365)
			return false;
	} else if (tzs_eat(c, 'M')) {
		r->kind = 'M';
		if (!tzs_num(c, 2, &r->mon) || r->mon < 1 || r->mon > 12 || !tzs_eat(c, '.') ||
		    !tzs_num(c, 1, &r->week) || r->week < 1 || r->week > 5 || !tzs_eat(c, '.') ||
		    !tzs_num(c, 1, &r->wday) || r->wday > 6)
			return false;
	} else {
		r->kind = 'n';
		if (!tzs_num(c, 3, &r->day) || r->day > 365)
			return false;
	}
	/* Version 3 allows -167 to 167 hours (RFC 8536 section 3.3.1). */
	if (tzs_eat(c, '/'))
		return version >= 3 ? tzs_hms(c, 167, true, &r->time) : tzs_hms(c, 24, false, &r->time);
	return true;
}

static int parse_footer(const char *s, size_t len, int version, struct tz_footer *ft,
			const char *name, struct err *e)
{
	struct tzs c = { s, len, 0 };
	char shown[SHOW_MAX];
	int32_t off;

	show_bytes(shown, s, len);
	memset(ft, 0, sizeof(*ft));
	if (!tzs_name(&c))
		return bad(e, name, "footer '%s': bad standard time abbreviation", shown);
	if (!tzs_hms(&c, 24, true, &off))
		return bad(e, name, "footer '%s': bad standard time offset", shown);
	ft->std_off = ft->dst_off = -off; /* POSIX counts west of Greenwich */
	if (c.i == len)
		return 0;
	if (!tzs_name(&c))
		return bad(e, name, "footer '%s': bad daylight saving time abbreviation", shown);
	ft->dst = true;
	ft->dst_off = ft->std_off + 3600;
	if (c.i < len && tzs_peek(&c) != ',') {
		if (!tzs_hms(&c, 24, true, &off))
			return bad(e, name, "footer '%s': bad daylight saving time offset", shown);
		ft->dst_off = -off;
	}
	/* POSIX leaves the rules without them to the implementation; zic always writes them. */
	if (!tzs_eat(&c, ','))
		return bad(e, name, "footer '%s': daylight saving time without rules", shown);
	if (!tzs_rule(&c, version, &ft->start) || !tzs_eat(&c, ',') ||
	    !tzs_rule(&c, version, &ft->end))
		return bad(e, name, "footer '%s': bad rule", shown);
	if (c.i != len)
		return bad(e, name, "footer '%s': unexpected text after the rules", shown);
	return 0;
}

/* The parts of a validated data block, by position. */
struct block {
	const unsigned char *times, *idx, *types, *chars, *isstd, *isut;
	unsigned tsize;
};

static int check_block(const unsigned char *d, const struct hdr *h, unsigned tsize, struct block *b,
		       const char *name, struct err *e)
{
	int64_t prev = 0;

	if (h->type == 0)
		return bad(e, name, "no local time types");
	if (h->chars == 0)
		return bad(e, name, "no time zone designations");
	if (h->isut != 0 && h->isut != h->type)
		return bad(e, name, "%u UT/local indicators for %u types", h->isut, h->type);
	if (h->isstd != 0 && h->isstd != h->type)
		return bad(e, name, "%u standard/wall indicators for %u types", h->isstd, h->type);
	if (h->leap != 0)
		return bad(e, name, "leap-second files (right/...) are not supported");
	b->tsize = tsize;
	b->times = d;
	b->idx = b->times + (size_t)h->time * tsize;
	b->types = b->idx + h->time;
	b->chars = b->types + (size_t)h->type * 6;
	b->isstd = b->chars + h->chars;
	b->isut = b->isstd + h->isstd;
	for (uint32_t i = 0; i < h->type; i++) {
		const unsigned char *t = b->types + (size_t)i * 6;
		int32_t off = (int32_t)be32(t);

		if (off < TZ_OFFSET_MIN || off > TZ_OFFSET_MAX)
			return bad(e, name, "type %u: UTC offset %d is out of range", i, (int)off);
		if (t[4] > 1)
			return bad(e, name, "type %u: DST flag %u is not 0 or 1", i, t[4]);
		if (t[5] >= h->chars || !memchr(b->chars + t[5], '\0', h->chars - t[5]))
			return bad(e, name, "type %u: designation %u is not a string in the table",
				   i, t[5]);
		if ((h->isstd && b->isstd[i] > 1) || (h->isut && b->isut[i] > 1))
			return bad(e, name, "type %u: indicator is not 0 or 1", i);
		if (h->isut && b->isut[i] && !(h->isstd && b->isstd[i]))
			return bad(e, name, "type %u: UT indicator without standard indicator", i);
	}
	for (uint32_t i = 0; i < h->time; i++) {
		int64_t t = tsize == 8 ? be64(b->times + (size_t)i * 8)
				       : (int64_t)(int32_t)be32(b->times + (size_t)i * 4);

		if (i > 0 && t <= prev)
			return bad(e, name, "transition %u is not after transition %u", i, i - 1);
		if (b->idx[i] >= h->type)
			return bad(e, name, "transition %u: type %u does not exist", i, b->idx[i]);
		prev = t;
	}
	return 0;
}

static int64_t block_time(const struct block *b, uint32_t i)
{
	return b->tsize == 8 ? be64(b->times + (size_t)i * 8)
			     : (int64_t)(int32_t)be32(b->times + (size_t)i * 4);
}

static int32_t block_off(const struct block *b, unsigned type)
{
	return (int32_t)be32(b->types + (size_t)type * 6);
}

/* The zone from a validated block: the transitions that change the offset. */
static int build(const struct hdr *h, const struct block *b, const struct tz_footer *ft,
		 bool has_footer, const char *name, struct tz **ret_z, struct err *e)
{
	size_t n = 0, nlen = strlen(name);
	int32_t prev = block_off(b, 0);
	struct tz *z;

	for (uint32_t i = 0; i < h->time; i++) {
		int32_t off = block_off(b, b->idx[i]);

		n += off != prev;
		prev = off;
	}
	z = malloc(sizeof(*z) + n * sizeof(z->tr[0]) + nlen + 1);
	if (!z)
		return err_set(e, ERR_NOMEM, "out of memory");
	z->off0 = prev = block_off(b, 0);
	z->n = 0;
	for (uint32_t i = 0; i < h->time; i++) {
		int32_t off = block_off(b, b->idx[i]);

		if (off != prev)
			z->tr[z->n++] = (struct tz_trans){ block_time(b, i), off };
		prev = off;
	}
	/* The footer rules from the last transition on, or always (RFC 8536 3.3). */
	z->has_footer = has_footer;
	z->footer_from = h->time ? block_time(b, h->time - 1) : INT64_MIN;
	if (has_footer)
		z->ft = *ft;
	else
		memset(&z->ft, 0, sizeof(z->ft));
	z->name = (char *)&z->tr[n];
	memcpy(z->name, name, nlen + 1);
	*ret_z = z;
	return 0;
}

int tz_parse(const unsigned char *data, size_t len, const char *name, struct tz **ret_z,
	     struct err *e)
{
	struct hdr h1, h2, *h = &h1;
	struct block b;
	struct tz_footer ft;
	bool has_footer = false;
	uint64_t at, n1;
	int r;

	r = read_header(data, len, 0, &h1, name, e);
	if (r)
		return r;
	n1 = block_len(&h1, 4);
	if (n1 > len - HDR_LEN)
		return bad(e, name, "truncated version 1 data block");
	at = HDR_LEN + n1;
	if (h1.version == 1) {
		r = check_block(data + HDR_LEN, &h1, 4, &b, name, e);
		if (r)
			return r;
	} else {
		uint64_t n2;
		const unsigned char *fs, *fe;

		r = read_header(data, len, (size_t)at, &h2, name, e);
		if (r)
			return r;
		if (h2.version != h1.version)
			return bad(e, name, "the headers disagree on the version");
		h = &h2;
		n2 = block_len(&h2, 8);
		at += HDR_LEN;
		if (n2 > len - at)
			return bad(e, name, "truncated 64-bit data block");
		r = check_block(data + at, &h2, 8, &b, name, e);
		if (r)
			return r;
		at += n2;
		/* The footer: "\n" TZ string "\n", and nothing after it. */
		if (at == len || data[at] != '\n')
			return bad(e, name, "missing footer");
		fs = data + at + 1;
		fe = memchr(fs, '\n', len - at - 1);
		if (!fe)
			return bad(e, name, "unterminated footer");
		if (memchr(fs, '\0', (size_t)(fe - fs)))
			return bad(e, name, "NUL byte in the footer");
		if (fe > fs) {
			r = parse_footer((const char *)fs, (size_t)(fe - fs), h2.version, &ft, name, e);
			if (r)
				return r;
			has_footer = true;
		}
		at = (uint64_t)(fe + 1 - data);
	}
	if (at != len)
		return bad(e, name, "%llu bytes after the end of the data",
			   (unsigned long long)(len - at));
	return build(h, &b, &ft, has_footer, name, ret_z, e);
}

/* ---- loading ---- */

/* 1..TZ_NAME_MAX of [A-Za-z0-9/_+-], relative, no empty component. No '.'
 * at all, so no ".." either. */
static int check_name(const char *name, struct err *e)
{
	size_t len = strnlen(name, TZ_NAME_MAX + 1);
	char shown[SHOW_MAX];

	show_bytes(shown, name, len);
	if (len == 0)
		return err_set(e, ERR_INPUT, "empty time zone name");
	if (len > TZ_NAME_MAX)
		return err_set(e, ERR_INPUT, "time zone name '%s' is longer than %d bytes", shown,
			       TZ_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];

		if (!is_alpha(ch) && !is_digit(ch) && ch != '/' && ch != '_' && ch != '+' &&
		    ch != '-')
			return err_set(e, ERR_INPUT,
				       "time zone name '%s': only A-Z a-z 0-9 / _ + - are allowed",
				       shown);
	}
	if (name[0] == '/' || name[len - 1] == '/' || strstr(name, "//"))
		return err_set(e, ERR_INPUT,
			       "time zone name '%s' is not a relative path like 'Europe/Berlin'",
			       shown);
	return 0;
}

static int load_utc(const char *name, struct tz **ret_z, struct err *e)
{
	struct tz *z = calloc(1, sizeof(*z) + strlen(name) + 1);

	if (!z)
		return err_set(e, ERR_NOMEM, "out of memory");
	z->name = (char *)&z->tr[0];
	memcpy(z->name, name, strlen(name) + 1);
	*ret_z = z;
	return 0;
}

int tz_load(const char *name, struct tz **ret_z, struct err *e)
{
	const char *dir = secure_getenv("HFX_ZONEINFO");
	unsigned char *data = NULL;
	char path[4096];
	struct stat st;
	size_t len = 0, cap;
	int fd = -1, r, n;

	r = check_name(name, e);
	if (r)
		return r;
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return err_set(e, ERR_INPUT, "time zone '%s': the path is too long", name);
	/* Non-blocking: a FIFO planted in the tree must not hang the caller. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
		if (strcmp(name, "UTC") == 0)
			return load_utc(name, ret_z, e);
		return err_set(e, ERR_INPUT, "unknown time zone '%s'", name);
	}
	if (fstat(fd, &st) != 0) {
		r = err_set(e, ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = err_set(e, ERR_INPUT, "unknown time zone '%s'", name);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = err_set(e, ERR_INPUT, "time zone '%s': '%s' is not a regular file", name, path);
		goto out;
	}
	if (st.st_size > TZ_FILE_MAX) {
		r = bad(e, name, "file larger than %d bytes", TZ_FILE_MAX);
		goto out;
	}
	/* One byte more than the limit, to notice a file that grew meanwhile. */
	cap = (size_t)st.st_size + 1;
	data = malloc(cap);
	if (!data) {
		r = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	while (len < cap) {
		ssize_t got = read(fd, data + len, cap - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = err_set(e, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len == cap) {
		r = bad(e, name, "the file changed while it was read");
		goto out;
	}
	r = tz_parse(data, len, name, ret_z, e);
out:
	free(data);
	close(fd);
	return r;
}
