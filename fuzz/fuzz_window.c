/*
 * libFuzzer target for the maintenance window parser and occurrences
 * (src/core/window.c).
 *
 * Beyond the sanitizers' own checks: a failure leaves a message and the
 * output untouched; a parsed set has 1 to WINDOW_MAX windows, each with
 * days that agree with its first and last day (all of them for "daily"),
 * a start of 0..1439 and an end of 1..1440 other than the start; its
 * canonical text fits WINDOW_TEXT_MAX, parses back to the same set and
 * formats to the same text; and walking the occurrences in UTC and in
 * Europe/Berlin (when the system has it) from a DST weekend always
 * advances, with occurrences of 1 second to 2 days and 1 hour.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/tz.h"
#include "core/window.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_window(const struct window *w)
{
	uint8_t days = 0;

	if (w->first > 6 || w->last > 6 || w->start > 1439 || w->end < 1 || w->end > 1440 ||
	    w->end == w->start)
		abort();
	for (int d = w->first;; d = (d + 1) % 7) {
		days |= (uint8_t)(1u << d);
		if (d == w->last)
			break;
	}
	if (w->daily ? w->days != 0x7f || w->first != 0 || w->last != 6 : w->days != days)
		abort();
}

static void walk(const struct window_set *ws, const struct tz *z, int64_t from)
{
	for (int i = 0; i < 12; i++) {
		struct window_occ o;

		if (window_next(ws, z, from, &o) != 0)
			abort();
		if (o.end <= from || o.start >= o.end || o.end - o.start > 2 * 86400 + 3600 ||
		    o.window >= ws->n)
			abort();
		from = o.end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tz *utc, *berlin;
	static int loaded;
	static struct window_set ws, sentinel, again;
	char text[WINDOW_TEXT_MAX], text2[WINDOW_TEXT_MAX];
	struct err e = { "" };

	if (!loaded) {
		loaded = 1;
		if (tz_load("UTC", &utc, &e) != 0)
			abort();
		if (tz_load("Europe/Berlin", &berlin, &e) != 0)
			berlin = NULL;
	}
	memset(&ws, 0xa5, sizeof(ws));
	sentinel = ws;
	if (window_parse((const char *)data, size, &ws, &e) != 0) {
		if (!e.msg[0] || memcmp(&ws, &sentinel, sizeof(ws)) != 0)
			abort();
		return 0;
	}
	if (ws.n < 1 || ws.n > WINDOW_MAX)
		abort();
	for (size_t i = 0; i < ws.n; i++)
		check_window(&ws.w[i]);
	window_format(&ws, text, sizeof(text));
	if (strlen(text) >= sizeof(text) - 1)
		abort();
	if (window_parse(text, strlen(text), &again, &e) != 0 ||
	    memcmp(&again, &ws, sizeof(ws)) != 0)
		abort();
	window_format(&again, text2, sizeof(text2));
	if (strcmp(text, text2) != 0)
		abort();
	walk(&ws, utc, 1774742400);        /* 2026-03-29T00:00Z */
	if (berlin) {
		walk(&ws, berlin, 1774742400);
		walk(&ws, berlin, 1792800000); /* 2026-10-24T00:00Z */
	}
	return 0;
}
