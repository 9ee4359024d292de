/*
 * What a VEX export reads (vex/vex.h, docs/VEX.md): the advisories that
 * have findings, with their CVE aliases, and one row per binary package of
 * every open finding and of every fixed one. Two queries in all, however
 * large the fleet: the export never asks per row.
 */
#ifndef HFX_STORE_VEX_STORE_H
#define HFX_STORE_VEX_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

/* An advisory with at least one finding, open or resolved. */
struct vex_advisory_row {
	sqlite3_int64 id;
	const char *name;    /* the OSV id */
	const char *aliases; /* its CVE aliases, sorted, space-separated; "" none */
	const char *summary; /* of its current revision; NULL none */
};

typedef int (*vex_advisory_cb)(const struct vex_advisory_row *row, void *ctx, struct err *e);

/* Every advisory with a finding, by id. */
int vex_advisories(struct store *s, vex_advisory_cb cb, void *ctx, struct err *e);

/*
 * One binary package of a finding. For an open finding, the binaries
 * built from the source (or the binary) at the finding's version; for a
 * fixed one, the binaries built from that package now installed, at
 * whatever version they have.
 */
struct vex_row {
	sqlite3_int64 host_id, advisory_id;
	const char *host, *os_id, *os_version;
	const char *name, *arch, *version; /* the binary package as installed */
	const char *package;               /* as the advisory names it (the source for Debian) */
	const char *fixed_version;         /* NULL: none known */
	bool fixed;                        /* else open */
	int priority;                      /* enum ssvc_priority; -1: not ranked */
};

typedef int (*vex_row_cb)(const struct vex_row *row, void *ctx, struct err *e);

/*
 * The rows of the open findings and of the fixed ones, ordered by host
 * name, package name, version and architecture, so that the rows of one
 * binary package on one host are adjacent. A finding counts as fixed
 * when it is resolved and its host has no open finding of the same
 * advisory on the same package (as the advisory names it); of several
 * such resolved findings, the latest resolved gives the fixed version.
 */
int vex_rows(struct store *s, vex_row_cb cb, void *ctx, struct err *e);

#endif
