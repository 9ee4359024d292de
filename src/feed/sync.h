/*
 * `feed sync`: download the feeds hfx needs and import what changed. The
 * OSV archive of each ecosystem that a known host runs, the CISA KEV
 * catalog and the FIRST EPSS scores, from their public locations, or all
 * from one mirror (HFX_MIRROR, file:// included) laid out as
 *   <base>/osv/<Ecosystem>/all.zip
 *   <base>/kev/known_exploited_vulnerabilities.json
 *   <base>/epss/epss_scores-current.csv.gz
 * Conditional requests (ETag, Last-Modified) skip unchanged feeds; the
 * validators are saved only after a successful import, so a failed import
 * is retried in full next time.
 */
#ifndef HFX_FEED_SYNC_H
#define HFX_FEED_SYNC_H

#include <stdbool.h>

#include "feed/import.h"
#include "store/store.h"

#define SYNC_OSV_BASE "https://osv-vulnerabilities.storage.googleapis.com"
#define SYNC_KEV_URL \
	"https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
#define SYNC_EPSS_URL "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"

struct sync_opts {
	const char *mirror;    /* HFX_MIRROR, or NULL for the public locations */
	const char *cache_dir; /* where downloads are kept */
	bool progress;         /* progress bars on stderr */
	bool osv_only;
	const char *actor;     /* recorded in the audit log with each import */
};

/* Called after each feed: the URL, whether it was unchanged (304), and
 * what its import changed (NULL when unchanged). */
typedef void (*sync_cb)(const char *url, bool not_modified, const struct import_result *r,
			void *ctx);

int feed_sync(struct store *s, const struct sync_opts *o, sync_cb cb, void *ctx,
	      struct err *e);

#endif
