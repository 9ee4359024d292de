/*
 * Parser of Vuls scan results (the JSON "vuls report" and "vuls scan"
 * write per server, results/<date>/<server>.json): one host, its OS, its
 * installed packages and, for Windows, its installed updates (KBs).
 *
 * Read: family, release, serverName, runningKernel.release (.version on
 * Windows), packages, SrcPackages (also spelled srcPackages) and
 * windowsKB.applied. Not read: the scan's findings (scannedCves, which hfx
 * computes itself), newVersion/newRelease (what the host's repositories
 * offered at scan time), library scans, WordPress, containers' lists.
 */
#ifndef HFX_INVENTORY_VULS_H
#define HFX_INVENTORY_VULS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest scan result accepted, and longest string in it. */
#define VULS_MAX (256u << 20)
#define VULS_STRING_MAX (64u << 10)

/*
 * Parses data[0..len), a Vuls scan result, and reports to sink, in this
 * order: sink->os once (when not NULL), sink->pkg for each entry of
 * "packages" in file order, sink->kb for each entry of windowsKB.applied
 * (when not NULL) as "KB" followed by digits. A non-zero return from a
 * callback stops parsing and is returned, with "<filename>: <field>: "
 * put before the callback's message. Returns 0 when all was reported.
 *
 * OS: Vuls's family becomes an os-release ID ("redhat" -> "rhel",
 * "oracle" -> "ol", "amazon" -> "amzn", "opensuse" -> "opensuse-tumbleweed",
 * ...; an unknown family is kept, lowercased); release is the VERSION_ID
 * as Vuls wrote it (Windows: the product name, "Windows Server 2019").
 * arch is derived from a kernel release ending in an architecture
 * (".x86_64", "-amd64"), else "".
 *
 * Packages: the version is Vuls's "version" for Debian and Ubuntu (a full
 * Debian version) and "version-release" for other families (an RPM EVR:
 * Vuls keeps the epoch inside "version"). The source package and version
 * come from SrcPackages when it lists the binary, else they are the
 * package's own name and version. "gpg-pubkey" entries of RPM hosts (the
 * rpm database's signing keys) are skipped. Strings point into memory valid only
 * during the callback, NOT NUL-terminated; line is 0.
 *
 * Failures: ERR_INPUT with "<filename>: <field path>: <problem>", for
 * example "x.json: packages.openssl.version: expected a string", for
 * invalid JSON (with its line and column), a top level that is not an
 * object, a missing or empty family, a field of the wrong type, a package
 * without a name or (outside Windows, where Vuls leaves some empty)
 * without a version, a binary listed by two source packages, a KB that is
 * not a number, control characters in a reported string, or an OS field
 * too long for struct inv_os. Input over VULS_MAX, or a string over
 * VULS_STRING_MAX, fails with ERR_NOMEM (out of memory too). Input bytes
 * are shown escaped and cut short. filename is used only in messages.
 */
int vuls_parse(const char *data, size_t len, const char *filename,
	       const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when data starts (after
 * whitespace) with '{' and its first 8 KiB mention "jsonVersion" and
 * "family" or "scannedAt" as keys. Says nothing about the rest.
 */
bool vuls_looks_like(const char *data, size_t len);

#endif
