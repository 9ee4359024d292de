/*
 * Internal to the policy module: the tables of sections and keys, and the
 * kinds of values, shared by policy.c (tables, defaults, parsing, lookups)
 * and policy_text.c (canonical text, digest, reference). Other modules use
 * core/policy.h.
 *
 * A key is one row of policy_keys: its section, name, kind of value, where
 * it lives, its default (as written in a file) and its meaning. A section
 * is one row of policy_sections. A plain section ([due]) keeps its keys in
 * struct policy itself. A named section ([group "web"]) keeps them in one
 * "instance" per NAME, an element of an array in struct policy, found by
 * the row's description of that array: either a list the file fills
 * (groups, rules: a count, a maximum, the name as the element's first
 * member, sorted by name after parsing) or a fixed set of names (the
 * quorum's actions: instance i is names[i], always present). Adding a kind
 * of named section is one row here plus its struct and array.
 */
#ifndef HFX_CORE_POLICY_TABLE_H
#define HFX_CORE_POLICY_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/policy.h"

/* Room for any value as text: a list of names (16 of 63 bytes, and
 * ", " between them: 1038), a name (63), a priority list (41), a list of
 * URLs or addresses (POLICY_LIST_MAX). */
#define VALUE_TEXT_MAX 1040

enum kind {
	KIND_DAYS,       /* int, 0 to POLICY_DAYS_MAX */
	KIND_TERM,       /* int, 1 to POLICY_DAYS_MAX */
	KIND_FRACTION,   /* double, 0 to 1 */
	KIND_BOOL,       /* bool */
	KIND_EXPOSURE,   /* enum ssvc_exposure */
	KIND_IMPACT,     /* enum ssvc_impact */
	KIND_QUORUM,     /* int, 1 to POLICY_QUORUM_MAX */
	KIND_PRIORITIES, /* bool[4] by enum ssvc_priority, at least one set */
	KIND_NAME,       /* char[POLICY_NAME_MAX + 1], "" for any */
	KIND_SOME_NAME,  /* char[POLICY_NAME_MAX + 1], not "" */
	KIND_COMMAND,    /* char[POLICY_COMMAND_MAX + 1], "" for none */
	KIND_NAMES,      /* struct names_value: 1 to POLICY_RINGS_MAX different names */
	KIND_MINUTES,    /* int, 0 to 1440 (a day) */
	KIND_HOURS,      /* int, 0 to 8760 (a year) */
	KIND_COUNT,      /* int, 0 to 100000 */
	KIND_LIMIT,      /* struct policy_limit */
	KIND_TIME,       /* int64_t, seconds since the epoch, UTC */
	KIND_URLS,       /* char[POLICY_LIST_MAX + 1]: http(s) URLs, "" for none */
	KIND_HOST,       /* char[POLICY_HOST_MAX + 1]: a host name or address, "" for none */
	KIND_PORT,       /* int, 1 to 65535 */
	KIND_TLS,        /* enum policy_tls */
	KIND_LOGIN,      /* char[POLICY_ADDRESS_MAX + 1]: a user name, "" for none */
	KIND_PATH,       /* char[POLICY_PATH_MAX + 1]: an absolute file name, "" for none */
	KIND_ADDRESS,    /* char[POLICY_ADDRESS_MAX + 1]: an e-mail address, "" for none */
	KIND_ADDRESSES,  /* char[POLICY_LIST_MAX + 1]: e-mail addresses, "" for none */
	KIND_PRIORITY,   /* int, enum ssvc_priority */
};

/*
 * A kind of whole number (an int field) has parse NULL, a range from min
 * to max that a key may narrow (key_def.range), and expected names the
 * unit ("whole days"): messages and the reference say "whole days, 1 to
 * 365" (policy_expected()). Any other kind has its own parse, and min and
 * max 0.
 */
struct kind_def {
	const char *what;     /* "'x' is not <what>" */
	const char *expected; /* in messages and in the reference */
	int (*parse)(const char *s, void *field); /* 0, or -1 leaving the field */
	void (*format)(const void *field, char out[VALUE_TEXT_MAX]);
	int min, max;
};

/*
 * The field of KIND_NAMES: the names, then their count. In struct policy
 * it is two members, rings and nrings, laid out the same way (policy.c
 * checks), so the kind reads and writes the count with memcpy at
 * NAMES_COUNT_AT rather than through this type.
 */
struct names_value {
	char name[POLICY_RINGS_MAX][POLICY_NAME_MAX + 1];
	size_t n;
};
#define NAMES_COUNT_AT sizeof(((struct names_value *)0)->name)
_Static_assert(offsetof(struct names_value, n) == NAMES_COUNT_AT, "names, then their count");

/* Scratch room for the field of any kind. */
union policy_value {
	int i;
	int64_t t;
	double d;
	bool b;
	enum ssvc_exposure x;
	enum ssvc_impact m;
	bool priority[4];
	char name[POLICY_NAME_MAX + 1];
	char command[POLICY_COMMAND_MAX + 1];
	struct names_value names;
	struct policy_limit limit;
	enum policy_tls tls;
	char text[POLICY_LIST_MAX + 1];
};

struct section_def {
	const char *name;
	/* "NAME" in [group "NAME"]; NULL for a plain section, whose keys live
	 * in struct policy. The rest is for named sections only. */
	const char *placeholder;
	const char *help;
	size_t array;  /* offset in struct policy of the first instance */
	size_t size;   /* of one instance */
	size_t max;    /* instances at most */
	/* A fixed set: the NULL-terminated allowed names, instance i being
	 * names[i]; item names one in messages ("unknown action"). */
	const char *const *names;
	/* A list: offset in struct policy of its size_t count; the instance
	 * starts with its char[POLICY_NAME_MAX + 1] name; items names the
	 * instances in messages ("more than 256 groups"). */
	size_t count;
	const char *item, *items;
	/* Left out of the canonical text and the digest: settings that change
	 * no rank or plan (where notices go), and may hold secrets. */
	bool outside_digest;
};

/* In inherit: the key has no default, and each instance must set it. */
#define REQUIRED SIZE_MAX

/* A narrower range for a kind of whole number; OWN_RANGE: the kind's own. */
struct key_range {
	int min, max;
};
#define OWN_RANGE { 0, 0 }

struct key_def {
	const char *section;
	const char *name;
	enum kind kind;
	struct key_range range;
	size_t offset;   /* in struct policy, or in one instance of a named section */
	/* The default as written in a file. NULL: none; then inherit is either
	 * REQUIRED, or the offset in struct policy of the int whose value is
	 * used while this int is unset (-1): a group's days use [due]'s. */
	const char *def;
	size_t inherit;
	const char *help;
};

/* A default that differs for one instance of a named section. */
struct default_def {
	const char *section, *instance, *key, *def;
};

/* At most this many keys in all (checked in policy.c). */
#define POLICY_KEYS_MAX 64

extern const struct kind_def policy_kinds[];
extern const struct section_def policy_sections[];
extern const size_t policy_nsections;
extern const struct key_def policy_keys[];
extern const size_t policy_nkeys;
extern const struct default_def policy_default_defs[];
extern const size_t policy_ndefault_defs;

const struct section_def *policy_section_find(const char *name);
const struct section_def *policy_key_section(const struct key_def *k);

/* How many instances a named section has in p (clamped to its max, as p
 * may have been built by hand); its i-th instance, and that one's name. */
size_t policy_instance_count(const struct section_def *sec, const struct policy *p);
const void *policy_instance_at(const struct section_def *sec, const struct policy *p,
			       size_t i);
const char *policy_instance_name(const struct section_def *sec, const struct policy *p,
				 size_t i);

/* The default of key k (of section sec) for the instance named instance
 * (NULL in a plain section), as written in a file; NULL when it has none. */
const char *policy_key_default(const struct section_def *sec, const char *instance,
			       const struct key_def *k);

/*
 * Reads the value s of key k into field: its kind's parse, within the
 * key's range. Returns 0, or -1 leaving the field as it was. Every value,
 * defaults included, is read through it.
 */
int policy_value_parse(const struct key_def *k, const char *s, void *field);

/* What key k accepts, for messages and the reference: "whole days, 0 to
 * 3650", "yes or no (...)". */
void policy_expected(const struct key_def *k, char *out, size_t size);

/* Adds item, the idx-th of n, to the list "a, b or c" at out + *o. */
void policy_list_add(char *out, size_t size, size_t *o, size_t idx, size_t n,
		     const char *item);
/* The NULL-terminated names as the list "a, b or c". */
void policy_name_list(const char *const *names, char *out, size_t size);

#endif
