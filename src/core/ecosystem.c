/*
 * The OS → OSV ecosystem table; see ecosystem.h. Only families whose
 * comparator hfx implements are listed: an unlisted OS is refused with a
 * clear message rather than matched with the wrong version rules.
 */
#include "core/ecosystem.h"

#include <stdio.h>
#include <string.h>

static const struct ecosystem table[] = {
	{ "debian", "Debian", "Debian", "dpkg", deb_vercmp, true },
};

size_t ecosystem_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct ecosystem *ecosystem_at(size_t i)
{
	return i < ecosystem_count() ? &table[i] : NULL;
}

/* Debian's VERSION_ID is the major release ("12"); point releases are not
 * separate OSV ecosystems, so anything after a '.' is dropped. */
static bool major_release(const char *version_id, char *ret, size_t len)
{
	size_t n = strcspn(version_id, ".");

	if (n == 0 || n >= len || strspn(version_id, "0123456789") < n)
		return false;
	memcpy(ret, version_id, n);
	ret[n] = '\0';
	return true;
}

const struct ecosystem *ecosystem_for_os(const char *os_id, const char *version_id,
					 char *ret_name, size_t name_len, struct err *e)
{
	char major[16];

	for (size_t i = 0; i < ecosystem_count(); i++) {
		const struct ecosystem *eco = &table[i];

		if (strcmp(eco->os_id, os_id) != 0)
			continue;
		if (!version_id || !major_release(version_id, major, sizeof(major))) {
			err_set(e, ERR_INPUT, "%s: release '%s' has no numeric VERSION_ID "
				"(testing and unstable have no advisory feed)",
				os_id, version_id ? version_id : "");
			return NULL;
		}
		if ((size_t)snprintf(ret_name, name_len, "%s:%s", eco->osv_name, major) >= name_len) {
			err_set(e, ERR_INPUT, "%s: release name too long", os_id);
			return NULL;
		}
		return eco;
	}
	err_set(e, ERR_INPUT, "operating system '%s' is not supported (supported: debian)", os_id);
	return NULL;
}

const struct ecosystem *ecosystem_find(const char *osv_ecosystem)
{
	size_t n = strcspn(osv_ecosystem, ":");

	for (size_t i = 0; i < ecosystem_count(); i++)
		if (strlen(table[i].osv_name) == n &&
		    memcmp(table[i].osv_name, osv_ecosystem, n) == 0)
			return &table[i];
	return NULL;
}
