/*
 * Hosts and their installed packages. An import or collection replaces a
 * host's whole package list in one transaction, so a scan always sees one
 * consistent inventory.
 */
#ifndef HFX_STORE_HOST_STORE_H
#define HFX_STORE_HOST_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "core/host_attr.h"
#include "store/store.h"

#define HOST_NAME_MAX_LEN 253

struct host {
	sqlite3_int64 id;
	char name[HOST_NAME_MAX_LEN + 1];
	char os_id[64], os_version[64], ecosystem[96];
	char arch[64], kernel[256];
	char source[512];
	char updated_at[32], scanned_at[32];
	sqlite3_int64 inventory_gen; /* bumped by every inventory import */
	char scan_key[64];           /* what the last scan saw; see scan.c */
	long packages; /* count, filled by host_get and host_list */
	long kbs;      /* Windows updates installed, likewise */
	long fixable, no_fix; /* open findings after the last scan */
	/* Its context (core/host_attr.h); "" where not set. */
	char attr[HOST_ATTR_N][HOST_ATTR_VALUE_MAX + 1];
};

/* One installed package; strings with explicit lengths (parser memory). */
struct host_pkg {
	const char *name; size_t name_len;
	const char *version; size_t version_len;
	const char *arch; size_t arch_len;
	const char *source; size_t source_len;
	const char *source_version; size_t source_version_len;
};

/* True when name is a usable host name: 1-253 bytes of [A-Za-z0-9._-]. */
bool host_name_valid(const char *name);

struct host_writer {
	struct store *s;
	sqlite3_stmt *put, *put_kb;
	sqlite3_int64 host_id;
	long count, kbs;
};

/* Creates or updates h (by name) and empties its package list; must run in
 * a transaction. Then host_writer_add() each package. */
int host_writer_begin(struct host_writer *w, struct store *s, const struct host *h,
		      struct err *e);
int host_writer_add(struct host_writer *w, const struct host_pkg *p, struct err *e);
/* Records a Windows update ("KB5034441") installed on the host. */
int host_writer_add_kb(struct host_writer *w, const char *kb, size_t len, struct err *e);
void host_writer_release(struct host_writer *w);

typedef int (*host_kb_cb)(const char *kb, void *ctx, struct err *e);
/* Calls cb for each Windows update recorded for a host, in order. */
int host_kb_list(struct store *s, sqlite3_int64 host_id, host_kb_cb cb, void *ctx,
		 struct err *e);

/* Looks a host up by name; ERR_INPUT "no host named 'x'" when absent. */
int host_get(struct store *s, const char *name, struct host *ret, struct err *e);

typedef int (*host_cb)(const struct host *h, void *ctx, struct err *e);
/* Calls cb for every host, by name. */
int host_list(struct store *s, host_cb cb, void *ctx, struct err *e);

/* Removes a host with its packages and findings. */
int host_remove(struct store *s, const char *name, struct err *e);

/* Changes the attributes marked in attrs->set ("" clears one). */
int host_set_attrs(struct store *s, sqlite3_int64 host_id, const struct host_attrs *attrs,
		   struct err *e);

/* Sets a host's architecture. */
int host_set_arch(struct store *s, sqlite3_int64 host_id, const char *arch, struct err *e);

/* Records a host's last scan: its time, what it was computed from and its
 * open findings by status; and groups (see scan/host_match.c), unless
 * NULL. */
int host_set_scanned(struct store *s, const struct host *h, const char *groups,
		     struct err *e);

/* Reads what host_set_scanned() stored as groups ("" when none) into ret. */
int host_scan_groups(struct store *s, sqlite3_int64 host_id, struct buf *ret, struct err *e);

/* A package as an ecosystem's advisories name it, NUL-terminated. */
typedef int (*match_key_cb)(const char *name, size_t name_len, const char *version,
			    size_t version_len, void *ctx, struct err *e);
/*
 * Calls cb once for each distinct package of a host as advisories name it:
 * (source, source version) when by_source, else (name, version); ordered
 * by name and version. The by_source form is answered from an index alone.
 */
int host_match_keys(struct store *s, sqlite3_int64 host_id, bool by_source, match_key_cb cb,
		    void *ctx, struct err *e);

/* The distinct ecosystems of all hosts, for `feed sync`. */
typedef int (*ecosystem_cb)(const char *ecosystem, void *ctx, struct err *e);
int host_ecosystems(struct store *s, ecosystem_cb cb, void *ctx, struct err *e);

#endif
