/*
 * Paths to a field of a JSON document, for error messages
 * ("affected[2].ranges[0].type").
 *
 * A parser keeps the path as a chain of struct jpath on its stack, one
 * link per level it descends, and renders it only when it reports an
 * error, so that the common path costs nothing. This is only the path and
 * its rendering: it knows nothing of JSON values or of any JSON library.
 */
#ifndef HFX_BASE_JPATH_H
#define HFX_BASE_JPATH_H

#include <stddef.h>

/* A key of the parent (key set), or the element [index] of it (key NULL). */
struct jpath {
	const struct jpath *up; /* NULL at the top of the document */
	const char *key;        /* NUL-terminated; NULL: [index] */
	size_t index;
};

/*
 * Renders p into out (n >= 1 bytes, always NUL-terminated): keys joined
 * with '.', indexes as "[N]", "" for a NULL p. Keys are printed as they
 * are, so they must be the program's own, not input. Returns the length
 * written, cut at n - 1.
 */
size_t jpath_render(const struct jpath *p, char *out, size_t n);

/*
 * jpath_render() for paths whose keys come from the input (object keys
 * the document chose): each key is rendered with show_bytes_n() into at
 * most key_max bytes (4 <= key_max <= SHOW_MAX, from base/show.h).
 */
size_t jpath_render_shown(const struct jpath *p, size_t key_max, char *out, size_t n);

#endif
