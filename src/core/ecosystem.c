/*
 * The OS → OSV ecosystem table; see ecosystem.h. Only families whose
 * comparator hfx implements are listed: an unlisted OS is refused with a
 * clear message rather than matched with the wrong version rules.
 */
#include "core/ecosystem.h"

#include <stdio.h>
#include <string.h>

/*
 * Which name advisories use follows the feeds themselves: Debian and
 * Ubuntu key by source package; AlmaLinux and Rocky Linux by binary rpm
 * (whatever the OSV schema's prose says, their records name binaries);
 * Alpine's secdb by origin, the source package apk records as "o:".
 * Red Hat's records name binary rpms per product stream (CPE): a RHEL
 * host matches the streams of the standard subscription,
 * "Red Hat:enterprise_linux:<major>::<stream>"; extended-support streams
 * (rhel_eus, rhel_aus, rhel_e4s) need to know the host's subscription and
 * are not matched.
 */
static const struct ecosystem table[] = {
	{ "debian", "Debian", "Debian", "dpkg", "deb", deb_vercmp, true, RELEASE_MAJOR },
	{ "ubuntu", "Ubuntu", "Ubuntu", "dpkg", "deb", deb_vercmp, true, RELEASE_UBUNTU },
	{ "almalinux", "AlmaLinux", "AlmaLinux", "rpm", "rpm", rpm_vercmp, false,
	  RELEASE_MAJOR },
	{ "rocky", "Rocky Linux", "Rocky Linux", "rpm", "rpm", rpm_vercmp, false,
	  RELEASE_MAJOR },
	{ "rhel", "Red Hat", "Red Hat", "rpm", "rpm", rpm_vercmp, false, RELEASE_RHEL },
	{ "alpine", "Alpine", "Alpine", "apk", "apk", apk_vercmp, true, RELEASE_V_MINOR },
};

size_t ecosystem_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct ecosystem *ecosystem_at(size_t i)
{
	return i < ecosystem_count() ? &table[i] : NULL;
}

/* The first `parts` dot-separated numbers of version_id, or false. */
static bool numeric_prefix(const char *version_id, int parts, char *ret, size_t len)
{
	size_t n = 0;

	for (int i = 0; i < parts; i++) {
		size_t d = strspn(version_id + n, "0123456789");

		if (d == 0)
			return false;
		n += d;
		if (i + 1 < parts) {
			if (version_id[n] != '.')
				return false;
			n++;
		}
	}
	if (n >= len)
		return false;
	memcpy(ret, version_id, n);
	ret[n] = '\0';
	return true;
}

/* The release part of the ecosystem string: point releases are not OSV
 * ecosystems of their own (Debian "12.5" is "Debian:12"). */
static bool release_name(enum release_form form, const char *version_id, char *ret, size_t len)
{
	char num[32];

	switch (form) {
	case RELEASE_MAJOR:
		return numeric_prefix(version_id, 1, ret, len);
	case RELEASE_V_MINOR:
		return numeric_prefix(version_id, 2, num, sizeof(num)) &&
		       (size_t)snprintf(ret, len, "v%s", num) < len;
	case RELEASE_RHEL:
		return numeric_prefix(version_id, 1, num, sizeof(num)) &&
		       (size_t)snprintf(ret, len, "enterprise_linux:%s", num) < len;
	case RELEASE_UBUNTU:
		/* LTS releases are the April ones of even years. */
		if (!numeric_prefix(version_id, 2, num, sizeof(num)))
			return false;
		return (size_t)snprintf(ret, len, "%s%s", num,
					(num[1] - '0') % 2 == 0 && !strcmp(num + 2, ".04") ?
					":LTS" : "") < len;
	}
	return false;
}

const struct ecosystem *ecosystem_for_os(const char *os_id, const char *version_id,
					 char *ret_name, size_t name_len, struct err *e)
{
	char release[32];

	for (size_t i = 0; i < ecosystem_count(); i++) {
		const struct ecosystem *eco = &table[i];

		if (strcmp(eco->os_id, os_id) != 0)
			continue;
		if (!version_id || !release_name(eco->release, version_id, release, sizeof(release))) {
			err_set(e, ERR_INPUT, "%s: release '%s' has no numeric VERSION_ID "
				"(rolling releases such as testing or edge have no advisory feed)",
				os_id, version_id ? version_id : "");
			return NULL;
		}
		if ((size_t)snprintf(ret_name, name_len, "%s:%s", eco->osv_name, release) >= name_len) {
			err_set(e, ERR_INPUT, "%s: release name too long", os_id);
			return NULL;
		}
		return eco;
	}
	err_set(e, ERR_INPUT, "operating system '%s' is not supported (supported: debian, "
		"ubuntu, almalinux, rocky, rhel, alpine)", os_id);
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
