/*
 * Software bills of materials as inventories: CycloneDX JSON (1.4 to 1.6
 * tested; the fields read are the same since 1.0) and SPDX 2.2/2.3 JSON.
 * Both name packages by package URL (purl.h); only OS packages are
 * reported, that is purls of type deb, rpm and apk. Everything else an
 * SBOM lists (npm, golang, pypi, maven ... packages, files, applications)
 * is skipped without being checked: hfx patches what the system package
 * manager installed, and language packages are outside its scope.
 *
 * Not handled: the XML and tag-value encodings, SPDX 3 (JSON-LD),
 * in-toto attestations wrapping an SBOM, CycloneDX "metadata.component"
 * sub-components, and "dependencies"/"relationships" (which package needs
 * which: hfx reports what is installed).
 *
 * Source packages (rpm arch=src or nosrc, deb arch=source) and rpm's
 * "gpg-pubkey" entries (signing keys) are skipped: they are not installed
 * software. Red Hat's SBOMs list the source rpms beside the binaries.
 *
 * What is read, for each OS package:
 *
 *   name     the purl name
 *   version  the purl version (the component's "version" / the package's
 *            "versionInfo" when the purl has none); an "epoch" qualifier
 *            is prepended as "EPOCH:" (deb, rpm; "0" is left out, as rpm
 *            prints it) unless the version already has one, which must
 *            then agree. So rpm gives "[epoch:]version-release".
 *   arch     the "arch" qualifier, "" when absent
 *   source   deb: the "upstream" qualifier (syft: "name" or
 *            "name@version") or "source" (osv-scalibr: "name");
 *            rpm: "upstream", the source rpm file name
 *            "NAME-VERSION-RELEASE.src.rpm" (syft, Red Hat), its epoch
 *            taken to be the binary's; apk: "origin" (osv-scalibr) or
 *            "upstream" (syft). Failing those, in CycloneDX, Trivy's
 *            properties aquasecurity:trivy:SrcName, SrcEpoch, SrcVersion
 *            and SrcRelease. Failing those too, the name and the version.
 *   record   the 1-based position of the component (package) in document
 *            order, nested components counted depth-first.
 *
 * The OS, in order of precedence (each field separately):
 *
 *   1. the component of type "operating-system" (CycloneDX: in
 *      components[], at any depth, or metadata.component) or the package
 *      whose primaryPackagePurpose is "OPERATING-SYSTEM" (SPDX; also a
 *      SPDXID starting "SPDXRef-OperatingSystem-", as Trivy writes SPDX
 *      2.2): its name, lowercased, is the ID when it is a valid os-release
 *      ID, its version the VERSION_ID;
 *   2. the "distro" qualifier of the OS packages' purls: "debian-9",
 *      "alpine-3.17.3", "rhel-9.6" give both; a bare version "3.16.0"
 *      (Trivy) gives the version and the purl namespace the ID ("redhat"
 *      read as "rhel"); a Debian or Ubuntu code name ("stretch", "focal")
 *      gives the namespace as ID and the release number as version; the
 *      version from a distro is used only when its ID is the one chosen.
 *
 * The sink's os() is called, before any package, only when both an ID and
 * a VERSION_ID were found. Two "operating-system" components, or two
 * purls, naming different systems fail: one file describes one host.
 */
#ifndef HFX_INVENTORY_SBOM_H
#define HFX_INVENTORY_SBOM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest document accepted, and deepest nesting of components. */
#define SBOM_MAX (256u << 20)
#define SBOM_DEPTH_MAX 64u

/*
 * Parses the CycloneDX JSON document data[0..len) and hands its OS and OS
 * packages to sink, in document order. Returns 0, or the first non-zero
 * return of a sink callback (which fills e), or:
 *
 * - ERR_INPUT for a document that is not JSON ("<filename>: line L column
 *   C: ..."), whose "bomFormat" is not "CycloneDX", that has a field of
 *   the wrong JSON type where it is read, an OS package purl that does not
 *   parse or lacks what hfx needs (version), a name, version, arch or
 *   source that is not printable ASCII without spaces, an "epoch" that is
 *   not a number, a second OS that differs from the first, or components
 *   nested deeper than SBOM_DEPTH_MAX; the message names the file and the
 *   field: "<filename>: components[3].purl: 'pkg:deb/...': qualifier key
 *   'Arch': uppercase letter 'A' (keys are lowercase)";
 * - ERR_INPUT for a document over SBOM_MAX, ERR_NOMEM when jansson runs
 *   out of memory.
 *
 * The whole document is checked before the sink sees anything, so that a
 * broken file reports nothing. filename is used only in messages.
 * Nothing outlives the call: the strings handed to the sink are valid
 * only during the callback.
 */
int sbom_cyclonedx_json_parse(const char *data, size_t len, const char *filename,
			      const struct inv_sink *sink, struct err *e);

/*
 * The same for an SPDX 2.x JSON document: "spdxVersion" must be a string
 * "SPDX-2.*"; packages[] are read, each by the first externalRefs[] entry
 * whose referenceType is "purl" and whose referenceLocator is an OS
 * package purl. Field paths in messages read
 * "packages[12].externalRefs[0].referenceLocator".
 */
int sbom_spdx_json_parse(const char *data, size_t len, const char *filename,
			 const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniffs for picking a parser, without parsing: true when the data
 * starts (after white space) with '{' and holds the key "bomFormat" with
 * the value "CycloneDX", resp. the key "spdxVersion" with a value starting
 * "SPDX-2.". Key order is free in JSON (Trivy writes spdxVersion last),
 * so the whole data is searched; this is linear and allocates nothing.
 */
bool sbom_cyclonedx_json_looks_like(const char *data, size_t len);
bool sbom_spdx_json_looks_like(const char *data, size_t len);

#endif
