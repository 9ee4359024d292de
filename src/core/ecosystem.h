/*
 * The table of operating systems hfx can evaluate: how an /etc/os-release
 * (ID, VERSION_ID) maps to the exact OSV ecosystem string, which version
 * comparator that ecosystem uses, and whether its advisories name source
 * packages (Debian, Ubuntu) or binary packages. The matcher follows this
 * table; docs/MATCHING.md shows it to users.
 */
#ifndef HFX_CORE_ECOSYSTEM_H
#define HFX_CORE_ECOSYSTEM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "core/version.h"

/* How an os-release VERSION_ID becomes the release part of the OSV
 * ecosystem string. */
enum release_form {
	RELEASE_MAJOR,    /* "12", "9.3" -> "12", "9" */
	RELEASE_V_MINOR,  /* Alpine "3.19.1" -> "v3.19" */
	RELEASE_UBUNTU,   /* "22.04" -> "22.04:LTS" (even-year April), "24.10" */
	RELEASE_RHEL,     /* "9.3" -> "enterprise_linux:9" (the CPE product) */
};

struct ecosystem {
	const char *os_id;    /* os-release ID, e.g. "debian" */
	const char *osv_name; /* OSV ecosystem prefix, e.g. "Debian" */
	const char *feed;     /* folder of the OSV per-ecosystem archive */
	const char *comparator; /* name shown in explanations: "dpkg" */
	const char *packages;   /* the package format: "deb", "rpm", "apk" */
	version_cmp_fn cmp;
	bool by_source; /* advisories name the source package (Alpine: origin) */
	enum release_form release;
};

/*
 * The ecosystem of an OS release: fills ret_name ("Debian:12") and returns
 * the table entry, or NULL with ERR_INPUT when hfx cannot evaluate it.
 */
const struct ecosystem *ecosystem_for_os(const char *os_id, const char *version_id,
					 char *ret_name, size_t name_len, struct err *e);

/* The table entry for an exact OSV ecosystem string ("Debian:12"), or NULL. */
const struct ecosystem *ecosystem_find(const char *osv_ecosystem);

/* Table access for documentation and `feed sync`. */
size_t ecosystem_count(void);
const struct ecosystem *ecosystem_at(size_t i);

#endif
