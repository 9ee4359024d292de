/*
 * The advisory model: what hfx knows of one OSV record, independent of
 * where it came from. Parsed by feed/osv.c, evaluated by core/match.c.
 * Everything is owned by the struct and freed by advisory_release().
 */
#ifndef HFX_CORE_ADVISORY_H
#define HFX_CORE_ADVISORY_H

#include <stdbool.h>
#include <stddef.h>

enum osv_event_kind {
	EVENT_INTRODUCED,
	EVENT_FIXED,
	EVENT_LAST_AFFECTED,
	EVENT_LIMIT,
};

struct osv_event {
	enum osv_event_kind kind;
	char *version;
	size_t len; /* of version; set by affected_sort() for the matcher */
};

enum osv_range_type {
	RANGE_ECOSYSTEM,
	RANGE_SEMVER,
	RANGE_GIT, /* commit hashes: never matched against package versions */
};

struct osv_range {
	enum osv_range_type type;
	size_t nevents;
	struct osv_event *events;
};

struct affected {
	char *ecosystem; /* exact OSV string, e.g. "Debian:12" */
	char *package;   /* source or binary name, as the ecosystem keys it */
	char *purl;      /* may be NULL */
	size_t nranges;
	struct osv_range *ranges;
	size_t nversions;
	char **versions;
};

/* One entry of an OSV "severity" list, as written. */
struct osv_severity {
	char *type;     /* "CVSS_V3", "CVSS_V4", "CVSS_V2", "Ubuntu", ... */
	char *score;    /* a vector, or a rating word for other types */
	long affected;  /* the affected entry it came from; -1: the record */
};

struct advisory {
	char *id;
	char *modified;  /* RFC 3339, as in the record */
	char *published; /* may be NULL */
	char *withdrawn; /* NULL unless withdrawn */
	char *summary;   /* may be NULL */
	size_t naliases; /* aliases, then upstream, then related, deduplicated */
	char **aliases;
	size_t naffected;
	struct affected *affected;
	size_t nseverities; /* the record's, then each affected entry's */
	struct osv_severity *severities;
	char *rating;       /* the distribution's own: database_specific.severity */
};

void advisory_release(struct advisory *a);
void affected_release(struct affected *af);

const char *osv_event_kind_name(enum osv_event_kind kind);
const char *osv_range_type_name(enum osv_range_type type);

#endif
