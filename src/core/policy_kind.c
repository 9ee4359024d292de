/*
 * The kinds of values in hfx.conf (policy_table.h): how each is read from
 * a file and written back in canonical text, and the words some take.
 * Part of the policy module; see policy.c for the keys that use them.
 *
 * Numbers are read by hand, not with strtol/strtod: the syntax is stricter
 * ("1e-1", " 7", "+7" and "0x7" are refused) and strtod would follow the
 * locale's decimal point. Kinds are sorts of values (days, minutes, a
 * list of names), not keys: a key that takes a narrower range than its
 * kind says so in its row (key_def.range).
 */
#include "core/policy.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/timefmt.h"
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

static const struct word tls_words[] = {
	{ "starttls", POLICY_TLS_STARTTLS }, { "tls", POLICY_TLS_TLS }, { "none", POLICY_TLS_NONE },
	{ NULL, 0 },
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

/* s[0..len): plain decimal digits, leading zeros allowed, from min to max
 * (max at most INT_MAX / 10, so that the digits cannot overflow). */
static int parse_digits(const char *s, size_t len, int min, int max, int *ret)
{
	int v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*ret = v;
	return 0;
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

static const char name_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

/* A host group or ring name, as host attributes take them, or "". */
static int parse_name(const char *s, void *field)
{
	size_t n = strspn(s, name_chars);

	if (s[n] || n > POLICY_NAME_MAX)
		return -1;
	memcpy(field, s, n + 1);
	return 0;
}

/* A command line: words of safe characters separated by blanks, stored
 * with single spaces; no quoting, no shell: the deployer splits it into an
 * argv on the spaces. */
static int parse_command(const char *s, void *field)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789._/=:,+@%-";
	char out[POLICY_COMMAND_MAX + 1];
	size_t o = 0;

	while (*s) {
		size_t blank = strspn(s, " \t"), n;

		s += blank;
		n = strspn(s, chars);
		if (!*s)
			break;
		if (!n || (s[n] && s[n] != ' ' && s[n] != '\t') || o + n + 1 > POLICY_COMMAND_MAX)
			return -1;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	out[o] = '\0';
	memcpy(field, out, o + 1);
	return 0;
}

static void format_command(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%.*s", POLICY_COMMAND_MAX, (const char *)field);
}

/* A name that must be there, as a ring that hosts without one get. */
static int parse_some_name(const char *s, void *field)
{
	return *s ? parse_name(s, field) : -1;
}

/* "test, pilot, broad": 1 to POLICY_RINGS_MAX different names, separated
 * by commas with blanks around them. Unlike a list of priorities, a name
 * repeated is refused: it would make the order ambiguous. */
static int parse_names(const char *s, void *field)
{
	struct names_value v;

	memset(&v, 0, sizeof(v));
	for (;;) {
		size_t len = strcspn(s, ",");
		const char *from = s, *to = s + len;
		size_t n;

		while (from < to && is_blank(*from))
			from++;
		while (to > from && is_blank(to[-1]))
			to--;
		n = (size_t)(to - from);
		if (n == 0 || n > POLICY_NAME_MAX || strspn(from, name_chars) < n ||
		    v.n == POLICY_RINGS_MAX)
			return -1;
		memcpy(v.name[v.n], from, n);
		for (size_t i = 0; i < v.n; i++)
			if (!strcmp(v.name[i], v.name[v.n]))
				return -1;
		v.n++;
		if (!s[len])
			break;
		s += len + 1;
	}
	memcpy(field, v.name, sizeof(v.name));
	memcpy((char *)field + NAMES_COUNT_AT, &v.n, sizeof(v.n));
	return 0;
}

/* "3" hosts (1 to POLICY_LIMIT_MAX) or "25%" of them (1 to 100). */
static int parse_limit(const char *s, void *field)
{
	size_t len = strlen(s);
	struct policy_limit l = { 0, false };

	if (len && s[len - 1] == '%') {
		l.percent = true;
		len--;
	}
	if (parse_digits(s, len, 1, l.percent ? 100 : POLICY_LIMIT_MAX, &l.value))
		return -1;
	memcpy(field, &l, sizeof(l));
	return 0;
}

/* Times are written back as UTC dates of four-digit years. */
#define TIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define TIME_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */
#define TIME_LEN 20               /* "2026-12-20T00:00:00Z" */

/*
 * An RFC 3339 date-time ("2026-12-20T00:00:00Z", "...T01:00:00+01:00")
 * in whole seconds: a fraction of a second is refused rather than
 * dropped, so that what the file says is what the canonical text shows.
 * The date must exist (rfc3339_parse() alone takes 02-31), and the instant
 * fall in years 0000 to 9999 UTC.
 */
static int parse_time(const char *s, void *field)
{
	struct instant in;
	int64_t day;

	if (strlen(s) > 19 && s[19] == '.')
		return -1;
	if (!rfc3339_parse(s, &in) || !date_parse(s, &day) || in.sec < TIME_MIN ||
	    in.sec > TIME_MAX)
		return -1;
	memcpy(field, &in.sec, sizeof(in.sec));
	return 0;
}

/* ---- [notify]: URLs, hosts, addresses, files ---- */

static bool in_set(const char *s, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static const char host_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789.-";

/* A DNS name or IPv4 address ("mail.example.com", "127.0.0.1"): letters,
 * digits, dots and hyphens, neither first. */
static bool host_name_valid(const char *s, size_t len)
{
	return len && len <= POLICY_HOST_MAX && in_set(s, len, host_chars) && s[0] != '.' &&
	       s[0] != '-';
}

/* An IPv6 address without its brackets: hex digits, colons, dots. */
static bool host_ipv6_valid(const char *s, size_t len)
{
	return len >= 2 && len <= 45 && in_set(s, len, "0123456789abcdefABCDEF:.") &&
	       memchr(s, ':', len);
}

/* "mail.example.com", "192.0.2.1", "::1" or "[::1]" (stored without the
 * brackets), or "". */
static int parse_host(const char *s, void *field)
{
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
		if (!host_ipv6_valid(s, len))
			return -1;
	} else if (len && !host_name_valid(s, len) && !host_ipv6_valid(s, len)) {
		return -1;
	}
	memcpy(field, s, len);
	((char *)field)[len] = '\0';
	return 0;
}

/* Printable ASCII but the blank and what a URL may not hold unescaped. */
static bool url_char(char c)
{
	return c > ' ' && c < 0x7f && !strchr("\"<>\\^`{|}", c);
}

/* "http://HOST..." or "https://HOST...": a host before any path. */
static bool url_valid(const char *s, size_t len)
{
	size_t skip = len >= 8 && !memcmp(s, "https://", 8) ? 8 :
		      len >= 7 && !memcmp(s, "http://", 7) ? 7 : 0;

	if (!skip || len == skip || strchr("/?#", s[skip]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!url_char(s[i]))
			return false;
	return true;
}

/* "user@example.com": a dot-atom local part (RFC 5322) and a host name. */
static bool address_valid(const char *s, size_t len)
{
	static const char local_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					  "0123456789.!#$%&'*+/=?^_`{|}~-";
	const char *at = memchr(s, '@', len);
	size_t local;

	if (!at || len > POLICY_ADDRESS_MAX)
		return false;
	local = (size_t)(at - s);
	return local && local <= 64 && in_set(s, local, local_chars) && s[0] != '.' &&
	       s[local - 1] != '.' && host_name_valid(at + 1, len - local - 1);
}

/*
 * A list of items separated by commas and/or blanks, each valid, none
 * twice, at most max, written to field joined by sep ("" for none).
 */
static int parse_list(const char *s, bool (*valid)(const char *, size_t), size_t max,
		      const char *sep, void *field)
{
	char out[POLICY_LIST_MAX + 1];
	size_t o = 0, n = 0, seplen = strlen(sep);

	out[0] = '\0';
	for (;;) {
		size_t len;

		s += strspn(s, ", \t");
		if (!*s)
			break;
		len = strcspn(s, ", \t");
		if (!valid(s, len) || n == max || o + (n ? seplen : 0) + len > POLICY_LIST_MAX)
			return -1;
		for (const char *p = out; *p;) { /* the items so far, each ended by sep or NUL */
			size_t plen = strcspn(p, sep);

			if (plen == len && !memcmp(p, s, len))
				return -1;
			p += plen + (p[plen] ? seplen : 0);
		}
		if (n++) {
			memcpy(out + o, sep, seplen);
			o += seplen;
		}
		memcpy(out + o, s, len);
		o += len;
		out[o] = '\0';
		s += len;
	}
	memcpy(field, out, o + 1);
	return 0;
}

static int parse_urls(const char *s, void *field)
{
	return parse_list(s, url_valid, POLICY_URLS_MAX, " ", field);
}

static int parse_addresses(const char *s, void *field)
{
	return parse_list(s, address_valid, POLICY_RECIPIENTS_MAX, ", ", field);
}

static int parse_address(const char *s, void *field)
{
	size_t len = strlen(s);

	if (len && !address_valid(s, len))
		return -1;
	memcpy(field, s, len + 1);
	return 0;
}

/* A user name: printable ASCII without blanks, or "". */
static int parse_login(const char *s, void *field)
{
	size_t len = strlen(s);

	if (len > POLICY_ADDRESS_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return -1;
	memcpy(field, s, len + 1);
	return 0;
}

/* An absolute file name without control characters, or "". */
static int parse_path(const char *s, void *field)
{
	size_t len = strlen(s);

	if (len > POLICY_PATH_MAX || (len && s[0] != '/'))
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return -1;
	memcpy(field, s, len + 1);
	return 0;
}

static int parse_tls(const char *s, void *field)
{
	int v;

	if (word_parse(tls_words, s, &v))
		return -1;
	*(enum policy_tls *)field = (enum policy_tls)v;
	return 0;
}

static int parse_priority(const char *s, void *field)
{
	int v;

	if (word_parse(priority_words, s, &v))
		return -1;
	memcpy(field, &v, sizeof(v));
	return 0;
}

static void format_text(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%.*s", POLICY_LIST_MAX, (const char *)field);
}

static void format_tls(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%s", word_name(tls_words, *(const enum policy_tls *)field));
}

static void format_priority(const void *field, char out[VALUE_TEXT_MAX])
{
	snprintf(out, VALUE_TEXT_MAX, "%s", word_name(priority_words, *(const int *)field));
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

/* "test, pilot, broad". */
static void format_names(const void *field, char out[VALUE_TEXT_MAX])
{
	const char (*name)[POLICY_NAME_MAX + 1] = field;
	size_t n, o = 0;

	memcpy(&n, (const char *)field + NAMES_COUNT_AT, sizeof(n));
	out[0] = '\0';
	for (size_t i = 0; i < n && i < POLICY_RINGS_MAX && o < VALUE_TEXT_MAX; i++)
		o += (size_t)snprintf(out + o, VALUE_TEXT_MAX - o, "%s%.*s", i ? ", " : "",
				      POLICY_NAME_MAX, name[i]);
}

/* "1" or "25%". */
static void format_limit(const void *field, char out[VALUE_TEXT_MAX])
{
	const struct policy_limit *l = field;

	snprintf(out, VALUE_TEXT_MAX, "%d%s", l->value, l->percent ? "%" : "");
}

/* "2026-12-20T00:00:00Z", or "?" out of range (a policy built by hand). */
static void format_time(const void *field, char out[VALUE_TEXT_MAX])
{
	int64_t t;

	memcpy(&t, field, sizeof(t));
	if (t < TIME_MIN || t > TIME_MAX)
		snprintf(out, VALUE_TEXT_MAX, "?");
	else
		instant_format(t, out);
}

#define STR_(x) #x
#define STR(x) STR_(x)

const struct kind_def policy_kinds[] = {
	[KIND_DAYS] = { "a number of days", "whole days", NULL, format_int, 0, POLICY_DAYS_MAX },
	[KIND_TERM] = { "a number of days", "whole days", NULL, format_int, 1, POLICY_DAYS_MAX },
	[KIND_FRACTION] = { "a probability",
			    "a decimal from 0 to 1 with at most 9 decimal places, like 0.1",
			    parse_fraction, format_fraction, 0, 0 },
	[KIND_BOOL] = { "a boolean", "yes or no (also true/false, on/off, 1/0)", parse_bool,
			format_bool, 0, 0 },
	[KIND_EXPOSURE] = { "an exposure", "internet, dmz, internal or isolated", parse_exposure,
			    format_exposure, 0, 0 },
	[KIND_IMPACT] = { "a criticality", "low, medium, high or critical", parse_impact,
			  format_impact, 0, 0 },
	[KIND_QUORUM] = { "a number of approvers", "a whole number", NULL, format_int, 1,
			  POLICY_QUORUM_MAX },
	[KIND_PRIORITIES] = { "a list of priorities",
			      "one or more of immediate, out-of-cycle, scheduled and defer, "
			      "separated by commas",
			      parse_priorities, format_priorities, 0, 0 },
	[KIND_NAME] = { "a name", "empty, or 1 to " STR(POLICY_NAME_MAX) " of A-Z a-z 0-9 . _ -",
			parse_name, format_name, 0, 0 },
	[KIND_SOME_NAME] = { "a name", "1 to " STR(POLICY_NAME_MAX) " of A-Z a-z 0-9 . _ -",
			     parse_some_name, format_name, 0, 0 },
	[KIND_COMMAND] = { "a command", "empty, or words of A-Z a-z 0-9 . _ / = : , + @ % - "
			   "separated by spaces (no quoting, no shell), at most "
			   STR(POLICY_COMMAND_MAX) " characters", parse_command, format_command, 0, 0 },
	[KIND_NAMES] = { "a list of names",
			 "1 to " STR(POLICY_RINGS_MAX) " different names separated by commas, "
			 "each 1 to " STR(POLICY_NAME_MAX) " of A-Z a-z 0-9 . _ -",
			 parse_names, format_names, 0, 0 },
	[KIND_MINUTES] = { "a number of minutes", "whole minutes", NULL, format_int, 0, 1440 },
	[KIND_HOURS] = { "a number of hours", "whole hours", NULL, format_int, 0, 8760 },
	[KIND_COUNT] = { "a count", "a whole number", NULL, format_int, 0, 100000 },
	[KIND_LIMIT] = { "a number or percentage of hosts",
			 "a whole number, 1 to " STR(POLICY_LIMIT_MAX)
			 ", or a percentage, 1% to 100%",
			 parse_limit, format_limit, 0, 0 },
	[KIND_TIME] = { "a date-time",
			"an RFC 3339 date-time in whole seconds, like 2026-12-20T00:00:00Z or "
			"2026-12-20T01:00:00+01:00",
			parse_time, format_time, 0, 0 },
	[KIND_URLS] = { "a list of URLs",
			"empty, or up to " STR(POLICY_URLS_MAX) " different http:// or https:// "
			"URLs separated by blanks or commas",
			parse_urls, format_text, 0, 0 },
	[KIND_HOST] = { "a host", "empty, or a host name, an IPv4 address or an IPv6 address",
			parse_host, format_text, 0, 0 },
	[KIND_PORT] = { "a port", "a TCP port", NULL, format_int, 1, 65535 },
	[KIND_TLS] = { "a TLS mode", "starttls, tls or none", parse_tls, format_tls, 0, 0 },
	[KIND_LOGIN] = { "a user name", "empty, or 1 to " STR(POLICY_ADDRESS_MAX)
			 " printable ASCII characters without blanks", parse_login, format_text,
			 0, 0 },
	[KIND_PATH] = { "a file name", "empty, or an absolute file name", parse_path, format_text,
			0, 0 },
	[KIND_ADDRESS] = { "an e-mail address", "empty, or an address like hfx@example.com",
			   parse_address, format_text, 0, 0 },
	[KIND_ADDRESSES] = { "a list of e-mail addresses",
			     "empty, or up to " STR(POLICY_RECIPIENTS_MAX) " different addresses "
			     "like ops@example.com, separated by commas or blanks",
			     parse_addresses, format_text, 0, 0 },
	[KIND_PRIORITY] = { "a priority", "immediate, out-of-cycle, scheduled or defer",
			    parse_priority, format_priority, 0, 0 },
};

/* The range of whole numbers key k takes: its kind's, or the key's
 * narrower one. */
static void key_bounds(const struct key_def *k, int *ret_min, int *ret_max)
{
	const struct kind_def *kd = &policy_kinds[k->kind];

	*ret_min = kd->min;
	*ret_max = kd->max;
	if (k->range.min || k->range.max) {
		*ret_min = k->range.min > kd->min ? k->range.min : kd->min;
		*ret_max = k->range.max < kd->max ? k->range.max : kd->max;
	}
}

int policy_value_parse(const struct key_def *k, const char *s, void *field)
{
	int min, max, v;

	if (policy_kinds[k->kind].parse)
		return policy_kinds[k->kind].parse(s, field);
	key_bounds(k, &min, &max);
	if (parse_digits(s, strlen(s), min, max, &v))
		return -1;
	memcpy(field, &v, sizeof(v));
	return 0;
}

void policy_expected(const struct key_def *k, char *out, size_t size)
{
	const struct kind_def *kd = &policy_kinds[k->kind];
	int min, max;

	if (kd->parse) {
		snprintf(out, size, "%s", kd->expected);
		return;
	}
	key_bounds(k, &min, &max);
	snprintf(out, size, "%s, %d to %d", kd->expected, min, max);
}
