/*
 * Parser of the RPM inventory hfx asks users of RPM hosts to produce:
 *
 *   rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'
 *
 * one installed package a line, six tab-separated fields, for example
 *
 *   openssl-libs	1	3.0.7	24.el9	x86_64	openssl-3.0.7-24.el9.src.rpm
 *   gpg-pubkey	0	fd431d51	4ae0493b	(none)	(none)
 *
 * This is the only input form. rpm -qa with its default format ("NEVRA",
 * name-version-release.arch) is not accepted: it leaves out the epoch and
 * the source package, and cannot be split reliably. Red Hat's container
 * catalog "rpm-manifest" JSON (what claircore's rpm fixtures hold) is read
 * by rpm_manifest.c.
 *
 * Not handled here: running rpm, reading the rpmdb, and comparing versions
 * (core/version.h).
 */
#ifndef HFX_INVENTORY_RPM_LIST_H
#define HFX_INVENTORY_RPM_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Largest listing accepted, and longest single line. */
#define RPM_LIST_MAX (256u << 20)
#define RPM_LINE_MAX (64u << 10)

/* One installed package; the strings point into the input, with explicit
 * lengths and NOT NUL-terminated, valid as long as the input is. */
struct rpm_pkg {
	const char *name; size_t name_len;
	/* EVR parts; epoch is decimal digits, "0" when the package has none. */
	const char *epoch; size_t epoch_len;
	const char *version; size_t version_len;
	const char *release; size_t release_len;
	const char *arch; size_t arch_len;
	/* The source package's NAME, parsed out of SOURCERPM (which loses its
	 * "-VERSION-RELEASE.src.rpm" or ".nosrc.rpm"); "" and 0 when SOURCERPM
	 * is "(none)". */
	const char *source; size_t source_len;
	size_t line; /* 1-based */
};

typedef int (*rpm_pkg_cb)(const struct rpm_pkg *p, void *ctx, struct err *e);

/*
 * Parses data[0..len). Calls cb for each package, in input order; a
 * non-zero return from cb stops parsing and is returned (cb fills e).
 * Returns 0 when every line was read, including for empty input.
 *
 * Lines are ended by '\n' (the last one may lack it); a '\r' before the
 * '\n' is dropped, so that a listing saved with CRLF line ends still
 * reads. Lines that are empty or hold only spaces and tabs are ignored.
 * "gpg-pubkey" lines are skipped without calling cb: they are the
 * signing keys rpm keeps in its database, not software.
 *
 * Fields are checked against what rpmbuild accepts: name of ASCII letters,
 * digits and ".-_+%{}" without ".."; epoch an unsigned 32-bit decimal;
 * version and release of letters, digits and "._+%{}~^" without ".."
 * (so no '-' and no blanks); arch of letters, digits and '_'; SOURCERPM
 * "(none)" or "NAME-VERSION-RELEASE.src.rpm" (or ".nosrc.rpm") with parts
 * as above. A broken line fails with ERR_INPUT and a message
 * "<filename>: line N: field 'F': ...", the field part left out when the
 * line does not have six fields. Bytes from the input are shown escaped
 * and cut short. Input over RPM_LIST_MAX, or a line over RPM_LINE_MAX,
 * fails with ERR_NOMEM. filename is used only in messages. Nothing is
 * allocated.
 */
int rpm_list_parse(const char *data, size_t len, const char *filename,
		   rpm_pkg_cb cb, void *ctx, struct err *e);

/*
 * Cheap sniff for format detection: true when the first non-blank line,
 * within the first RPM_LINE_MAX bytes, is a valid line of the format
 * above (a gpg-pubkey line counts). Reads no further than that line.
 */
bool rpm_list_looks_like(const char *data, size_t len);

#endif
