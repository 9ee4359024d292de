/*
 * OSV record parser; see osv.h for the contract.
 *
 * One helper per JSON level (record, affected entry, package, range,
 * event), each filling its struct in place: the counts (naffected,
 * nranges, nevents, nversions, naliases) only ever cover zeroed or fully
 * owned slots, so on any failure the owner's advisory_release() or
 * affected_release() frees exactly what was built. Field paths for error
 * messages are kept as a chain of struct jpath on the stack and rendered
 * only when an error is reported, so the common path costs nothing.
 *
 * This file does not check what the values mean (timestamps, version
 * syntax, that a range has an "introduced" event): that is for the
 * matcher and the store.
 */
#include "feed/osv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jpath.h"

/*
 * Ceilings on one record. Real records are far below them (the largest of
 * the Debian and AlmaLinux feeds has 516 affected entries, 41 versions in
 * one entry and 6 events in one range); they exist so that a hostile
 * record fails with a clear message instead of exhausting memory.
 */
#define OSV_AFFECTED_MAX 10000u
#define OSV_RANGES_MAX 10000u
#define OSV_EVENTS_MAX 100000u
#define OSV_VERSIONS_MAX 1000000u
#define OSV_ALIASES_MAX 100000u
#define OSV_SEVERITIES_MAX 10000u
#define OSV_STRING_MAX (64u << 10)

/* Longest piece of record text (an id, a range type) quoted in an error. */
#define QUOTE_MAX 48

/* Sets "<path>: <what>" and returns code. */
__attribute__((format(printf, 4, 5)))
static int fail(struct err *e, int code, const struct jpath *p, const char *fmt, ...)
{
	char where[256], what[512];
	va_list ap;

	jpath_render(p, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err_set(e, code, "%s: %s", where, what);
	return code;
}

/*
 * Copies record text for an error message: printable ASCII only, at most
 * n - 4 bytes then "...", so that a hostile record can put neither
 * terminal escapes nor a megabyte into the one log line that reports it.
 */
static const char *printable(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 4 < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i] && n >= 4) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* Checks that v is a string hfx can keep: bounded, without NUL bytes. */
static int check_string(const json_t *v, const struct jpath *p, const char *what,
			struct err *e)
{
	size_t len;

	if (!json_is_string(v))
		return fail(e, ERR_INPUT, p, "%s", what);
	len = json_string_length(v);
	if (len > OSV_STRING_MAX)
		return fail(e, ERR_INPUT, p, "string of %zu bytes, longer than the limit of %u",
			    len, OSV_STRING_MAX);
	/* jansson rejects \u0000 when parsing, but a caller's tree may hold one. */
	if (memchr(json_string_value(v), '\0', len))
		return fail(e, ERR_INPUT, p, "string contains a NUL byte");
	return 0;
}

static int take_string(const json_t *v, const struct jpath *p, const char *what,
		       char **ret, struct err *e)
{
	size_t len;
	char *copy;
	int r;

	r = check_string(v, p, what, e);
	if (r)
		return r;
	len = json_string_length(v);
	copy = malloc(len + 1);
	if (!copy)
		return fail(e, ERR_NOMEM, p, "out of memory");
	memcpy(copy, json_string_value(v), len);
	copy[len] = '\0';
	*ret = copy;
	return 0;
}

/* obj[key] as a string; an absent optional field leaves *ret NULL. */
static int field_string(const json_t *obj, const char *key, bool required,
			const struct jpath *up, char **ret, struct err *e)
{
	struct jpath p = { up, key, 0 };
	const json_t *v = json_object_get(obj, key);

	if (!v && !required)
		return 0;
	return take_string(v, &p, required ? "missing or not a string" : "not a string",
			   ret, e);
}

/* Checks that v is an array of at most max elements. */
static int check_array(const json_t *v, const struct jpath *p, size_t max,
		       const char *what, struct err *e)
{
	if (!json_is_array(v))
		return fail(e, ERR_INPUT, p, "not an array");
	if (json_array_size(v) > max)
		return fail(e, ERR_INPUT, p, "%zu %s, more than the limit of %zu",
			    json_array_size(v), what, max);
	return 0;
}

/* An optional array of strings (the affected entry's "versions"). */
static int parse_strings(const json_t *arr, const struct jpath *p, size_t max,
			 char ***v, size_t *n, struct err *e)
{
	size_t count;
	int r;

	if (!arr)
		return 0;
	r = check_array(arr, p, max, "strings", e);
	if (r)
		return r;
	count = json_array_size(arr);
	if (count && !(*v = calloc(count, sizeof(**v))))
		return fail(e, ERR_NOMEM, p, "out of memory");
	for (size_t i = 0; !r && i < count; i++) {
		struct jpath ip = { p, NULL, i };

		r = take_string(json_array_get(arr, i), &ip, "not a string", &(*v)[i], e);
		if (!r)
			(*n)++;
	}
	return r;
}

static int parse_event(const json_t *v, const struct jpath *p, struct osv_event *ev,
		       struct err *e)
{
	const json_t *found = NULL;
	int kind = EVENT_INTRODUCED, nfound = 0;
	struct jpath vp = { p, NULL, 0 };

	if (!json_is_object(v))
		return fail(e, ERR_INPUT, p, "not an object");
	/* Other keys (a future "database_specific") are ignored. */
	for (int k = EVENT_INTRODUCED; k <= EVENT_LIMIT; k++) {
		const json_t *x = json_object_get(v, osv_event_kind_name(k));

		if (x) {
			found = x;
			kind = k;
			nfound++;
		}
	}
	if (nfound != 1)
		return fail(e, ERR_INPUT, p,
			    "expected exactly one of introduced, fixed, last_affected, limit");
	vp.key = osv_event_kind_name(kind);
	ev->kind = kind;
	ev->len = json_string_length(found); /* as affected_sort() sets it */
	return take_string(found, &vp, "not a string", &ev->version, e);
}

static int parse_range_type(const json_t *v, const struct jpath *p,
			    enum osv_range_type *ret, struct err *e)
{
	char quoted[QUOTE_MAX];
	size_t len;
	int r;

	r = check_string(v, p, "missing or not a string", e);
	if (r)
		return r;
	len = json_string_length(v);
	for (int t = RANGE_ECOSYSTEM; t <= RANGE_GIT; t++) {
		const char *name = osv_range_type_name(t);

		if (len == strlen(name) && !memcmp(json_string_value(v), name, len)) {
			*ret = t;
			return 0;
		}
	}
	return fail(e, ERR_INPUT, p, "unknown range type '%s'",
		    printable(json_string_value(v), quoted, sizeof(quoted)));
}

static int parse_range(const json_t *v, const struct jpath *p, struct osv_range *rg,
		       struct err *e)
{
	struct jpath tp = { p, "type", 0 }, ep = { p, "events", 0 };
	const json_t *events;
	size_t count;
	int r;

	if (!json_is_object(v))
		return fail(e, ERR_INPUT, p, "not an object");
	r = parse_range_type(json_object_get(v, "type"), &tp, &rg->type, e);
	if (r)
		return r;
	events = json_object_get(v, "events");
	if (!events)
		return fail(e, ERR_INPUT, &ep, "missing");
	r = check_array(events, &ep, OSV_EVENTS_MAX, "events", e);
	if (r)
		return r;
	count = json_array_size(events);
	if (!count)
		return fail(e, ERR_INPUT, &ep, "empty: a range needs at least one event");
	rg->events = calloc(count, sizeof(*rg->events));
	if (!rg->events)
		return fail(e, ERR_NOMEM, &ep, "out of memory");
	for (size_t i = 0; !r && i < count; i++) {
		struct jpath ip = { &ep, NULL, i };

		rg->nevents++;
		r = parse_event(json_array_get(events, i), &ip, &rg->events[i], e);
	}
	return r;
}

/* The ranges of an affected entry, or of a stored encoding of one. */
static int parse_ranges(const json_t *arr, const struct jpath *p, struct affected *af,
			struct err *e)
{
	size_t count;
	int r;

	if (!arr)
		return 0;
	r = check_array(arr, p, OSV_RANGES_MAX, "ranges", e);
	if (r)
		return r;
	count = json_array_size(arr);
	if (count && !(af->ranges = calloc(count, sizeof(*af->ranges))))
		return fail(e, ERR_NOMEM, p, "out of memory");
	for (size_t i = 0; !r && i < count; i++) {
		struct jpath ip = { p, NULL, i };

		af->nranges++;
		r = parse_range(json_array_get(arr, i), &ip, &af->ranges[i], e);
	}
	return r;
}

/*
 * The schema requires ecosystem and name whenever a package is given; an
 * entry without one (GIT ranges only) is kept with both NULL.
 */
static int parse_package(const json_t *v, const struct jpath *p, struct affected *af,
			 struct err *e)
{
	int r;

	if (!v)
		return 0;
	if (!json_is_object(v))
		return fail(e, ERR_INPUT, p, "not an object");
	r = field_string(v, "ecosystem", true, p, &af->ecosystem, e);
	if (!r)
		r = field_string(v, "name", true, p, &af->package, e);
	if (!r)
		r = field_string(v, "purl", false, p, &af->purl, e);
	return r;
}

static int parse_affected(const json_t *v, const struct jpath *p, struct affected *af,
			  struct err *e)
{
	struct jpath pp = { p, "package", 0 }, rp = { p, "ranges", 0 };
	struct jpath vp = { p, "versions", 0 };
	int r;

	if (!json_is_object(v))
		return fail(e, ERR_INPUT, p, "not an object");
	r = parse_package(json_object_get(v, "package"), &pp, af, e);
	if (!r)
		r = parse_ranges(json_object_get(v, "ranges"), &rp, af, e);
	if (!r)
		r = parse_strings(json_object_get(v, "versions"), &vp, OSV_VERSIONS_MAX,
				  &af->versions, &af->nversions, e);
	return r;
}

static int parse_affected_list(const json_t *root, struct advisory *a, struct err *e)
{
	struct jpath p = { NULL, "affected", 0 };
	const json_t *arr = json_object_get(root, "affected");
	size_t count;
	int r;

	/* The schema allows "affected": null, meaning none. */
	if (!arr || json_is_null(arr))
		return 0;
	r = check_array(arr, &p, OSV_AFFECTED_MAX, "entries", e);
	if (r)
		return r;
	count = json_array_size(arr);
	if (count && !(a->affected = calloc(count, sizeof(*a->affected))))
		return fail(e, ERR_NOMEM, &p, "out of memory");
	for (size_t i = 0; !r && i < count; i++) {
		struct jpath ip = { &p, NULL, i };

		a->naffected++;
		r = parse_affected(json_array_get(arr, i), &ip, &a->affected[i], e);
	}
	return r;
}

static const char *const alias_keys[] = { "aliases", "upstream", "related" };

/* Checks the three alias arrays and returns their total size in *ret. */
static int count_aliases(const json_t *root, size_t *ret, struct err *e)
{
	size_t total = 0;
	int r;

	for (size_t k = 0; k < sizeof(alias_keys) / sizeof(alias_keys[0]); k++) {
		struct jpath p = { NULL, alias_keys[k], 0 };
		const json_t *arr = json_object_get(root, alias_keys[k]);

		/* The schema allows "aliases": null (but not the other two). */
		if (!arr || (k == 0 && json_is_null(arr)))
			continue;
		r = check_array(arr, &p, OSV_ALIASES_MAX, "aliases", e);
		if (r)
			return r;
		total += json_array_size(arr);
		if (total > OSV_ALIASES_MAX)
			return fail(e, ERR_INPUT, &p, "more than %u aliases in all",
				    OSV_ALIASES_MAX);
	}
	*ret = total;
	return 0;
}

/*
 * aliases, then upstream, then related, each alias kept once at its first
 * place. A jansson object serves as the set of those seen: its hash table
 * is seeded at random, so a record cannot make the deduplication quadratic.
 */
static int parse_aliases(const json_t *root, struct advisory *a, struct err *e)
{
	struct jpath p = { NULL, "aliases", 0 };
	json_t *seen = NULL;
	size_t total = 0;
	int r;

	r = count_aliases(root, &total, e);
	if (r || !total)
		return r;
	a->aliases = calloc(total, sizeof(*a->aliases));
	seen = json_object();
	if (!a->aliases || !seen) {
		r = fail(e, ERR_NOMEM, &p, "out of memory");
		goto out;
	}
	for (size_t k = 0; !r && k < sizeof(alias_keys) / sizeof(alias_keys[0]); k++) {
		const json_t *arr = json_object_get(root, alias_keys[k]);

		p.key = alias_keys[k];
		for (size_t i = 0; !r && i < json_array_size(arr); i++) {
			struct jpath ip = { &p, NULL, i };
			const json_t *v = json_array_get(arr, i);

			r = check_string(v, &ip, "not a string", e);
			if (r)
				break;
			if (json_object_get(seen, json_string_value(v)))
				continue;
			/* _nocheck: a caller's tree need not be valid UTF-8. */
			if (json_object_set_new_nocheck(seen, json_string_value(v), json_null()))
				r = fail(e, ERR_NOMEM, &ip, "out of memory");
			else
				r = take_string(v, &ip, "not a string",
						&a->aliases[a->naliases], e);
			if (!r)
				a->naliases++;
		}
	}
out:
	json_decref(seen);
	return r;
}

/* Appends the entries of one "severity" list (absent or null: none). */
static int parse_severity_list(const json_t *arr, const struct jpath *p, long affected,
			       struct advisory *a, struct err *e)
{
	struct osv_severity *grown;
	size_t count;
	int r;

	if (!arr || json_is_null(arr))
		return 0;
	r = check_array(arr, p, OSV_SEVERITIES_MAX - a->nseverities, "severity entries", e);
	if (r)
		return r;
	count = json_array_size(arr);
	if (!count)
		return 0;
	grown = realloc(a->severities, (a->nseverities + count) * sizeof(*grown));
	if (!grown)
		return fail(e, ERR_NOMEM, p, "out of memory");
	a->severities = grown;
	for (size_t i = 0; !r && i < count; i++) {
		struct jpath ip = { p, NULL, i };
		const json_t *v = json_array_get(arr, i);
		struct osv_severity *sv = &a->severities[a->nseverities];

		if (!json_is_object(v))
			return fail(e, ERR_INPUT, &ip, "not an object");
		*sv = (struct osv_severity){ .affected = affected };
		a->nseverities++;
		r = field_string(v, "type", true, &ip, &sv->type, e);
		if (!r)
			r = field_string(v, "score", true, &ip, &sv->score, e);
	}
	return r;
}

/* A rating word worth keeping: short printable ASCII ("HIGH", "Important"). */
static bool is_rating(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	if (!s || !len || len > QUOTE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/*
 * The record's severity list, then each affected entry's; and the
 * distribution's own rating, database_specific.severity of the record or
 * else of the first affected entry that has one. database_specific is
 * free-form, so a rating that is not a string is not one.
 */
static int parse_severities(const json_t *root, struct advisory *a, struct err *e)
{
	struct jpath p = { NULL, "severity", 0 }, ap = { NULL, "affected", 0 };
	const json_t *arr = json_object_get(root, "affected");
	const json_t *rating = json_object_get(json_object_get(root, "database_specific"),
					       "severity");
	int r;

	r = parse_severity_list(json_object_get(root, "severity"), &p, -1, a, e);
	for (size_t i = 0; !r && i < a->naffected; i++) {
		const json_t *af = json_array_get(arr, i);
		struct jpath ip = { &ap, NULL, i }, sp = { &ip, "severity", 0 };

		r = parse_severity_list(json_object_get(af, "severity"), &sp, (long)i, a, e);
		if (!rating)
			rating = json_object_get(json_object_get(af, "database_specific"),
						 "severity");
	}
	if (!r && is_rating(rating)) {
		a->rating = strdup(json_string_value(rating));
		if (!a->rating)
			r = fail(e, ERR_NOMEM, &p, "out of memory");
	}
	return r;
}

static int parse_record(const json_t *root, struct advisory *a, struct err *e)
{
	int r;

	r = field_string(root, "modified", true, NULL, &a->modified, e);
	if (!r)
		r = field_string(root, "published", false, NULL, &a->published, e);
	if (!r)
		r = field_string(root, "withdrawn", false, NULL, &a->withdrawn, e);
	if (!r)
		r = field_string(root, "summary", false, NULL, &a->summary, e);
	if (!r)
		r = parse_aliases(root, a, e);
	if (!r)
		r = parse_affected_list(root, a, e);
	if (!r)
		r = parse_severities(root, a, e);
	return r;
}

int osv_parse_json(const json_t *root, struct advisory *ret, struct err *e)
{
	struct jpath idp = { NULL, "id", 0 };
	struct advisory a = { 0 };
	char quoted[QUOTE_MAX];
	int r;

	if (!json_is_object(root))
		return err_set(e, ERR_INPUT, "record: not a JSON object");
	r = field_string(root, "id", true, NULL, &a.id, e);
	if (!r && !a.id[0])
		r = fail(e, ERR_INPUT, &idp, "empty");
	if (!r)
		r = parse_record(root, &a, e);
	if (r) {
		err_prefix(e, r, "%s", a.id && a.id[0] ?
			   printable(a.id, quoted, sizeof(quoted)) : "record");
		advisory_release(&a);
		return r;
	}
	*ret = a;
	return 0;
}

/* Reports a jansson load error as "line L column C: text". */
static int load_error(const json_error_t *jerr, struct err *e)
{
	char text[sizeof(jerr->text)];
	int code = ERR_INPUT;

	if (json_error_code(jerr) == json_error_out_of_memory)
		code = ERR_NOMEM;
	return err_set(e, code, "line %d column %d: %s", jerr->line, jerr->column,
		       printable(jerr->text, text, sizeof(text)));
}

int osv_parse(const char *data, size_t len, struct advisory *ret,
	      char **ret_canonical, struct err *e)
{
	struct advisory a = { 0 };
	json_error_t jerr;
	json_t *root = NULL;
	char *canonical = NULL;
	char quoted[QUOTE_MAX];
	int r = 0;

	if (len > OSV_RECORD_MAX)
		return err_set(e, ERR_INPUT, "record: %zu bytes, more than the limit of %u",
			       len, OSV_RECORD_MAX);
	/* Without JSON_DISABLE_EOF_CHECK, trailing garbage is an error too. */
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return load_error(&jerr, e);
	r = osv_parse_json(root, &a, e);
	if (r)
		goto out;
	if (ret_canonical) {
		canonical = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
		if (!canonical) {
			r = err_set(e, ERR_NOMEM, "%s: cannot encode the canonical JSON",
				    printable(a.id, quoted, sizeof(quoted)));
			goto out;
		}
		*ret_canonical = canonical;
		canonical = NULL;
	}
	*ret = a;
	a = (struct advisory){ 0 };
out:
	advisory_release(&a);
	free(canonical);
	json_decref(root);
	return r;
}

static json_t *event_to_json(const struct osv_event *ev)
{
	json_t *o = NULL;

	if ((unsigned)ev->kind > EVENT_LIMIT || !ev->version)
		return NULL;
	o = json_object();
	if (o && json_object_set_new(o, osv_event_kind_name(ev->kind),
				     json_string(ev->version))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *range_to_json(const struct osv_range *rg)
{
	json_t *o = NULL, *events = NULL;

	if ((unsigned)rg->type > RANGE_GIT)
		return NULL;
	o = json_object();
	events = json_array();
	if (!o || !events)
		goto fail;
	for (size_t i = 0; i < rg->nevents; i++)
		if (json_array_append_new(events, event_to_json(&rg->events[i])))
			goto fail;
	if (json_object_set_new(o, "type", json_string(osv_range_type_name(rg->type))) ||
	    json_object_set(o, "events", events))
		goto fail;
	json_decref(events);
	return o;
fail:
	json_decref(events);
	json_decref(o);
	return NULL;
}

/*
 * Both keys are always written, so that the stored form of an entry does
 * not depend on a choice made here; decode accepts either missing.
 * Returns NULL on allocation failure or on strings that are not UTF-8
 * (impossible for entries osv_parse() built).
 */
char *osv_affected_encode(const struct affected *af)
{
	json_t *root = NULL, *ranges = NULL, *versions = NULL;
	char *out = NULL;

	root = json_object();
	ranges = json_array();
	versions = json_array();
	if (!root || !ranges || !versions)
		goto out;
	for (size_t i = 0; i < af->nranges; i++)
		if (json_array_append_new(ranges, range_to_json(&af->ranges[i])))
			goto out;
	for (size_t i = 0; i < af->nversions; i++)
		if (!af->versions[i] ||
		    json_array_append_new(versions, json_string(af->versions[i])))
			goto out;
	if (json_object_set(root, "ranges", ranges) ||
	    json_object_set(root, "versions", versions))
		goto out;
	out = json_dumps(root, JSON_COMPACT);
out:
	json_decref(versions);
	json_decref(ranges);
	json_decref(root);
	return out;
}

int osv_affected_decode(const char *json, struct affected *ret, struct err *e)
{
	struct jpath rp = { NULL, "ranges", 0 }, vp = { NULL, "versions", 0 };
	struct affected af = { 0 };
	json_error_t jerr;
	json_t *root = NULL;
	size_t len;
	int r = 0;

	if (!json)
		return err_set(e, ERR_INPUT, "stored affected entry: missing");
	len = strnlen(json, (size_t)OSV_RECORD_MAX + 1);
	if (len > OSV_RECORD_MAX) {
		r = err_set(e, ERR_INPUT, "more than %u bytes", OSV_RECORD_MAX);
		goto out;
	}
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		r = load_error(&jerr, e);
	else if (!json_is_object(root))
		r = err_set(e, ERR_INPUT, "not a JSON object");
	if (!r)
		r = parse_ranges(json_object_get(root, "ranges"), &rp, &af, e);
	if (!r)
		r = parse_strings(json_object_get(root, "versions"), &vp, OSV_VERSIONS_MAX,
				  &af.versions, &af.nversions, e);
	if (!r) {
		*ret = af;
		af = (struct affected){ 0 };
	}
out:
	if (r)
		err_prefix(e, r, "stored affected entry");
	affected_release(&af);
	json_decref(root);
	return r;
}
