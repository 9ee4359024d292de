/*
 * IANA time zones ("Europe/Berlin"): converting between UTC instants and
 * a zone's wall-clock time, from the system's compiled zone files (TZif,
 * RFC 8536 versions 1 to 4, under /usr/share/zoneinfo).
 *
 * Not setenv("TZ") + localtime(): that is process-global state, not
 * thread-safe, and re-reads a file each time the zone changes. A loaded
 * struct tz is immutable, so one may be shared by any number of threads,
 * and a conversion is a binary search plus, past the file's last
 * transition, a little calendar arithmetic on the file's POSIX TZ footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3").
 *
 * Times are int64 seconds. A UTC instant counts from 1970-01-01T00:00Z
 * without leap seconds (as time(2) does). A local time ("wall clock")
 * counts the same way from 1970-01-01T00:00 on the zone's clocks, so
 * local = utc + tz_offset_at(z, utc), and its day number
 * (floor(local / 86400)) is a day number of base/timefmt.h.
 *
 * Instants more than TZ_RANGE seconds (about 34,800 years) from the epoch
 * are clamped: they get the offset in effect at the bound.
 */
#ifndef HFX_BASE_TZ_H
#define HFX_BASE_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct tz;

#define TZ_NAME_MAX 64                /* bytes of a zone name */
#define TZ_FILE_MAX (1024 * 1024)     /* bytes of a zone file */
#define TZ_RANGE (INT64_C(1) << 40)   /* see above */
/* Every UTC offset, in files and footers, lies in [-24:59:59, 25:59:59]. */
#define TZ_OFFSET_MIN (-89999)
#define TZ_OFFSET_MAX 93599

/* What tz_local_to_utc() found: positive, so never mistaken for an error. */
enum {
	TZ_GAP = 1,      /* the wall time does not exist (clocks jumped over it) */
	TZ_OVERLAP = 2,  /* the wall time happens twice (clocks were set back) */
};

/*
 * Loads the zone named name ("Europe/Berlin", "UTC") from the file
 * $HFX_ZONEINFO/<name>, or /usr/share/zoneinfo/<name> when HFX_ZONEINFO
 * is unset or empty. The name must be 1 to TZ_NAME_MAX bytes of
 * [A-Za-z0-9/_+-], not start or end with '/', and have no empty
 * component; so it cannot leave the directory, and HFX_ZONEINFO only
 * chooses which tree of zone files is read (and is ignored in a
 * set-user-ID program: secure_getenv()). "UTC" works even when its
 * file is absent. The file must be a regular file of at most TZ_FILE_MAX
 * bytes.
 *
 * Returns 0 and sets *ret_z (free it with tz_free()); ERR_INPUT for a bad
 * name, "unknown time zone 'X'" (no such file), or a file that is not a
 * valid zone (the message names the zone and what is wrong); ERR_IO when
 * the file cannot be read; ERR_NOMEM. *ret_z is untouched on failure.
 */
int tz_load(const char *name, struct tz **ret_z, struct err *e);

/*
 * Parses the TZif file data[0..len) as the zone called name (used in
 * messages and by tz_name(); it is not validated). Strict: the header,
 * every count and size, ascending transition times, type indices, offsets
 * within [TZ_OFFSET_MIN, TZ_OFFSET_MAX], NUL-terminated designations, the
 * indicators, and for versions 2 to 4 the footer (a POSIX TZ string with
 * the version 3 extensions: rule times of -167 to 167 hours) and nothing
 * after it. Versions 2 to 4 use the 64-bit data block and ignore the
 * 32-bit one. Files with leap seconds ("right/...") are refused: their
 * clocks are not POSIX time.
 *
 * Returns 0 and sets *ret_z (free it with tz_free()), or ERR_INPUT
 * ("time zone 'X': transition 3 is not after transition 2"), or
 * ERR_NOMEM; *ret_z is untouched on failure.
 */
int tz_parse(const unsigned char *data, size_t len, const char *name, struct tz **ret_z,
	     struct err *e);

/* Frees z; NULL is allowed. */
void tz_free(struct tz *z);

/* The name z was loaded as; it lives as long as z. */
const char *tz_name(const struct tz *z);

/*
 * The UTC offset in seconds (east positive: +3600 for CET) in effect at
 * the instant utc. Before the first transition of the file that is the
 * file's first time type; from the last transition on, the footer's rule
 * when the file has one, else the last transition's type.
 */
int64_t tz_offset_at(const struct tz *z, int64_t utc);

/*
 * The instant at which the zone's clocks show local_seconds:
 *  - 0: exactly one instant does; *ret_utc is it.
 *  - TZ_OVERLAP: two do, because the clocks were set back over it
 *    (Berlin 2026-10-25 02:30 happens at 00:30Z and at 01:30Z); *ret_utc
 *    is the EARLIER one.
 *  - TZ_GAP: none does, because the clocks jumped over it (Berlin
 *    2026-03-29 02:30, in the jump from 02:00 to 03:00). The time is moved
 *    forward by the length of the jump: *ret_utc is the instant the clocks
 *    show 03:30, i.e. local_seconds minus the offset in effect before the
 *    jump (half an hour after the jump). A time at the very start of the
 *    gap (02:00) becomes the instant of the jump itself.
 * Never fails; *ret_utc is always set.
 */
int tz_local_to_utc(const struct tz *z, int64_t local_seconds, int64_t *ret_utc);

/* As tz_local_to_utc(), but for TZ_OVERLAP *ret_utc is the LATER instant. */
int tz_local_to_utc_later(const struct tz *z, int64_t local_seconds, int64_t *ret_utc);

#endif
