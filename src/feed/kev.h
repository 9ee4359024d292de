/*
 * CISA Known Exploited Vulnerabilities catalog parser
 * (https://www.cisa.gov/known-exploited-vulnerabilities-catalog, JSON
 * form): the whole catalog in memory to one callback per entry. Pure
 * parsing: no file or database access. Strict about the fields hfx uses
 * (cveID, dateAdded, dueDate, the strings kept), lenient about the rest,
 * so a catalog with a new field still imports. Errors name the file, the
 * entry and the field: "kev.json: vulnerabilities[12].dueDate: expected a
 * date YYYY-MM-DD".
 */
#ifndef HFX_FEED_KEV_H
#define HFX_FEED_KEV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Largest catalog accepted, in bytes (the real one is about 1.3 MB). */
#define KEV_INPUT_MAX (64u << 20)

struct kev_entry {
	char cve[32];        /* "CVE-2021-44228" */
	char date_added[11]; /* "2021-12-10" */
	char due_date[11];
	/*
	 * Display strings, "" when absent. Longer values are cut to fit (at a
	 * UTF-8 character boundary) rather than rejected: they are labels for
	 * people, nothing is matched against them.
	 */
	char vendor[128];
	char product[128];
	char name[256];
	bool ransomware; /* knownRansomwareCampaignUse == "Known" */
};

/*
 * Called once per entry, in catalog order. Returns 0 to go on, or a
 * negative error code (having filled e) to stop: kev_parse() then returns
 * that code unchanged.
 */
typedef int kev_entry_fn(const struct kev_entry *entry, void *ctx, struct err *e);

/*
 * Parses data[0..len) as a KEV catalog; filename only labels messages.
 * The whole catalog is validated before the first callback, so on a bad
 * catalog cb is never called. On success sets ret_catalog_version (may be
 * NULL) to the catalog's "catalogVersion" and returns 0; on failure
 * returns ERR_INPUT (bad catalog), ERR_NOMEM (larger than KEV_INPUT_MAX or
 * out of memory) or the callback's code, and leaves ret_catalog_version
 * untouched.
 */
int kev_parse(const char *data, size_t len, const char *filename,
	      kev_entry_fn *cb, void *ctx, char ret_catalog_version[32],
	      struct err *e);

/*
 * Cheap format sniffing for import: true when data looks like a KEV
 * catalog (a JSON object whose first few KB name "catalogVersion" or
 * "vulnerabilities", and "cveID"). It does not validate.
 */
bool kev_looks_like(const char *data, size_t len);

#endif
