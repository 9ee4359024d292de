/*
 * Inventory formats; see formats.h. The native package databases have
 * parsers with their own record shapes (they are also used alone, and
 * fuzzed alone); the adapters here turn each record into an inv_pkg.
 */
#include "inventory/formats.h"

#include <stdio.h>
#include <string.h>

#include "inventory/apk_installed.h"
#include "inventory/dpkg_status.h"
#include "inventory/osquery.h"
#include "inventory/rpm_list.h"
#include "inventory/rpm_manifest.h"
#include "inventory/sbom.h"
#include "inventory/sbom_xml.h"
#include "inventory/txtar.h"
#include "inventory/vuls.h"

static int dpkg_pkg(const struct dpkg_pkg *p, void *ctx, struct err *e)
{
	const struct inv_sink *sink = ctx;
	struct inv_pkg ip = { p->name, p->name_len, p->version, p->version_len, p->arch,
			      p->arch_len, p->source, p->source_len, p->source_version,
			      p->source_version_len, p->line };

	return sink->pkg(&ip, sink->ctx, e);
}

static int parse_dpkg(const char *data, size_t len, const char *filename,
		      const struct inv_sink *sink, struct err *e)
{
	return dpkg_status_parse(data, len, filename, dpkg_pkg, (void *)sink, e);
}

/* RPM versions are compared as "[epoch:]version-release"; epoch 0 is
 * written as none, as rpm itself prints it. */
static int rpm_pkg(const struct rpm_pkg *p, void *ctx, struct err *e)
{
	const struct inv_sink *sink = ctx;
	char evr[1024];
	bool epoch = !(p->epoch_len == 1 && p->epoch[0] == '0');
	int n = snprintf(evr, sizeof(evr), "%.*s%s%.*s-%.*s", epoch ? (int)p->epoch_len : 0,
			 p->epoch, epoch ? ":" : "", (int)p->version_len, p->version,
			 (int)p->release_len, p->release);
	struct inv_pkg ip = { p->name, p->name_len, evr, (size_t)n, p->arch, p->arch_len,
			      p->source_len ? p->source : p->name,
			      p->source_len ? p->source_len : p->name_len, evr, (size_t)n, p->line };

	if (n < 0 || (size_t)n >= sizeof(evr))
		return err_set(e, ERR_INPUT, "line %zu: package '%.*s': version too long", p->line,
			       (int)p->name_len, p->name);
	return sink->pkg(&ip, sink->ctx, e);
}

static int parse_rpm(const char *data, size_t len, const char *filename,
		     const struct inv_sink *sink, struct err *e)
{
	return rpm_list_parse(data, len, filename, rpm_pkg, (void *)sink, e);
}

static int apk_pkg(const struct apk_pkg *p, void *ctx, struct err *e)
{
	const struct inv_sink *sink = ctx;
	struct inv_pkg ip = { p->name, p->name_len, p->version, p->version_len, p->arch,
			      p->arch_len, p->origin, p->origin_len, p->version, p->version_len,
			      p->line };

	return sink->pkg(&ip, sink->ctx, e);
}

static int parse_apk(const char *data, size_t len, const char *filename,
		     const struct inv_sink *sink, struct err *e)
{
	return apk_installed_parse(data, len, filename, apk_pkg, (void *)sink, e);
}

static bool dpkg_looks_like(const char *data, size_t len)
{
	return len >= 8 && !memcmp(data, "Package:", 8);
}

static const struct inv_format formats[] = {
	/* A txtar's member marker cannot start any other format. */
	{ "txtar", NULL, "a txtar archive holding a dpkg, apk or rpm-manifest database",
	  txtar_looks_like, txtar_parse },
	{ "vuls", NULL, "a Vuls scan result (JSON)", vuls_looks_like, vuls_parse },
	{ "rpm-manifest", "rpm", "a Red Hat container catalog rpm-manifest (JSON)",
	  rpm_manifest_looks_like, rpm_manifest_parse },
	{ "cyclonedx", NULL, "a CycloneDX SBOM (JSON)", sbom_cyclonedx_json_looks_like,
	  sbom_cyclonedx_json_parse },
	{ "spdx", NULL, "an SPDX SBOM (JSON)", sbom_spdx_json_looks_like, sbom_spdx_json_parse },
	{ "cyclonedx-xml", NULL, "a CycloneDX SBOM (XML)", sbom_cyclonedx_xml_looks_like,
	  sbom_cyclonedx_xml_parse },
	{ "osquery", NULL, "osquery results (deb_packages, rpm_packages, os_version)",
	  osquery_looks_like, osquery_parse },
	{ "dpkg", "deb", "a dpkg status file (/var/lib/dpkg/status)", dpkg_looks_like,
	  parse_dpkg },
	{ "apk", "apk", "an apk database (/lib/apk/db/installed)", apk_installed_looks_like,
	  parse_apk },
	{ "rpm", "rpm", "an rpm -qa listing (see docs/INVENTORIES.md)", rpm_list_looks_like,
	  parse_rpm },
};

size_t inv_format_count(void)
{
	return sizeof(formats) / sizeof(formats[0]);
}

const struct inv_format *inv_format_at(size_t i)
{
	return i < inv_format_count() ? &formats[i] : NULL;
}

const struct inv_format *inv_format_find(const char *name)
{
	for (size_t i = 0; i < inv_format_count(); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const struct inv_format *inv_format_detect(const char *data, size_t len,
					   const char *filename, struct err *e)
{
	for (size_t i = 0; i < inv_format_count(); i++)
		if (formats[i].looks_like(data, len))
			return &formats[i];
	err_set(e, ERR_INPUT, "'%s': unknown inventory format (expected a dpkg status file, "
		"an apk database, an rpm -qa listing, a Vuls scan result, a CycloneDX or SPDX "
		"SBOM, osquery results, an rpm-manifest or a txtar archive of one); --format "
		"names it",
		filename);
	return NULL;
}
