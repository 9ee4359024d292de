/*
 * Feed data other than advisories: the KEV catalog, EPSS scores, the log
 * of imports, and the HTTP validators (ETag, Last-Modified) that make
 * `feed sync` download only what changed.
 */
#ifndef HFX_STORE_FEED_STORE_H
#define HFX_STORE_FEED_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

/* What an upsert did. */
enum upsert_result { UPSERT_NEW, UPSERT_CHANGED, UPSERT_UNCHANGED };

struct kev_row {
	const char *cve, *date_added, *due_date, *vendor, *product, *name;
	bool ransomware;
};

struct epss_score {
	const char *cve;
	double epss, percentile;
	const char *score_date;
};

/* Prepared statements for a bulk upsert of one table. */
struct upserter {
	struct store *s;
	sqlite3_stmt *exists, *put;
};

int kev_upserter_init(struct upserter *u, struct store *s, struct err *e);
int kev_upsert(struct upserter *u, const struct kev_row *row, enum upsert_result *ret,
	       struct err *e);
int epss_upserter_init(struct upserter *u, struct store *s, struct err *e);
int epss_upsert(struct upserter *u, const struct epss_score *row, enum upsert_result *ret,
		struct err *e);
void upserter_release(struct upserter *u);

struct import_counts {
	long new_, updated, withdrawn, unchanged, older;
	long reissued; /* fixed versions raised by updated records (advisory_writer_reissue) */
	long added_packages; /* affected entries an updated record added */
};

/* Appends one line to the import log. */
int feed_import_log(struct store *s, const char *format, const char *source,
		    const struct import_counts *c, struct err *e);

/* Validators of the last download of url; empty strings when none. */
int feed_state_get(struct store *s, const char *url, char *ret_etag, size_t etag_len,
		   char *ret_last_modified, size_t lm_len, struct err *e);
int feed_state_set(struct store *s, const char *url, const char *etag,
		   const char *last_modified, struct err *e);

#endif
