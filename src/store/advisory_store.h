/*
 * Advisories in the store: each OSV id has a history of revisions (one per
 * distinct content, ordered by `modified`), the current one of which is
 * matched; a withdrawn current revision matches nothing. Also the reverse
 * lookups the scanner and the findings need.
 */
#ifndef HFX_STORE_ADVISORY_STORE_H
#define HFX_STORE_ADVISORY_STORE_H

#include <sqlite3.h>

#include "core/advisory.h"
#include "store/store.h"

enum advisory_change {
	ADVISORY_NEW,
	ADVISORY_UPDATED,
	ADVISORY_WITHDRAWN, /* the new revision withdraws the record */
	ADVISORY_UNCHANGED,
	ADVISORY_OLDER,     /* older than the stored revision: ignored */
};

/* Prepared statements reused for every record of an import. */
struct advisory_writer {
	struct store *s;
	sqlite3_stmt *find, *insert_adv, *insert_rev, *set_current;
	sqlite3_stmt *del_alias, *insert_alias, *insert_affected, *insert_reissue;
};

/* What storing a record did. */
struct advisory_put {
	enum advisory_change change;
	sqlite3_int64 id;       /* the advisory; 0 when ADVISORY_OLDER for an unknown id */
	sqlite3_int64 prev_rev; /* the revision it replaced (NEW: 0), to compare with */
};

int advisory_writer_init(struct advisory_writer *w, struct store *s, struct err *e);
void advisory_writer_release(struct advisory_writer *w);

/*
 * Stores a parsed record. canonical is its canonical JSON (what is hashed
 * and kept); ranges[i] is the encoded form of a->affected[i] that the
 * scanner reads back (osv_affected_encode); source names where it came from. Must run inside a
 * transaction. *ret says what changed.
 */
int advisory_writer_put(struct advisory_writer *w, const struct advisory *a,
			const char *canonical, char *const *ranges, const char *source,
			struct advisory_put *ret, struct err *e);

/* Records that a new revision of an advisory raised a package's fixed
 * version from old_fixed to new_fixed (a reissue): the scanner reopens the
 * findings of hosts that have a version in between as `reissued`. */
int advisory_writer_reissue(struct advisory_writer *w, sqlite3_int64 advisory_id,
			    const char *ecosystem, const char *package, const char *old_fixed,
			    const char *new_fixed, struct err *e);

/* The newest revision id: grows with every stored change to any advisory,
 * so a host whose inventory and this number are unchanged since its last
 * scan cannot have different findings. */
int advisory_generation(struct store *s, sqlite3_int64 *ret, struct err *e);

/* One affected entry of a current, not withdrawn advisory. */
struct affected_row {
	sqlite3_int64 advisory_id;
	const char *advisory; /* OSV id */
	const char *package;
	const char *ranges;   /* encoded as osv_affected_encode() writes it */
	const char *ecosystem; /* exact OSV string */
};

typedef int (*affected_cb)(const struct affected_row *row, void *ctx, struct err *e);

/* Calls cb for every affected entry of the ecosystem, ordered by package. */
int advisory_affected_for(struct store *s, const char *ecosystem, affected_cb cb, void *ctx,
			  struct err *e);

/* The same for one advisory's entries for one package. */
int advisory_affected_of(struct store *s, const char *ecosystem, sqlite3_int64 advisory_id,
			 const char *package, affected_cb cb, void *ctx, struct err *e);

/* A fixed version that a newer revision raised (advisory_writer_reissue). */
struct reissue_row {
	sqlite3_int64 advisory_id;
	const char *ecosystem, *package, *old_fixed, *new_fixed, *time;
};

typedef int (*reissue_cb)(const struct reissue_row *row, void *ctx, struct err *e);

/* Every reissued fix, by advisory id and package. */
int advisory_reissues(struct store *s, reissue_cb cb, void *ctx, struct err *e);

/* Every affected entry of one revision (any revision, withdrawn or not). */
int advisory_affected_of_rev(struct store *s, sqlite3_int64 rev, affected_cb cb, void *ctx,
			     struct err *e);

/* The current revision of an advisory; strings valid during the callback. */
struct advisory_info {
	sqlite3_int64 id;
	const char *name, *modified, *published, *withdrawn, *summary;
	const char *record;  /* canonical JSON */
	const char *aliases; /* space-separated */
};

typedef int (*advisory_info_cb)(const struct advisory_info *a, void *ctx, struct err *e);

/* The advisories named id, or having it as an alias (a CVE id may name
 * several), by name. None is ERR_INPUT "no advisory 'x'". */
int advisory_lookup(struct store *s, const char *id, advisory_info_cb cb, void *ctx,
		    struct err *e);

#endif
