/*
 * Importing feed files into the store: format detection by content, OSV
 * records (single files, directories, per-ecosystem all.zip archives read
 * as a stream with libarchive, never unpacked), the CISA KEV catalog and
 * FIRST EPSS scores (plain or gzip). The caller wraps a whole command in
 * one transaction, so a bad record anywhere changes nothing.
 */
#ifndef HFX_FEED_IMPORT_H
#define HFX_FEED_IMPORT_H

#include "store/feed_store.h"
#include "store/store.h"

enum feed_format {
	FEED_AUTO,
	FEED_OSV,     /* a record, or a directory of records */
	FEED_OSV_ZIP, /* an OSV per-ecosystem archive */
	FEED_KEV,
	FEED_EPSS,
};

/* Parses a --format name ("osv", "osv-zip", "kev", "epss"); false if unknown. */
bool feed_format_parse(const char *name, enum feed_format *ret);
const char *feed_format_name(enum feed_format f);

struct import_result {
	enum feed_format format; /* as detected */
	struct import_counts counts;
	long files;              /* records or files read */
};

/*
 * Imports one path. Must run inside a transaction (store_begin); on error
 * the caller rolls back. label names the source in the import log and in
 * error messages (a URL for downloads, else the path).
 */
int feed_import_path(struct store *s, const char *path, const char *label,
		     enum feed_format format, struct import_result *ret, struct err *e);

/* Appends the audit record of one import (its source and counts); inside
 * the import's transaction. */
int feed_import_audit(struct store *s, const char *actor, const char *label,
		      const struct import_result *r, struct err *e);

#endif
