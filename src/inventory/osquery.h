/*
 * Parser of osquery's JSON query results, for hosts that already run
 * osquery: the installed packages of deb_packages or rpm_packages and,
 * when given, the OS from os_version (plus the running kernel from
 * kernel_info and the host name from system_info).
 *
 * Three input forms are read:
 *
 *  1. The array osqueryi prints for one query,
 *       osqueryi --json 'SELECT * FROM deb_packages' > pkgs.json
 *     [{"name": "bash", "version": "5.2.15-2+b2", ...}, ...]
 *  2. One object gathering several such arrays, keyed by table name:
 *       {"os_version": [{...}], "deb_packages": [...]}
 *     keys read: os_version, deb_packages, rpm_packages, kernel_info,
 *     system_info; any other key (another query's results) is ignored,
 *     but at least one of those five must be there.
 *  3. osqueryd's result log (the filesystem logger's osqueryd.results.log):
 *     one JSON object a line, each a scheduled query's snapshot,
 *       {"name": "pkgs", "hostIdentifier": "web1", "action": "snapshot",
 *        "snapshot": [{...}, ...], ...}
 *     When a query's name appears on several lines (a log that grew over
 *     several runs), its last snapshot is the one read. Differential
 *     results ("columns" with action added/removed, or "diffResults") are
 *     refused: a diff is not an inventory. hostIdentifier names the host
 *     unless system_info does.
 *
 * In forms 1 and 3 the query names no table, so each row's columns tell:
 * "release", "epoch", "sha1", "vendor", "package_group" or "install_time"
 * make an rpm_packages row; "revision", "status", "admindir", "maintainer",
 * "section" or "priority" a deb_packages row; "platform", "major",
 * "minor", "codename" or "platform_like" an os_version row. A row with
 * none of them is an error (select one of those columns too, or "*").
 * One file describes one host: deb and rpm packages together, or two
 * os_version rows, are refused.
 *
 * Values are strings, as osqueryi and the default logger write them;
 * integer columns (epoch, major, minor, patch) may also be JSON integers,
 * as --logger_numerics writes them. Other columns are not read.
 */
#ifndef HFX_INVENTORY_OSQUERY_H
#define HFX_INVENTORY_OSQUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest input accepted, and longest log line (form 3). */
#define OSQUERY_MAX (256u << 20)
#define OSQUERY_LINE_MAX (64u << 20)

/*
 * Parses data[0..len), one of the forms above, and reports to sink: once
 * the whole input has been checked, sink->os (when not NULL, and when the
 * input holds os_version, kernel_info or system_info, or form 3's
 * hostIdentifier), then sink->pkg for each package, in input order.
 * A non-zero return from a callback stops parsing and is returned, with
 * "<filename>: <path>: " put before the callback's message. Returns 0
 * when all was reported, including when there are no packages.
 *
 * deb rows: name, version (osquery's is dpkg's full version, with epoch
 * and revision) and arch as given; source from the "source" column, which
 * is dpkg's Source: field, "name" or "name (version)", the binary's name
 * and version when empty or absent. Rows whose status (the last word of
 * "want flag status") is not "installed", "triggers-pending" or
 * "triggers-awaited" are skipped, as dpkg_status.c skips them (config
 * files only, or a version in transition); rows without a status column
 * are reported (osquery never lists packages that are not installed).
 * rpm rows: version "[epoch:]version-release", the epoch left out when
 * empty, "(none)" or absent (rpm compares a missing epoch as 0); source
 * the name in the "source" column's "NAME-VERSION-RELEASE.src.rpm" (or
 * .nosrc.rpm), source_version its "[epoch:]VERSION-RELEASE" with the
 * binary's epoch (subpackages share their source's epoch); both the
 * binary's when the column is empty, "(none)" or absent. "gpg-pubkey"
 * rows (rpm's signing keys) are skipped.
 *
 * OS: id is os_version's platform, except that osquery writes "rhel" for
 * every host with /etc/redhat-release, so then the name tells: "Rocky
 * Linux" -> "rocky", "AlmaLinux" -> "almalinux", "CentOS" -> "centos",
 * "Oracle" -> "ol", "Fedora" -> "fedora" (else "rhel"). version_id is
 * major[.minor[.patch]] with trailing zero parts dropped (Debian "12",
 * Rocky "9.3", Alpine "3.19.1"), Ubuntu's minor written with two digits
 * ("22.04"); "" when major is absent or 0. arch is os_version's arch,
 * kernel kernel_info's version, hostname system_info's hostname.
 *
 * Failures are ERR_INPUT with "<filename>: <path>: <message>", the path
 * naming the value: "[3].version: expected a string, found an integer",
 * "deb_packages[0].name: empty", "line 4: snapshot[2].release: ...".
 * Input over OSQUERY_MAX, or (form 3) a line over OSQUERY_LINE_MAX, fails
 * with ERR_NOMEM. filename is used only in messages.
 */
int osquery_parse(const char *data, size_t len, const char *filename,
		  const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when the input, after
 * whitespace, starts with '[' or '{' and its first 4 KiB name a column or
 * key only osquery results have: "os_version", "deb_packages",
 * "rpm_packages", or a "hostIdentifier" with "snapshot", or rows with both
 * "revision" and "status" (deb_packages) or "release" and "sha1"
 * (rpm_packages). Reads at most 4 KiB.
 */
bool osquery_looks_like(const char *data, size_t len);

#endif
