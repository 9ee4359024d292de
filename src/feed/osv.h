/*
 * OSV record parser (https://ossf.github.io/osv-schema/): one JSON record
 * in memory to a struct advisory. Strict about the fields hfx uses (their
 * types, the event kinds, the range types), lenient about the rest, so a
 * record with an unknown extra field still imports. Errors name the record
 * and the field path: "DSA-1-1: affected[2].ranges[0].type: unknown 'FOO'".
 */
#ifndef HFX_FEED_OSV_H
#define HFX_FEED_OSV_H

#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "core/advisory.h"

/* Largest record accepted, in bytes. */
#define OSV_RECORD_MAX (16u << 20)

/*
 * Parses data[0..len) as one OSV record into *ret (untouched on failure)
 * and, if ret_canonical is given, sets it to the record's canonical JSON
 * (sorted keys, compact; the caller frees it): the content that is hashed
 * and stored, so that reformatting a record does not make a new revision.
 */
int osv_parse(const char *data, size_t len, struct advisory *ret,
	      char **ret_canonical, struct err *e);

/* Parses an already decoded record; same contract as osv_parse(). */
int osv_parse_json(const json_t *root, struct advisory *ret, struct err *e);

/*
 * Encodes one affected entry's ranges and versions as compact JSON
 * ({"ranges":[...],"versions":[...]}), the form the store keeps for
 * matching, and decodes it back. The caller frees the string;
 * affected_release() frees what decode fills (ecosystem and package are
 * left NULL).
 */
char *osv_affected_encode(const struct affected *af);
int osv_affected_decode(const char *json, struct affected *ret, struct err *e);

#endif
