/*
 * What every inventory format yields, whatever it is: the operating system
 * it describes (when the format says) and its installed packages. Each
 * format's parser (one file each: dpkg_status.c, rpm_list.c, vuls.c,
 * sbom_cyclonedx.c, ...) reads memory with explicit lengths, never prints,
 * and hands what it finds to an inv_sink; host_inventory.c turns that into
 * a stored host. A format that describes several hosts is not supported:
 * one file, one host.
 */
#ifndef HFX_INVENTORY_INVENTORY_H
#define HFX_INVENTORY_INVENTORY_H

#include <stddef.h>

#include "base/err.h"

/* The OS an inventory names; empty strings where the format is silent. */
struct inv_os {
	char id[64];          /* os-release ID: "debian", "almalinux", "alpine", "windows" */
	char version_id[64];  /* os-release VERSION_ID: "12", "9.3", "3.19.1" */
	char kernel[256];     /* running kernel release */
	char arch[64];        /* native architecture */
	char hostname[256];   /* the name the inventory gives the host */
};

/*
 * One installed package, strings with explicit lengths (valid only during
 * the callback). version is the full version as the ecosystem compares it:
 * Debian "[epoch:]upstream[-revision]", RPM "[epoch:]version-release",
 * apk "version-rN". source/source_version name the source package (Debian
 * Source:, RPM source rpm, apk origin); when the format does not say,
 * they equal name/version.
 */
struct inv_pkg {
	const char *name; size_t name_len;
	const char *version; size_t version_len;
	const char *arch; size_t arch_len;
	const char *source; size_t source_len;
	const char *source_version; size_t source_version_len;
	size_t line; /* line or record number, for messages; 0 if none */
};

struct inv_sink {
	/* Called at most once, before or between packages; may be NULL. */
	int (*os)(const struct inv_os *os, void *ctx, struct err *e);
	int (*pkg)(const struct inv_pkg *p, void *ctx, struct err *e);
	/* A Windows update installed on the host ("KB5034441"); may be NULL. */
	int (*kb)(const char *kb, size_t len, void *ctx, struct err *e);
	void *ctx;
};

#endif
