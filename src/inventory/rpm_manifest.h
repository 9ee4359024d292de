/*
 * Parser of Red Hat container catalog "rpm-manifest" documents, what
 * catalog.redhat.com/api/containers/v1/images/id/<id>/rpm-manifest
 * returns for one container image (claircore's rpm fixtures hold them):
 *
 *   {"object_type": "containerImageRPMManifest", "image_id": "...",
 *    "rpms": [{"name": "tar", "version": "1.30", "release": "4.el8",
 *              "architecture": "x86_64", "nvra": "tar-1.30-4.el8.x86_64",
 *              "srpm_name": "tar", "srpm_nevra": "tar-2:1.30-4.el8.src",
 *              "gpg": "199e2f91fd431d51", "summary": "..."}, ...]}
 *
 * Read: object_type (checked when present), and in each rpms[] entry name,
 * version, release, architecture, srpm_name and srpm_nevra. Not read: nvra
 * (the same as the other fields, without an epoch), gpg, summary, _id,
 * _links and the dates. The document says nothing of the OS.
 *
 * Not handled here: fetching from the catalog, the txtar archives the
 * fixtures wrap documents in (txtar.h), comparing versions.
 */
#ifndef HFX_INVENTORY_RPM_MANIFEST_H
#define HFX_INVENTORY_RPM_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "inventory/inventory.h"

/* Largest document accepted, longest name, version, release or source
 * field, and most entries in rpms (real images list a few hundred). */
#define RPM_MANIFEST_MAX (256u << 20)
#define RPM_MANIFEST_FIELD_MAX 1024u
#define RPM_MANIFEST_RPMS_MAX 1000000u

/*
 * Parses data[0..len), one rpm-manifest document, and calls sink->pkg (when
 * not NULL; sink itself may be NULL to only validate) for each entry of
 * rpms, in document order, except "gpg-pubkey" entries (the rpm database's
 * signing keys, not software). sink->os is never called. A non-zero return
 * from sink->pkg stops parsing and is returned, with "<filename>:
 * rpms[N]: " put before the callback's message. Returns 0 when every entry
 * was reported, including for an empty rpms.
 *
 * Each package: version is "[epoch:]version-release", the epoch taken from
 * srpm_nevra ("NAME-[EPOCH:]VERSION-RELEASE.src") because the manifest
 * gives none for the binary and rpm's Epoch is inherited by every package
 * built from a spec; epoch 0 and an absent epoch are written as none.
 * source is srpm_name, source_version the source's "[epoch:]version-
 * release". Strings point into memory valid only during the callback, NOT
 * NUL-terminated; line is 0.
 *
 * Failures: ERR_INPUT with "<filename>: <field path>: <problem>", for
 * example "x.json: rpms[12].release: expected a string", for invalid JSON
 * (with its line and column), a top level that is not an object, an
 * object_type other than "containerImageRPMManifest", a missing rpms, an
 * entry that is not an object, a missing or non-string field, a name,
 * version, release or architecture breaking rpmbuild's character rules
 * (rpm_list.c), an srpm_nevra that does not split into NAME-[EPOCH:]
 * VERSION-RELEASE.src (or .nosrc, optionally followed by .rpm), or an
 * srpm_name that differs from srpm_nevra's NAME. Input over
 * RPM_MANIFEST_MAX, a field over RPM_MANIFEST_FIELD_MAX bytes or more than
 * RPM_MANIFEST_RPMS_MAX entries fail with ERR_NOMEM (out of memory too).
 * Input bytes are shown escaped and cut short. filename is used only in
 * messages.
 */
int rpm_manifest_parse(const char *data, size_t len, const char *filename,
		       const struct inv_sink *sink, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when data starts (after
 * whitespace) with '{' and its first 8 KiB hold the string
 * "containerImageRPMManifest", or both the keys "rpms" and "srpm_nevra".
 * Says nothing about the rest.
 */
bool rpm_manifest_looks_like(const char *data, size_t len);

#endif
