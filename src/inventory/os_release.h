/*
 * Parser of os-release(5) (/etc/os-release, /usr/lib/os-release): which
 * distribution and release a host runs, so that the right advisory feed
 * (Debian:12, AlmaLinux:9 ...) is matched against its packages.
 *
 * The format is a list of shell-style KEY=value assignments, the value bare
 * or in double quotes (with the escapes \" \\ \$ \`) or single quotes, plus
 * '#' comments and blank lines. Only the subset the specification allows is
 * accepted: no variable expansion, no concatenation of quoted strings, one
 * assignment per line. Reading the file, and the fallback from /etc to
 * /usr/lib, are the caller's.
 */
#ifndef HFX_INVENTORY_OS_RELEASE_H
#define HFX_INVENTORY_OS_RELEASE_H

#include <stddef.h>

#include "base/err.h"

/* Largest file accepted; real ones are under 1 KB. */
#define OS_RELEASE_MAX (64u << 10)

/* The keys hfx uses, NUL-terminated; "" when the key is absent. */
struct os_release {
	char id[64];               /* ID, e.g. "debian": never empty */
	char version_id[64];       /* VERSION_ID, e.g. "12" */
	char version_codename[64]; /* VERSION_CODENAME, e.g. "bookworm" */
	char pretty_name[256];     /* PRETTY_NAME */
	char id_like[256];         /* ID_LIKE, space-separated, e.g. "rhel centos fedora" */
};

/*
 * Parses data[0..len) into *ret. Unknown keys are ignored (but must be
 * well-formed); when a key appears twice the last value wins, as when the
 * shell sources the file. Fails with ERR_INPUT and "<filename>: line N:
 * ..." for a line without '=', a bad key, an unterminated quote, text after
 * a closing quote, a control character in a value, a value too long for
 * its field, or an ID that is missing, empty or not made of 0-9 a-z . _ -
 * (the specification's rule); with ERR_NOMEM when len > OS_RELEASE_MAX.
 * *ret is untouched on failure. filename is used only in messages.
 */
int os_release_parse(const char *data, size_t len, const char *filename,
		     struct os_release *ret, struct err *e);

#endif
