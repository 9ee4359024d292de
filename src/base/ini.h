/*
 * A small, bounded INI tokenizer with git-config-like syntax, for hfx.conf.
 *
 * It cuts text into (section, subsection, key, value) entries and hands
 * each to a callback; what the keys mean is the caller's business
 * (core/policy.c). It never reads files: the caller passes the text and a
 * file name for messages.
 *
 * Syntax, one construct per line:
 *
 *   # a comment                  '#' or ';' first on the line (after blanks)
 *   [section]                    a section header
 *   [section "subsection"]       a named section, as [group "web"]
 *   key = value                  an entry of the current section
 *   key = value   # comment      '#' or ';' after a blank, or first in
 *                                the value, starts a comment
 *   key = "a # b"                double quotes keep '#', ';' and blanks;
 *                                inside them \" is a quote and \\ a backslash
 *
 * Blanks (space, tab) around names, '=' and values are ignored, as are
 * blank lines. Section and key names are [A-Za-z0-9-], 1 to 63 bytes, and
 * case-sensitive (hfx's own names are lowercase); subsections are
 * [A-Za-z0-9._-], 1 to 63 bytes. An unquoted value is taken literally up to
 * a comment, and may be empty; a '"' inside it is an error (quote the whole
 * value). A section may appear more than once: its entries simply continue.
 * Lines end with LF or CRLF; a UTF-8 byte order mark at the start is
 * skipped.
 *
 * Limits: the text is at most INI_TEXT_MAX bytes, a line at most
 * INI_LINE_MAX bytes (without its LF or CRLF), a value at most
 * INI_VALUE_MAX bytes (after unquoting), a name at most INI_NAME_MAX.
 *
 * Errors are ERR_INPUT with the message "FILE:LINE: what is wrong": a NUL
 * or any other control byte but tab (a CR only ends a line before LF), an
 * entry before the first section header, a malformed header or entry, a
 * bad escape, an unterminated quote, text after a closing quote, or a
 * limit exceeded. Bad input is quoted with show_bytes() (base/show.h).
 */
#ifndef HFX_BASE_INI_H
#define HFX_BASE_INI_H

#include <stddef.h>

#include "base/err.h"

#define INI_TEXT_MAX (1024 * 1024)
#define INI_LINE_MAX 4096
#define INI_VALUE_MAX 1024
#define INI_NAME_MAX 63

/*
 * One entry. The strings are NUL-terminated copies in the parser's own
 * bounded buffers, valid only during the callback.
 */
struct ini_entry {
	const char *section;
	const char *subsection; /* NULL if the header has none */
	const char *key;
	const char *value;
	int line;               /* 1-based line of the entry */
};

/*
 * Called for each entry in file order. Returns 0 to go on; any other value
 * stops the parse and becomes ini_parse()'s result, with the callback's
 * message in e as it left it.
 */
typedef int (*ini_cb)(const struct ini_entry *entry, void *ctx, struct err *e);

/*
 * Tokenizes text[0..len) (no terminator needed; text may be NULL when len
 * is 0) and calls cb for each entry. file names the text in messages
 * ("<input>" when NULL). Returns 0, ERR_INPUT as described above, or the
 * callback's non-zero result. Entries before the error have already been
 * handed to cb, so a caller that must not half-apply a file collects into
 * scratch state and commits on success.
 */
int ini_parse(const char *text, size_t len, const char *file, ini_cb cb, void *ctx,
	      struct err *e);

#endif
