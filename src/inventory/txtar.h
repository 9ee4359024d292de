/*
 * Reader of txtar archives (Go's golang.org/x/tools/txtar format), which
 * scanners' test data (claircore, trivy, osv-scalibr) use to hold a few
 * files of an image in one text file:
 *
 *   optional comment lines
 *   -- var/lib/dpkg/status --
 *   Package: ...
 *   -- etc/os-release --
 *   ID=debian
 *
 * A marker line starts with "-- " and ends with " --" (at least six
 * bytes, so "-- --" is not one); the NAME between is trimmed of blanks. A
 * member's contents run from the line after its marker to the next marker
 * line or the end of the archive. As in Go, there are no syntax errors, a
 * "\r" before the '\n' keeps a line from being a marker, and names may
 * repeat.
 *
 * The inventory in the archive is read from the members whose NAME is, or
 * ends in "/" followed by, one of:
 *
 *   var/lib/dpkg/status     dpkg_status.h
 *   lib/apk/db/installed    apk_installed.h
 *   rpm-manifest            rpm_manifest.h (Red Hat catalog JSON)
 *
 * and its OS from etc/os-release, else usr/lib/os-release (os_release.h;
 * systemd's order). Every other member (apk repositories and indexes,
 * catalog search results, ...) is ignored.
 */
#ifndef HFX_INVENTORY_TXTAR_H
#define HFX_INVENTORY_TXTAR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest archive accepted; each member also has its parser's limits. */
#define TXTAR_MAX (256u << 20)

/*
 * Parses data[0..len), a txtar archive, and reports to sink (which may be
 * NULL, or have NULL callbacks, to only validate):
 *
 * - sink->os once, before any package, when a member is an os-release:
 *   id and version_id from ID and VERSION_ID, the other fields "". The
 *   first etc/os-release member is used, else the first usr/lib/os-release
 *   one; others are not read.
 * - sink->pkg for each package of each inventory member, members in
 *   archive order, packages in member order, with that parser's rules:
 *   dpkg packages installed, apk packages, rpm-manifest entries but
 *   gpg-pubkey. All inventory members are read, even of different kinds:
 *   an archive holding the manifests of one image for four architectures
 *   reports each noarch package four times.
 *
 * A non-zero return from a callback stops parsing and is returned. Returns
 * 0 when all was reported.
 *
 * Failures: ERR_INPUT "<filename>: no inventory member (looked for ...)"
 * when no member is an inventory; a member's parser's failure, its message
 * starting "<filename>: member 'NAME': " ("x.txtar: member 'var/lib/dpkg/
 * status': line 3: ..."; line numbers count from the member's first line);
 * ERR_NOMEM over TXTAR_MAX. Names are shown escaped and cut short.
 * filename is used only in messages. Nothing is allocated here (the
 * rpm-manifest parser allocates through jansson).
 */
int txtar_parse(const char *data, size_t len, const char *filename,
		const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when a marker line naming an
 * inventory member (as above) starts within the first 1 MiB. Comments
 * before the first member may be long (claircore's hold whole catalog
 * answers: 37 KB); says nothing about the rest of the data.
 */
bool txtar_looks_like(const char *data, size_t len);

#endif
