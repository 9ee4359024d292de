/*
 * Parser of CycloneDX SBOMs in XML (specification 1.2 to 1.6: the
 * namespaces http://cyclonedx.org/schema/bom/1.N), as syft, trivy and
 * cdxgen write them for a host or a container image: the operating
 * system and the deb, rpm and apk packages, named by their package URLs.
 *
 * Read: every <component> under <bom><components>, nested components too
 * (a component's own <components>), and the metadata's <component>, which
 * counts only as an operating system. Of each component: its type
 * attribute, <name>, <version> and <purl>. Everything else (hashes,
 * licences, dependencies, properties, other namespaces) is not read.
 * CycloneDX JSON is another parser's business.
 *
 * The XML is parsed by libxml2 without network access, without loading
 * or reading any DTD and without substituting entities; a document with
 * a DOCTYPE declaration is refused outright, since a BOM has no use for
 * one and it is how entity expansion ("billion laughs") and external
 * entity (XXE) attacks come in.
 */
#ifndef HFX_INVENTORY_SBOM_XML_H
#define HFX_INVENTORY_SBOM_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest document accepted. */
#define SBOM_XML_MAX (256u << 20)

/*
 * Parses data[0..len), a CycloneDX XML BOM, and reports to sink: once the
 * whole document has been checked, sink->os (when not NULL and the BOM
 * names an OS), then sink->pkg for each deb, rpm or apk component in
 * document order (depth first). A non-zero return from a callback stops
 * parsing and is returned, with "<filename>: line N: <path>: " put before
 * the callback's message. Returns 0 when all was reported, including for
 * a BOM without OS packages.
 *
 * Packages come from purls of type deb, rpm and apk (any namespace);
 * components with other purls, or none, are skipped, and so is a <purl>
 * that is not a package URL at all (syft writes "pkg:generic/..." and
 * worse for files it cannot place). A purl that claims one of the three
 * types but does not parse, or has no version, fails. From the purl:
 *   deb: version as given, "EPOCH:" put before it when the epoch
 *        qualifier is there and the version has none; arch from the arch
 *        qualifier; source from the upstream qualifier, "name" or
 *        "name@version" (syft), else the package's name and version.
 *   rpm: version "[EPOCH:]VERSION-RELEASE", the purl's version being
 *        "VERSION-RELEASE" and the epoch its qualifier (left out when 0);
 *        source from upstream "NAME-VERSION-RELEASE.src.rpm" (syft,
 *        claircore), the source version taking the binary's epoch. Source
 *        rpms themselves (arch=src or nosrc) are skipped: not installed.
 *   apk: version as given; source from upstream (the origin), with the
 *        package's version.
 * Names and architectures must be printable ASCII without blanks;
 * versions must be valid for dpkg or apk (rpm: no blank, '-' in neither
 * part).
 *
 * OS: the component of type "operating-system" (syft and trivy add one):
 * its name, lowercased, is the id ("redhat" -> "rhel", "alma" ->
 * "almalinux", "amazon" -> "amzn", "oracle" -> "ol"), its version the
 * version_id. Without one, the distro qualifier of the first package
 * purl that has one: "debian-12", "rhel-9.6", "alpine-3.17.2" (id and
 * version), or "3.16.0" (trivy's Alpine: the purl namespace is the id).
 * An operating-system component without a name is ignored; two that
 * disagree fail.
 *
 * Failures are ERR_INPUT with "<filename>: line N: <path>: <message>",
 * the path naming the element, 1-based as in XPath: "components/
 * component[13]/purl: invalid purl ...". XML that is not well-formed
 * fails with libxml2's message and line; a root that is not a CycloneDX
 * <bom> fails. Input over SBOM_XML_MAX fails with ERR_NOMEM. filename is
 * used only in messages. libxml2 never prints.
 */
int sbom_cyclonedx_xml_parse(const char *data, size_t len, const char *filename,
			     const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when the input, after a UTF-8
 * byte order mark and whitespace, starts with '<' and its first 4 KiB
 * hold the CycloneDX namespace "http://cyclonedx.org/schema/bom/". Reads
 * at most 4 KiB; says nothing about the rest.
 */
bool sbom_cyclonedx_xml_looks_like(const char *data, size_t len);

#endif
