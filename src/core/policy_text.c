/*
 * The policy as text: the canonical text and its digest (what hfx records
 * to notice that the policy changed, and what `hfx policy show` prints),
 * and the Markdown reference embedded in docs/POLICY.md. Both are written
 * from the tables in policy.c (see policy_table.h); parsing is policy.c's.
 */
#include "core/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/ini.h"
#include "core/policy_table.h"

/* At most this many sections, and instances of one named section. */
#define SECTIONS_MAX 16
#define INSTANCES_MAX 256
_Static_assert(POLICY_GROUPS_MAX <= INSTANCES_MAX && POLICY_RULES_MAX <= INSTANCES_MAX &&
		       DECIDE_NACTIONS <= INSTANCES_MAX && POLICY_RINGS_MAX <= INSTANCES_MAX &&
		       POLICY_BLACKOUTS_MAX <= INSTANCES_MAX,
	       "raise INSTANCES_MAX");

/* ---- canonical text ---- */

struct named {
	const char *name;
	size_t index;
};

static int section_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct section_def *const *)a)->name,
		      (*(const struct section_def *const *)b)->name);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct key_def *const *)a)->name,
		      (*(const struct key_def *const *)b)->name);
}

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* The keys of sec, by name. */
static size_t sorted_keys(const struct section_def *sec, const struct key_def *ret[POLICY_KEYS_MAX])
{
	size_t n = 0;

	for (size_t i = 0; i < policy_nkeys && n < POLICY_KEYS_MAX; i++)
		if (!strcmp(policy_keys[i].section, sec->name))
			ret[n++] = &policy_keys[i];
	qsort(ret, n, sizeof(ret[0]), key_cmp);
	return n;
}

/* The value key k of instance inst ends up with: its own, or the
 * inherited one while it is unset. */
static void format_value(const struct policy *p, const void *inst, const struct key_def *k,
			 char out[VALUE_TEXT_MAX])
{
	const void *field = (const char *)inst + k->offset;

	if (!k->def && k->inherit != REQUIRED && *(const int *)field < 0)
		field = (const char *)p + k->inherit;
	policy_kinds[k->kind].format(field, out);
}

/* The value a fresh instance named name would end up with for key k. */
static void format_default(const struct policy *p, const struct section_def *sec,
			   const char *name, const struct key_def *k, char out[VALUE_TEXT_MAX])
{
	const char *def = policy_key_default(sec, name, k);
	union policy_value v;

	memset(&v, 0, sizeof(v));
	if (def)
		policy_value_parse(k, def, &v);
	else if (k->inherit != REQUIRED)
		memcpy(&v.i, (const char *)p + k->inherit, sizeof(v.i));
	policy_kinds[k->kind].format(&v, out);
}

/* An instance's lines, or none when it ends up as a fresh one would: it
 * changes nothing. */
static int canonical_instance(const struct policy *p, const struct section_def *sec,
			      const struct named *in, const struct key_def *const *keys, size_t n,
			      struct buf *b, struct err *e)
{
	const void *inst = policy_instance_at(sec, p, in->index);
	char v[VALUE_TEXT_MAX], d[VALUE_TEXT_MAX];
	bool differs = false;
	int r = 0;

	for (size_t i = 0; i < n && !differs; i++) {
		format_value(p, inst, keys[i], v);
		format_default(p, sec, in->name, keys[i], d);
		differs = strcmp(v, d) != 0;
	}
	for (size_t i = 0; differs && i < n && !r; i++) {
		format_value(p, inst, keys[i], v);
		r = buf_appendf(b, e, "%s.%.*s.%s=%s\n", sec->name, POLICY_NAME_MAX, in->name,
				keys[i]->name, v);
	}
	return r;
}

static int canonical_section(const struct policy *p, const struct section_def *sec,
			     struct buf *b, struct err *e)
{
	const struct key_def *keys[POLICY_KEYS_MAX];
	struct named order[INSTANCES_MAX];
	size_t n = sorted_keys(sec, keys), ni;
	char v[VALUE_TEXT_MAX];
	int r = 0;

	if (!sec->placeholder) {
		for (size_t i = 0; i < n && !r; i++) {
			policy_kinds[keys[i]->kind].format((const char *)p + keys[i]->offset, v);
			r = buf_appendf(b, e, "%s.%s=%s\n", sec->name, keys[i]->name, v);
		}
		return r;
	}
	/* Sorted here too: a caller may have built the policy by hand. */
	ni = policy_instance_count(sec, p);
	for (size_t i = 0; i < ni; i++)
		order[i] = (struct named){ policy_instance_name(sec, p, i), i };
	qsort(order, ni, sizeof(order[0]), named_cmp);
	for (size_t i = 0; i < ni && !r; i++)
		r = canonical_instance(p, sec, &order[i], keys, n, b, e);
	return r;
}

static int canonical_text(const struct policy *p, struct buf *b, struct err *e)
{
	const struct section_def *order[SECTIONS_MAX];
	size_t n = policy_nsections < SECTIONS_MAX ? policy_nsections : SECTIONS_MAX, m = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		if (!policy_sections[i].outside_digest)
			order[m++] = &policy_sections[i];
	n = m;
	qsort(order, n, sizeof(order[0]), section_cmp);
	for (size_t i = 0; i < n && !r; i++)
		r = canonical_section(p, order[i], b, e);
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

/* "`1` (`2` for accept-risk)", "as [due] immediate", "required", "empty". */
static void default_text(const struct section_def *sec, const struct key_def *k, char *out,
			 size_t size)
{
	size_t o;

	if (k->def && !k->def[0]) {
		snprintf(out, size, "empty");
		return;
	}
	if (k->def) {
		size_t n = 0;

		o = (size_t)snprintf(out, size, "`%s`", k->def);
		for (size_t i = 0; i < policy_ndefault_defs && o < size; i++) {
			const struct default_def *d = &policy_default_defs[i];

			if (strcmp(d->section, sec->name) || strcmp(d->key, k->name))
				continue;
			o += (size_t)snprintf(out + o, size - o, "%s`%s` for %s", n++ ? ", " : " (",
					      d->def, d->instance);
		}
		if (n && o < size)
			snprintf(out + o, size - o, ")");
		return;
	}
	if (k->inherit == REQUIRED) {
		snprintf(out, size, "required");
		return;
	}
	for (size_t i = 0; i < policy_nkeys; i++) {
		const struct key_def *t = &policy_keys[i];

		if (!policy_key_section(t)->placeholder && t->offset == k->inherit) {
			snprintf(out, size, "as [%s] %s", t->section, t->name);
			return;
		}
	}
	snprintf(out, size, "none");
}

/* For a fixed set of names: " ACTION is approve, expedite or defer." */
static int reference_names(const struct section_def *sec, struct buf *b, struct err *e)
{
	char list[256];

	policy_name_list(sec->names, list, sizeof(list));
	return buf_appendf(b, e, " %s is %s.", sec->placeholder, list);
}

static int reference_section(const struct section_def *sec, struct buf *b, struct err *e)
{
	int r = buf_appendf(b, e, "### [%s%s%s%s]\n\n%s", sec->name, sec->placeholder ? " \"" : "",
			    sec->placeholder ? sec->placeholder : "",
			    sec->placeholder ? "\"" : "", sec->help);

	if (!r && sec->names)
		r = reference_names(sec, b, e);
	if (!r)
		r = buf_appendf(b, e, "\n\n| key | default | value | meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; i < policy_nkeys && !r; i++) {
		const struct key_def *k = &policy_keys[i];
		char def[160], expected[VALUE_TEXT_MAX];

		if (strcmp(k->section, sec->name))
			continue;
		default_text(sec, k, def, sizeof(def));
		policy_expected(k, expected, sizeof(expected));
		r = buf_appendf(b, e, "| `%s` | %s | %s | %s |\n", k->name, def, expected,
				k->help);
	}
	return r;
}

int policy_reference(struct buf *ret, struct err *e)
{
	size_t len = ret->len;
	int r = 0;

	for (size_t i = 0; i < policy_nsections && !r; i++) {
		if (i)
			r = buf_append(ret, "\n", 1, e);
		if (!r)
			r = reference_section(&policy_sections[i], ret, e);
	}
	return undo(ret, len, r);
}
