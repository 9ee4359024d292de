/*
 * Parser of Alpine's installed-package database (/lib/apk/db/installed,
 * the apk-tools v2 format): stanzas separated by empty lines, each line
 * "X:value" with a one-letter key (P name, V version, A architecture,
 * o origin, and many more that hfx does not read: C checksum, S/I sizes,
 * T description, D depends, F/R/a/M/Z file lists ...).
 *
 * Not handled here: reading the file, the v3 database (installed.adb,
 * binary), and APKINDEX files (the same line syntax, but a repository's
 * contents rather than what is installed).
 */
#ifndef HFX_INVENTORY_APK_INSTALLED_H
#define HFX_INVENTORY_APK_INSTALLED_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Largest database accepted, and longest single line. */
#define APK_INSTALLED_MAX (256u << 20)
#define APK_LINE_MAX (1u << 20)

/* One installed package; the strings point into the input, valid only
 * during the callback, with explicit lengths and NOT NUL-terminated. */
struct apk_pkg {
	const char *name; size_t name_len;
	const char *version; size_t version_len;
	const char *arch; size_t arch_len; /* "" and 0 when absent */
	/* origin (o:), the source package, or the name when absent */
	const char *origin; size_t origin_len;
	size_t line; /* 1-based line where the stanza starts */
};

typedef int (*apk_pkg_cb)(const struct apk_pkg *p, void *ctx, struct err *e);

/*
 * Parses data[0..len). Calls cb for each stanza (every package in this
 * database is installed), in file order; a non-zero return from cb stops
 * parsing and is returned (cb fills e). Returns 0 when every stanza was
 * read, including for empty input; the last stanza needs no newline.
 *
 * Every stanza must have exactly one P and one V line, V a version
 * apk_version_valid() accepts; P, and A and o when present, must be
 * non-empty printable ASCII without spaces, at most once each. Any line
 * that is not a letter followed by ':' (including a line of blanks, or
 * one ending in '\r' for the P/V/A/o values) fails; lines with other keys
 * are ignored, for the keys apk will add. Failures are ERR_INPUT with
 * "<filename>: line N: package 'x': field 'V': ...", N the line of the
 * offending line (of the stanza's first line for a missing field), the
 * package and field parts present when known. Input bytes are shown
 * escaped and cut short. Input over APK_INSTALLED_MAX, or a line over
 * APK_LINE_MAX, fails with ERR_NOMEM. filename is used only in messages.
 * Nothing is allocated.
 */
int apk_installed_parse(const char *data, size_t len, const char *filename,
			apk_pkg_cb cb, void *ctx, struct err *e);

/*
 * Cheap sniff, for picking a parser: true when the first line (after any
 * empty lines) starts with "C:" or "P:", as apk writes every stanza, and
 * the line after it, if any, is also "X:" with a letter X. Reads at most
 * the first two lines; says nothing about the rest of the data.
 */
bool apk_installed_looks_like(const char *data, size_t len);

#endif
