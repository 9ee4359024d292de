/*
 * Excerpts of untrusted input for error messages; see show.h.
 *
 * The rendering is shared by every parser of untrusted input, and tests
 * assert the exact messages, so it must not change: a byte costs 1 or 4
 * characters, and a piece is only written when, after it, there is still
 * room for "..." and the NUL.
 */
#include "base/show.h"

#include <stdbool.h>
#include <string.h>

const char *show_bytes_n(char *out, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '\\';

		if (o + (plain ? 1 : 4) + 4 > size) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

const char *show_bytes(char out[SHOW_MAX], const char *s, size_t len)
{
	return show_bytes_n(out, SHOW_MAX, s, len);
}
