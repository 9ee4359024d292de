/*
 * Weekly maintenance windows ("mon-fri 02:00-04:00, sat 22:00-02:00") on a
 * host's local clock, and their next occurrence as UTC instants. Pure
 * logic: the zone comes in as a loaded struct tz (base/tz.h). The rules are
 * explained with examples in docs/WINDOWS.md.
 *
 * Syntax: one or more windows separated by ',' (spaces and tabs allowed
 * around it and at both ends), each
 *
 *     DAYS HH:MM-HH:MM
 *
 * DAYS is a day (mon tue wed thu fri sat sun), a range of days "mon-fri"
 * (which may wrap: "fri-mon" is Friday to Monday), or "daily"; names are
 * case-insensitive. One or more spaces or tabs separate DAYS from the
 * times; there are none inside them. DAYS are the days on which the window
 * STARTS. Hours are two digits 00-24, minutes two digits 00-59; 24:00
 * only as an end. An end before the start crosses midnight: "sat
 * 22:00-02:00" ends on Sunday at 02:00; an end of 00:00 is the midnight
 * that ends the day, so "fri 22:00-00:00" is "fri 22:00-24:00". An end equal to the start is an error (empty, or 24
 * hours? write "00:00-24:00" for a whole day), and so are a range of one
 * day ("mon-mon": one day, or the whole week?) and a window given twice.
 * At most WINDOW_MAX windows; a range counts as one.
 *
 * Canonical text (window_format()): lowercase, one space between DAYS and
 * times, ", " between windows, an end of midnight written "24:00", ranges
 * and "daily" as written (so "mon-sun" stays "mon-sun"), the windows
 * sorted by their first day (a range's first day as written, Monday for
 * "daily"), then start, end, the number of days, and a range before
 * "daily".
 */
#ifndef HFX_CORE_WINDOW_H
#define HFX_CORE_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/tz.h"

#define WINDOW_MAX 16
/* Canonical text, with the NUL: 16 x "mon-fri 00:00-24:00" and 15 x ", ". */
#define WINDOW_TEXT_MAX (WINDOW_MAX * 21)

/* Days of the week, as bits of struct window.days. */
enum window_day { WINDOW_MON, WINDOW_TUE, WINDOW_WED, WINDOW_THU, WINDOW_FRI, WINDOW_SAT,
		  WINDOW_SUN };

struct window {
	uint8_t days;    /* bit WINDOW_MON..WINDOW_SUN: the days it starts on */
	uint8_t first;   /* the days as written: first..last (wrapping), */
	uint8_t last;    /* first == last for one day */
	uint8_t daily;   /* written "daily" (days 0x7f, first 0, last 6) */
	uint16_t start;  /* minutes after local midnight: 0..1439 */
	uint16_t end;    /* 1..1440, != start; < start: ends the next day */
};

/* Plain data: copy it with '='. */
struct window_set {
	size_t n;                      /* 1..WINDOW_MAX after window_parse() */
	struct window w[WINDOW_MAX];   /* in canonical order */
};

/* One occurrence of a window, as UTC seconds. */
struct window_occ {
	int64_t start, end;  /* start < end */
	size_t window;       /* its index in the set's w[] */
};

/*
 * Parses s[0..len) (not NUL-terminated, any bytes). Returns 0 and fills
 * *ret_ws (in canonical order, unused entries zero), or ERR_INPUT naming
 * the window and what is wrong ("window 'sat 25:00-26:00': hour 25 is not
 * 0-24"); *ret_ws is untouched on failure.
 */
int window_parse(const char *s, size_t len, struct window_set *ret_ws, struct err *e);

/*
 * Writes the canonical text of ws into buf (len bytes; WINDOW_TEXT_MAX
 * always suffices), cut short if it does not fit; always NUL-terminated
 * when len > 0. Parsing the text gives ws back.
 */
void window_format(const struct window_set *ws, char *buf, size_t len);

/*
 * The occurrence of a window of ws in zone z that starts earliest among
 * those that end after from_utc: the window open at from_utc, or else the
 * next one. Its start may be before from_utc (from_utc is inside the
 * window): it is the real start, and the caller clips it if it must. Of
 * two occurrences with the same start the longer is chosen, then the
 * one of the window earlier in ws. To walk through the occurrences, call again with from_utc
 * set to the previous end: every call returns an end after from_utc, so
 * the walk always advances (windows that overlap are reported one by one,
 * and one hidden entirely inside an earlier one is skipped).
 *
 * Each occurrence's local start and end are converted with base/tz.h's
 * rules: a time the clocks skip (spring forward) moves forward by the
 * jump, as tz_local_to_utc() does; a time that happens twice (fall back)
 * is taken at its EARLIER instant for a start and its LATER instant for
 * an end, so the window lasts its whole wall-clock span. So a window is
 * shorter or longer than written by the DST shift ("sun 02:00-04:00" in
 * Berlin: 1 hour on 2026-03-29, 3 hours on 2026-10-25). An occurrence that
 * comes out empty or reversed (all of it skipped by the clocks, as "sun
 * 02:15-03:00" on 2026-03-29 in Berlin) does not happen.
 *
 * No allocation; a few microseconds. Returns 0 and sets *ret_occ, or
 * ERR_INPUT when ws has no window, from_utc is outside the years 0001 to
 * 9999, or (with contrived zone data only) nothing occurs in 16 days.
 */
int window_next(const struct window_set *ws, const struct tz *z, int64_t from_utc,
		struct window_occ *ret_occ);

#endif
