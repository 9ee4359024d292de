/*
 * Excerpts of untrusted input for error messages.
 *
 * A parser that quotes the bytes it rejects must not let a hostile file
 * put terminal escape sequences, or a megabyte, into the one line that
 * reports it. show_bytes() renders printable ASCII as is and every other
 * byte (control bytes, '\r', '\\', UTF-8) as \xNN, and cuts the result
 * with "..." when it would not fit.
 *
 * Not for text the program wrote itself (keys it chose, file names it was
 * given on the command line): those are printed as they are.
 */
#ifndef HFX_BASE_SHOW_H
#define HFX_BASE_SHOW_H

#include <stddef.h>

/* Size of the usual excerpt buffer, with the NUL. */
#define SHOW_MAX 96

/*
 * Renders s[0..len) into out, which holds size bytes (size >= 4, room for
 * "..." and the NUL), and returns out, always NUL-terminated. s need not
 * be NUL-terminated and may hold NULs. A cut falls between two input
 * bytes, never inside an \xNN: what is shown renders a prefix of s, then
 * "..." when s did not fit.
 */
const char *show_bytes_n(char *out, size_t size, const char *s, size_t len);

/* show_bytes_n() into a buffer of SHOW_MAX bytes. */
const char *show_bytes(char out[SHOW_MAX], const char *s, size_t len);

#endif
