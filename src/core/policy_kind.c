/*
 * The kinds of values in hfx.conf (policy_table.h): how each is read from
 * a file and written back in canonical text, and the words some take.
 * Part of the policy module; see policy.c for the keys that use them.
 *
 * Numbers are read by hand, not with strtol/strtod: the syntax is stricter
 * ("1e-1", " 7", "+7" and "0x7" are refused) and strtod would follow the
 * locale's decimal point.
 */
#include "core/policy.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/policy_table.h"

/* ---- words ---- */

struct word {
	const char *name;
	int value;
};

/* The first word of a value is the one canonical text and messages use. */
static const struct word exposure_words[] = {
	{ "internet", SSVC_EXPOSURE_OPEN }, { "dmz", SSVC_EXPOSURE_CONTROLLED },
	{ "internal", SSVC_EXPOSURE_SMALL }, { "isolated", SSVC_EXPOSURE_SMALL }, { NULL, 0 },
};
static const struct word impact_words[] = {
	{ "low", SSVC_IMPACT_LOW }, { "medium", SSVC_IMPACT_MEDIUM },
	{ "high", SSVC_IMPACT_HIGH }, { "critical", SSVC_IMPACT_VERY_HIGH }, { NULL, 0 },
};
static const struct word bool_words[] = {
	{ "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 },
	{ "on", 1 },  { "off", 0 }, { "1", 1 },   { "0", 0 },     { NULL, 0 },
};
/* Most urgent first, the order lists of priorities are written in. */
static const struct word priority_words[] = {
	{ "immediate", SSVC_IMMEDIATE }, { "out-of-cycle", SSVC_OUT_OF_CYCLE },
	{ "scheduled", SSVC_SCHEDULED }, { "defer", SSVC_DEFER }, { NULL, 0 },
};

static int word_parse(const struct word *w, const char *s, int *ret)
{
	for (; w->name; w++) {
		if (!strcmp(w->name, s)) {
			*ret = w->value;
			return 0;
		}
	}
	return -1;
}

static const char *word_name(const struct word *w, int value)
{
	for (; w->name; w++)
		if (w->value == value)
			return w->name;
	return "?";
}

int policy_exposure_parse(const char *s, enum ssvc_exposure *ret)
{
	int v;

	if (word_parse(exposure_words, s, &v))
		return -1;
	*ret = (enum ssvc_exposure)v;
	return 0;
}

int policy_impact_parse(const char *s, enum ssvc_impact *ret)
{
	int v;

	if (word_parse(impact_words, s, &v))
		return -1;
	*ret = (enum ssvc_impact)v;
	return 0;
}

/* ---- kinds of values ---- */

/* A probability has at most this many decimal places, so that it prints
 * back exactly as an integer count of 1e-9. */
#define FRACTION_PLACES 9
#define FRACTION_SCALE 1000000000ULL

/* Plain decimal digits, leading zeros allowed, from min to max. */
static int parse_int(const char *s, int min, int max, void *field)
{
	int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*(int *)field = v;
	return 0;
}

static int parse_days(const char *s, void *field)
{
	return parse_int(s, 0, POLICY_DAYS_MAX, field);
}

static int parse_term(const char *s, void *field)
{
	return parse_int(s, 1, POLICY_DAYS_MAX, field);
}

static int parse_quorum(const char *s, void *field)
{
	return parse_int(s, 1, POLICY_QUORUM_MAX, field);
}

/* "0", "1", "0.1", "0.05", "1.000": a plain decimal from 0 to 1. */
static int parse_fraction(const char *s, void *field)
{
	uint64_t n = 0, scale = 1;
	size_t digits = 0, places = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if ((n = n * 10 + (uint64_t)(*s - '0')) > 1)
			return -1;
	if (!digits)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, places++) {
			if (places == FRACTION_PLACES)
				return -1;
			n = n * 10 + (uint64_t)(*s - '0');
			scale *= 10;
		}
		if (!places)
			return -1;
	}
	if (*s || n > scale)
		return -1;
	/* Both integers are exact doubles, and IEEE division rounds correctly:
	 * the result is the double strtod would give for the same text. */
	*(double *)field = (double)n / (double)scale;
	return 0;
}

static int parse_bool(const char *s, void *field)
{
	int v;

	if (word_parse(bool_words, s, &v))
		return -1;
	*(bool *)field = v;
	return 0;
}

static int parse_exposure(const char *s, void *field)
{
	return policy_exposure_parse(s, field);
}

static int parse_impact(const char *s, void *field)
{
	return policy_impact_parse(s, field);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "scheduled, defer": one or more priority words, separated by commas with
 * blanks around them; a word repeated counts once. */
static int parse_priorities(const char *s, void *field)
{
	bool set[4] = { false, false, false, false };
	char word[16];

	for (;;) {
		size_t len = strcspn(s, ",");
		const char *from = s, *to = s + len;
		int v;

		while (from < to && is_blank(*from))
			from++;
		while (to > from && is_blank(to[-1]))
			to--;
		if ((size_t)(to - from) >= sizeof(word))
			return -1;
		memcpy(word, from, (size_t)(to - from));
		word[to - from] = '\0';
		if (word_parse(priority_words, word, &v))
			return -1;
		set[v] = true;
		if (!s[len])
			break;
		s += len + 1;
	}
	memcpy(field, set, sizeof(set));
	return 0;
}

/* A host group or ring name, as host attributes take them, or "". */
static int parse_name(const char *s, void *field)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	if (s[n] || n > POLICY_NAME_MAX)
		return -1;
	memcpy(field, s, n + 1);
	return 0;
}

static void format_int(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%d", *(const int *)field);
}

static void format_fraction(const void *field, char out[VALUE_TEXT_MAX])
{
	double x = *(const double *)field;
	uint64_t n;
	int places = FRACTION_PLACES;

	if (!(x >= 0 && x <= 1)) {
		snprintf(out, VALUE_TEXT_MAX, "?");
		return;
	}
	n = (uint64_t)(x * (double)FRACTION_SCALE + 0.5);
	if (n % FRACTION_SCALE == 0) {
		snprintf(out, VALUE_TEXT_MAX, "%u", (unsigned)(n / FRACTION_SCALE));
		return;
	}
	n %= FRACTION_SCALE;
	while (n % 10 == 0) {
		n /= 10;
		places--;
	}
	snprintf(out, VALUE_TEXT_MAX, "0.%0*u", places, (unsigned)n);
}

static void format_bool(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%s", *(const bool *)field ? "yes" : "no");
}

static void format_exposure(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%s",
		 word_name(exposure_words, *(const enum ssvc_exposure *)field));
}

static void format_impact(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%s", word_name(impact_words, *(const enum ssvc_impact *)field));
}

/* "immediate, defer": the priorities set, most urgent first; "" for none. */
static void format_priorities(const void *field, char out[VALUE_TEXT_MAX])
{
	const bool *set = field;
	size_t o = 0;

	out[0] = '\0';
	for (const struct word *w = priority_words; w->name; w++)
		if (set[w->value])
			o += (size_t)snprintf(out + o, VALUE_TEXT_MAX - o, "%s%s", o ? ", " : "",
					      w->name);
}

static void format_name(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%.*s", POLICY_NAME_MAX, (const char *)field);
}

#define STR_(x) #x
#define STR(x) STR_(x)

const struct kind_def policy_kinds[] = {
	[KIND_DAYS] = { "a number of days", "whole days, 0 to " STR(POLICY_DAYS_MAX), parse_days,
			format_int },
	[KIND_TERM] = { "a number of days", "whole days, 1 to " STR(POLICY_DAYS_MAX), parse_term,
			format_int },
	[KIND_FRACTION] = { "a probability",
			    "a decimal from 0 to 1 with at most 9 decimal places, like 0.1",
			    parse_fraction, format_fraction },
	[KIND_BOOL] = { "a boolean", "yes or no (also true/false, on/off, 1/0)", parse_bool,
			format_bool },
	[KIND_EXPOSURE] = { "an exposure", "internet, dmz, internal or isolated", parse_exposure,
			    format_exposure },
	[KIND_IMPACT] = { "a criticality", "low, medium, high or critical", parse_impact,
			  format_impact },
	[KIND_QUORUM] = { "a number of approvers", "a whole number, 1 to " STR(POLICY_QUORUM_MAX),
			  parse_quorum, format_int },
	[KIND_PRIORITIES] = { "a list of priorities",
			      "one or more of immediate, out-of-cycle, scheduled and defer, "
			      "separated by commas",
			      parse_priorities, format_priorities },
	[KIND_NAME] = { "a name", "empty, or 1 to " STR(POLICY_NAME_MAX) " of A-Z a-z 0-9 . _ -", parse_name,
			format_name },
};
