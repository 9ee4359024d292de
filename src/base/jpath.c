/*
 * JSON field paths for error messages; see jpath.h.
 *
 * Recursive, one frame per level of the path: paths are as deep as the
 * parser's own nesting (a handful of levels), never as deep as the input.
 */
#include "base/jpath.h"

#include <stdio.h>
#include <string.h>

#include "base/show.h"

/* key_max 0: keys as they are; otherwise shown, in at most key_max bytes. */
static size_t render(const struct jpath *p, size_t key_max, char *out, size_t n)
{
	char shown[SHOW_MAX];
	const char *key;
	size_t len;
	int w;

	if (!p) {
		out[0] = '\0';
		return 0;
	}
	len = render(p->up, key_max, out, n);
	if (len + 1 >= n)
		return len;
	if (p->key) {
		key = key_max ? show_bytes_n(shown, key_max, p->key, strlen(p->key)) : p->key;
		w = snprintf(out + len, n - len, "%s%s", len ? "." : "", key);
	} else {
		w = snprintf(out + len, n - len, "[%zu]", p->index);
	}
	if (w < 0)
		return len;
	return len + (size_t)w < n ? len + (size_t)w : n - 1;
}

size_t jpath_render(const struct jpath *p, char *out, size_t n)
{
	return render(p, 0, out, n);
}

size_t jpath_render_shown(const struct jpath *p, size_t key_max, char *out, size_t n)
{
	if (key_max > SHOW_MAX)
		key_max = SHOW_MAX;
	return render(p, key_max, out, n);
}
