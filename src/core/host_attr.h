/*
 * A host's context, as the administrator sets it with `hfx host set`:
 * where it is reachable from, how much its loss would hurt, and how it is
 * grouped for policy, rollout and decisions. One table of keys (name,
 * allowed values, help), from which validation, `hfx host set --help` and
 * docs/POLICY.md's host section come. Pure logic.
 */
#ifndef HFX_CORE_HOST_ATTR_H
#define HFX_CORE_HOST_ATTR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum host_attr {
	HOST_ATTR_EXPOSURE,     /* internet, dmz, internal, isolated */
	HOST_ATTR_CRITICALITY,  /* low, medium, high, critical */
	HOST_ATTR_GROUP,        /* a name: policy overrides, rollout limits */
	HOST_ATTR_RING,         /* a name: rollout order (test, pilot, broad) */
	HOST_ATTR_TAGS,         /* "pci,role=db": KEY or KEY=VALUE, comma-separated */
	HOST_ATTR_WINDOW,       /* "sat 02:00-06:00, wed 22:00-01:00" (core/window.h) */
	HOST_ATTR_TZ,           /* the IANA time zone of the windows: "Europe/Berlin" */
	HOST_ATTR_TRANSPORT,    /* how deploy reaches it: local, chroot:DIR, ssh:[USER@]HOST[:PORT] */
	HOST_ATTR_N
};

#define HOST_ATTR_NAME_MAX 63      /* a group, a ring, a tag key or value */
#define HOST_ATTR_VALUE_MAX 255    /* any value, tags included */
#define HOST_ATTR_TAGS_MAX 16

/* Attributes to change: set[i] says whether value[i] is given; "" clears. */
struct host_attrs {
	bool set[HOST_ATTR_N];
	char value[HOST_ATTR_N][HOST_ATTR_VALUE_MAX + 1];
};

struct host_attr_info {
	const char *name;    /* "exposure" */
	const char *values;  /* "internet|dmz|internal|isolated", or a description */
	const char *help;    /* one line, with the default when unset */
};

const struct host_attr_info *host_attr_info(enum host_attr a);

/* The attribute named name[0..len); -1 when there is none. */
int host_attr_lookup(const char *name, size_t len);

/*
 * Validates value[0..len) for attribute a and stores its canonical form
 * in attrs (tags sorted by key, each key once). Returns 0, or ERR_INPUT
 * naming the attribute and the bad value.
 */
int host_attr_set(struct host_attrs *attrs, enum host_attr a, const char *value, size_t len,
		  struct err *e);

/* Parses "key=value" (an argument of `hfx host set`) into attrs. */
int host_attr_parse(struct host_attrs *attrs, const char *kv, size_t len, struct err *e);

#endif
