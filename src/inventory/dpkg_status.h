/*
 * Parser of dpkg's status database (/var/lib/dpkg/status): RFC 822-style
 * stanzas separated by blank lines, continuation lines starting with a
 * space or tab. Packages whose status word is "installed" are reported
 * ("install ok installed", but also "hold ok installed" and "deinstall ok
 * installed": what the user wants done does not change what is on disk),
 * and so are "triggers-pending" and "triggers-awaited" (configured, in
 * use, waiting for a trigger); others (config-files, half-installed,
 * unpacked ...) are skipped because their files are not (all) on the host,
 * or their version is in transition.
 */
#ifndef HFX_INVENTORY_DPKG_STATUS_H
#define HFX_INVENTORY_DPKG_STATUS_H

#include <stddef.h>

#include "base/err.h"

/* Largest status file accepted, and longest single line. */
#define DPKG_STATUS_MAX (256u << 20)
#define DPKG_LINE_MAX (1u << 20)

/* One installed package; the strings point into parser memory valid only
 * during the callback, with explicit lengths and NOT NUL-terminated. */
struct dpkg_pkg {
	const char *name; size_t name_len;
	const char *version; size_t version_len;
	const char *arch; size_t arch_len; /* "" and 0 when absent */
	/* The Source: field's name, or the binary's name when absent. */
	const char *source; size_t source_len;
	/* The version in "Source: name (version)", or the binary's version. */
	const char *source_version; size_t source_version_len;
	size_t line; /* 1-based line where the stanza starts */
};

typedef int (*dpkg_pkg_cb)(const struct dpkg_pkg *pkg, void *ctx, struct err *e);

/*
 * Parses data[0..len). Calls cb for each installed package, in file order;
 * a non-zero return from cb stops parsing and is returned (cb fills e).
 * Returns 0 when every stanza was read, including for empty input.
 *
 * A broken stanza (no Package, no Version for an installed package, an
 * invalid version, a malformed Source, a line with no colon, a continuation
 * before any field, a duplicate field) fails with ERR_INPUT and a message
 * "<filename>: line N: package 'x': field 'F': ...", where N is the line of
 * the offending field (of the stanza's first line for a missing one), and
 * the package and field parts appear when known. Bytes from the input are
 * shown escaped and cut short in messages. Package, Status and the syntax
 * are checked in every stanza; Version, Source and Architecture only in
 * those reported, as nothing else reads them. Input over DPKG_STATUS_MAX,
 * or a line over DPKG_LINE_MAX, fails with ERR_NOMEM. filename is used only
 * in messages. Nothing is allocated.
 */
int dpkg_status_parse(const char *data, size_t len, const char *filename,
		      dpkg_pkg_cb cb, void *ctx, struct err *e);

#endif
