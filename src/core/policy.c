/*
 * The policy model; see policy.h.
 *
 * Every key is one row of key_defs below: its section, name, kind of value,
 * where it lives in the struct, its default (as written in a file) and its
 * meaning. The defaults, the parser, the canonical text and the reference
 * in docs/POLICY.md all walk that table, so adding a key is one row plus a
 * struct field (and a kind, if its values are of a new sort). Sections are
 * a second, smaller table; a named section ([group "NAME"]) stores its keys
 * in a struct policy_group, the others in struct policy itself.
 *
 * Numbers are read by hand, not with strtol/strtod: the syntax is stricter
 * ("1e-1", " 7", "+7" and "0x7" are refused) and strtod would follow the
 * locale's decimal point.
 */
#include "core/policy.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/ini.h"
#include "base/show.h"

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

static int parse_days(const char *s, void *field)
{
	int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > POLICY_DAYS_MAX)
			return -1;
	}
	*(int *)field = v;
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

static void format_days(const void *field, char out[32])
{
	snprintf(out, 32, "%d", *(const int *)field);
}

static void format_fraction(const void *field, char out[32])
{
	double x = *(const double *)field;
	uint64_t n;
	int places = FRACTION_PLACES;

	if (!(x >= 0 && x <= 1)) {
		snprintf(out, 32, "?");
		return;
	}
	n = (uint64_t)(x * (double)FRACTION_SCALE + 0.5);
	if (n % FRACTION_SCALE == 0) {
		snprintf(out, 32, "%u", (unsigned)(n / FRACTION_SCALE));
		return;
	}
	n %= FRACTION_SCALE;
	while (n % 10 == 0) {
		n /= 10;
		places--;
	}
	snprintf(out, 32, "0.%0*u", places, (unsigned)n);
}

static void format_bool(const void *field, char out[32])
{
	snprintf(out, 32, "%s", *(const bool *)field ? "yes" : "no");
}

static void format_exposure(const void *field, char out[32])
{
	snprintf(out, 32, "%s", word_name(exposure_words, *(const enum ssvc_exposure *)field));
}

static void format_impact(const void *field, char out[32])
{
	snprintf(out, 32, "%s", word_name(impact_words, *(const enum ssvc_impact *)field));
}

#define STR_(x) #x
#define STR(x) STR_(x)

enum kind { KIND_DAYS, KIND_FRACTION, KIND_BOOL, KIND_EXPOSURE, KIND_IMPACT };

struct kind_def {
	const char *what;     /* "'x' is not <what>" */
	const char *expected; /* in messages and in the reference */
	int (*parse)(const char *s, void *field); /* 0, or -1 leaving the field */
	void (*format)(const void *field, char out[32]);
};

static const struct kind_def kinds[] = {
	[KIND_DAYS] = { "a number of days", "whole days, 0 to " STR(POLICY_DAYS_MAX), parse_days,
			format_days },
	[KIND_FRACTION] = { "a probability",
			    "a decimal from 0 to 1 with at most 9 decimal places, like 0.1",
			    parse_fraction, format_fraction },
	[KIND_BOOL] = { "a boolean", "yes or no (also true/false, on/off, 1/0)", parse_bool,
			format_bool },
	[KIND_EXPOSURE] = { "an exposure", "internet, dmz, internal or isolated", parse_exposure,
			    format_exposure },
	[KIND_IMPACT] = { "a criticality", "low, medium, high or critical", parse_impact,
			  format_impact },
};

/* ---- the tables ---- */

struct section_def {
	const char *name;
	bool named; /* [name "X"], stored in a struct policy_group */
	const char *help;
};

static const struct section_def section_defs[] = {
	{ "due", false,
	  "Days from the day a finding is first seen to its due date, by its SSVC priority." },
	{ "assess", false,
	  "How the SSVC decision points are derived where the data does not say." },
	{ "group", true,
	  "Overrides of [due] for the hosts in group NAME (the host's group; NAME is 1 to 63 "
	  "of A-Z a-z 0-9 . _ -, case-sensitive). A key not set here takes the [due] value; a "
	  "host in a group no section names gets [due]." },
};

#define NSECTIONS (sizeof(section_defs) / sizeof(section_defs[0]))

struct key_def {
	const char *section;
	const char *name;
	enum kind kind;
	size_t offset;    /* in struct policy, or struct policy_group for a named section */
	/* The default as written in a file. NULL (group days only) stores -1,
	 * "unset", and the value used is then the one at inherit in struct
	 * policy: the [due] key of the same name. */
	const char *def;
	size_t inherit;
	const char *help;
};

#define P(field) offsetof(struct policy, field)
#define G(field) offsetof(struct policy_group, field)

static const struct key_def key_defs[] = {
	{ "due", "immediate", KIND_DAYS, P(days[SSVC_IMMEDIATE]), "2", 0,
	  "Days for priority immediate: act now, outside any maintenance window." },
	{ "due", "out-of-cycle", KIND_DAYS, P(days[SSVC_OUT_OF_CYCLE]), "7", 0,
	  "Days for priority out-of-cycle: act sooner than the next regular window." },
	{ "due", "scheduled", KIND_DAYS, P(days[SSVC_SCHEDULED]), "30", 0,
	  "Days for priority scheduled: in the regular maintenance window." },
	{ "due", "defer", KIND_DAYS, P(days[SSVC_DEFER]), "90", 0,
	  "Days for priority defer: nothing urgent now, but the fix is still due." },
	{ "assess", "epss-threshold", KIND_FRACTION, P(epss_threshold), "0.1", 0,
	  "EPSS probability at or above which a CVE not in CISA KEV counts as Exploitation "
	  "public PoC (below it: none)." },
	{ "assess", "kev-due-date-wins", KIND_BOOL, P(kev_due_wins), "yes", 0,
	  "For a CVE in CISA KEV, the KEV due date applies when it is earlier than the "
	  "policy's." },
	{ "assess", "default-exposure", KIND_EXPOSURE, P(default_exposure), "internet", 0,
	  "System Exposure of a host whose exposure is not set: internet is open, dmz "
	  "controlled, internal and isolated small." },
	{ "assess", "default-criticality", KIND_IMPACT, P(default_impact), "medium", 0,
	  "Human Impact of a host whose criticality is not set: low, medium, high, or "
	  "critical (very high)." },
	{ "group", "immediate", KIND_DAYS, G(days[SSVC_IMMEDIATE]), NULL,
	  P(days[SSVC_IMMEDIATE]), "Days for priority immediate on this group's hosts." },
	{ "group", "out-of-cycle", KIND_DAYS, G(days[SSVC_OUT_OF_CYCLE]), NULL,
	  P(days[SSVC_OUT_OF_CYCLE]), "Days for priority out-of-cycle on this group's hosts." },
	{ "group", "scheduled", KIND_DAYS, G(days[SSVC_SCHEDULED]), NULL,
	  P(days[SSVC_SCHEDULED]), "Days for priority scheduled on this group's hosts." },
	{ "group", "defer", KIND_DAYS, G(days[SSVC_DEFER]), NULL, P(days[SSVC_DEFER]),
	  "Days for priority defer on this group's hosts." },
};

#define NKEYS (sizeof(key_defs) / sizeof(key_defs[0]))

static const struct section_def *find_section(const char *name)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (!strcmp(section_defs[i].name, name))
			return &section_defs[i];
	return NULL;
}

static bool in_named_section(const struct key_def *k)
{
	return find_section(k->section)->named;
}

/* ---- defaults and groups ---- */

void policy_defaults(struct policy *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < NKEYS; i++)
		if (!in_named_section(&key_defs[i]))
			kinds[key_defs[i].kind].parse(key_defs[i].def, (char *)ret + key_defs[i].offset);
}

/* A group's keys all start unset (-1: inherit) or at their own default. */
static void group_init(struct policy_group *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_def *k = &key_defs[i];

		if (!in_named_section(k))
			continue;
		if (k->def)
			kinds[k->kind].parse(k->def, (char *)g + k->offset);
		else
			*(int *)((char *)g + k->offset) = -1;
	}
}

const struct policy_group *policy_group_find(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].name, name))
			return &p->groups[i];
	return NULL;
}

int policy_days(const struct policy *p, const char *group, enum ssvc_priority pr)
{
	const struct policy_group *g = group && *group ? policy_group_find(p, group) : NULL;

	/* An out-of-range priority is a programming error: answer the most
	 * urgent rather than index past the arrays (as ssvc_deployer does). */
	if (pr < SSVC_DEFER || pr > SSVC_IMMEDIATE)
		pr = SSVC_IMMEDIATE;
	if (g && g->days[pr] >= 0)
		return g->days[pr];
	return p->days[pr];
}

/* ---- parsing ---- */

struct parse_state {
	struct policy p;
	const char *file;
	int top_line[NKEYS];                       /* where each key was set, 0: not yet */
	int group_line[POLICY_GROUPS_MAX][NKEYS];
};

/* Adds item, the idx-th of n, to the list "a, b or c" at out + *o. */
static void list_add(char *out, size_t size, size_t *o, size_t idx, size_t n, const char *item)
{
	if (*o < size)
		*o += (size_t)snprintf(out + *o, size - *o, "%s%s",
				       idx == 0 ? "" : idx + 1 == n ? " or " : ", ", item);
}

/* "immediate, out-of-cycle, scheduled or defer" */
static void key_list(const char *section, char *out, size_t size)
{
	size_t n = 0, idx = 0, o = 0;

	for (size_t i = 0; i < NKEYS; i++)
		n += !strcmp(key_defs[i].section, section);
	out[0] = '\0';
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(key_defs[i].section, section))
			list_add(out, size, &o, idx++, n, key_defs[i].name);
}

/* "[due], [assess] or [group "NAME"]" */
static void section_list(char *out, size_t size)
{
	char item[INI_NAME_MAX + 16];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NSECTIONS; i++) {
		snprintf(item, sizeof(item), "[%s%s]", section_defs[i].name,
			 section_defs[i].named ? " \"NAME\"" : "");
		list_add(out, size, &o, i, NSECTIONS, item);
	}
}

static int entry_error(const struct parse_state *st, const struct ini_entry *en, struct err *e,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sets "FILE:LINE: [section "sub"] key: <what>" and returns ERR_INPUT. */
static int entry_error(const struct parse_state *st, const struct ini_entry *en, struct err *e,
		       const char *fmt, ...)
{
	char what[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "%s:%d: [%s%s%s%s] %s: %s", st->file, en->line, en->section,
		       en->subsection ? " \"" : "", en->subsection ? en->subsection : "",
		       en->subsection ? "\"" : "", en->key, what);
}

static const struct key_def *find_key(const char *section, const char *name, size_t *ret_index)
{
	for (size_t i = 0; i < NKEYS; i++) {
		if (!strcmp(key_defs[i].section, section) && !strcmp(key_defs[i].name, name)) {
			*ret_index = i;
			return &key_defs[i];
		}
	}
	return NULL;
}

/* The group's index, created on its first key; -1 when there is no room. */
static int group_index(struct parse_state *st, const char *name)
{
	const struct policy_group *g = policy_group_find(&st->p, name);

	if (g)
		return (int)(g - st->p.groups);
	if (st->p.ngroups == POLICY_GROUPS_MAX)
		return -1;
	group_init(&st->p.groups[st->p.ngroups], name);
	return (int)st->p.ngroups++;
}

static int check_section(const struct parse_state *st, const struct ini_entry *en,
			 const struct section_def *sec, struct err *e)
{
	char list[256];

	if (!sec) {
		section_list(list, sizeof(list));
		return entry_error(st, en, e, "unknown section (expected %s)", list);
	}
	if (sec->named && !en->subsection)
		return entry_error(st, en, e, "this section needs a name (expected [%s \"NAME\"])",
				   sec->name);
	if (!sec->named && en->subsection)
		return entry_error(st, en, e, "this section takes no name (expected [%s])",
				   sec->name);
	return 0;
}

static int on_entry(const struct ini_entry *en, void *ctx, struct err *e)
{
	struct parse_state *st = ctx;
	const struct section_def *sec = find_section(en->section);
	const struct key_def *k;
	char shown[SHOW_MAX], list[256];
	size_t ki;
	int *lines, r, g = 0;
	void *base = &st->p;

	r = check_section(st, en, sec, e);
	if (r)
		return r;
	k = find_key(en->section, en->key, &ki);
	if (!k) {
		key_list(en->section, list, sizeof(list));
		return entry_error(st, en, e, "unknown key (expected %s)", list);
	}
	lines = st->top_line;
	if (sec->named) {
		g = group_index(st, en->subsection);
		if (g < 0)
			return entry_error(st, en, e, "more than %d groups", POLICY_GROUPS_MAX);
		base = &st->p.groups[g];
		lines = st->group_line[g];
	}
	if (lines[ki])
		return entry_error(st, en, e, "set again (first set on line %d)", lines[ki]);
	if (kinds[k->kind].parse(en->value, (char *)base + k->offset))
		return entry_error(st, en, e, "'%s' is not %s (expected %s)",
				   show_bytes(shown, en->value, strlen(en->value)),
				   kinds[k->kind].what, kinds[k->kind].expected);
	lines[ki] = en->line;
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct policy_group *)a)->name, ((const struct policy_group *)b)->name);
}

int policy_parse(const char *text, size_t len, const char *file, struct policy *ret,
		 struct err *e)
{
	struct parse_state *st = calloc(1, sizeof(*st));
	int r;

	if (!st)
		return err_set(e, ERR_NOMEM, "out of memory");
	policy_defaults(&st->p);
	st->file = file ? file : "<input>";
	r = ini_parse(text, len, st->file, on_entry, st, e);
	if (!r) {
		qsort(st->p.groups, st->p.ngroups, sizeof(st->p.groups[0]), group_cmp);
		memcpy(ret, &st->p, sizeof(*ret)); /* padding too: callers may memcmp */
	}
	free(st);
	return r;
}

/* ---- canonical text ---- */

static int key_order(const void *a, const void *b)
{
	const struct key_def *x = &key_defs[*(const size_t *)a];
	const struct key_def *y = &key_defs[*(const size_t *)b];
	int c = strcmp(x->section, y->section);

	return c ? c : strcmp(x->name, y->name);
}

/* Indices of the keys of named (or of plain) sections, by section and name. */
static size_t sorted_keys(bool named, size_t ret[NKEYS])
{
	size_t n = 0;

	for (size_t i = 0; i < NKEYS; i++)
		if (in_named_section(&key_defs[i]) == named)
			ret[n++] = i;
	qsort(ret, n, sizeof(ret[0]), key_order);
	return n;
}

/* The value group g ends up with for key k: its own, or the inherited one. */
static void format_group_value(const struct policy *p, const struct policy_group *g,
			       const struct key_def *k, char out[32])
{
	const void *field = (const char *)g + k->offset;

	if (!k->def && *(const int *)field < 0)
		field = (const char *)p + k->inherit;
	kinds[k->kind].format(field, out);
}

/* A group's lines, or none when it ends up as a group that sets nothing. */
static int canonical_group(const struct policy *p, const struct policy_group *g,
			   const size_t *idx, size_t n, struct buf *b, struct err *e)
{
	struct policy_group fresh;
	char v[32], d[32];
	bool differs = false;
	int r = 0;

	group_init(&fresh, g->name);
	for (size_t i = 0; i < n && !differs; i++) {
		format_group_value(p, g, &key_defs[idx[i]], v);
		format_group_value(p, &fresh, &key_defs[idx[i]], d);
		differs = strcmp(v, d) != 0;
	}
	for (size_t i = 0; differs && i < n && !r; i++) {
		const struct key_def *k = &key_defs[idx[i]];

		format_group_value(p, g, k, v);
		r = buf_appendf(b, e, "%s.%s.%s=%s\n", k->section, g->name, k->name, v);
	}
	return r;
}

static int group_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct policy_group *const *)a)->name,
		      (*(const struct policy_group *const *)b)->name);
}

static int canonical_text(const struct policy *p, struct buf *b, struct err *e)
{
	const struct policy_group *order[POLICY_GROUPS_MAX];
	size_t idx[NKEYS], n, ng = p->ngroups < POLICY_GROUPS_MAX ? p->ngroups : POLICY_GROUPS_MAX;
	char v[32];
	int r = 0;

	n = sorted_keys(false, idx);
	for (size_t i = 0; i < n && !r; i++) {
		const struct key_def *k = &key_defs[idx[i]];

		kinds[k->kind].format((const char *)p + k->offset, v);
		r = buf_appendf(b, e, "%s.%s=%s\n", k->section, k->name, v);
	}
	/* Sorted here too: a caller may have built the policy by hand. */
	for (size_t i = 0; i < ng; i++)
		order[i] = &p->groups[i];
	qsort(order, ng, sizeof(order[0]), group_ptr_cmp);
	n = sorted_keys(true, idx);
	for (size_t i = 0; i < ng && !r; i++)
		r = canonical_group(p, order[i], idx, n, b, e);
	return r;
}

/* Puts b back to its first len bytes after a failed append. */
static int undo(struct buf *b, size_t len, int r)
{
	if (r && b->data) {
		b->len = len;
		b->data[len] = '\0';
	}
	return r;
}

int policy_canonical(const struct policy *p, struct buf *ret, struct err *e)
{
	size_t len = ret->len;

	return undo(ret, len, canonical_text(p, ret, e));
}

int policy_digest(const struct policy *p, char ret[65], struct err *e)
{
	struct buf b;
	int r;

	buf_init(&b, INI_TEXT_MAX);
	r = canonical_text(p, &b, e);
	if (!r)
		sha256_hex(b.data ? b.data : "", b.len, ret);
	buf_release(&b);
	return r;
}

/* ---- reference ---- */

/* "[due] immediate", the key a group key without a default inherits. */
static void inherited_name(const struct key_def *k, char *out, size_t size)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_def *t = &key_defs[i];

		if (!in_named_section(t) && t->offset == k->inherit) {
			snprintf(out, size, "as [%s] %s", t->section, t->name);
			return;
		}
	}
	snprintf(out, size, "none");
}

static int reference_section(const struct section_def *sec, struct buf *b, struct err *e)
{
	int r = buf_appendf(b, e,
			    "### [%s%s]\n\n%s\n\n| key | default | value | meaning |\n"
			    "|---|---|---|---|\n",
			    sec->name, sec->named ? " \"NAME\"" : "", sec->help);

	for (size_t i = 0; i < NKEYS && !r; i++) {
		const struct key_def *k = &key_defs[i];
		char def[160];

		if (strcmp(k->section, sec->name))
			continue;
		if (k->def)
			snprintf(def, sizeof(def), "`%s`", k->def);
		else
			inherited_name(k, def, sizeof(def));
		r = buf_appendf(b, e, "| `%s` | %s | %s | %s |\n", k->name, def,
				kinds[k->kind].expected, k->help);
	}
	return r;
}

int policy_reference(struct buf *ret, struct err *e)
{
	size_t len = ret->len;
	int r = 0;

	for (size_t i = 0; i < NSECTIONS && !r; i++) {
		if (i)
			r = buf_append(ret, "\n", 1, e);
		if (!r)
			r = reference_section(&section_defs[i], ret, e);
	}
	return undo(ret, len, r);
}
