/*
 * Downloads one feed URL to a file with libcurl: http, https and file://
 * only, conditional requests (ETag, Last-Modified), size and time limits,
 * and an all-or-nothing replace of the destination, so a failed or partial
 * download never overwrites the copy from the last good sync. It does not
 * parse, decompress or retry: callers decide what the bytes are and what
 * to do when a fetch fails.
 *
 * libcurl must be initialised once per process: fetch_to_file() does it
 * on its first call (under pthread_once). A program that starts threads
 * which themselves use libcurl or OpenSSL should call fetch_global_init()
 * from main() before it does, as libcurl's documentation asks.
 */
#ifndef HFX_FEED_FETCH_H
#define HFX_FEED_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "base/err.h"

struct fetch_opts {
	/* Validators from the previous fetch of this URL; NULL or "" for none. */
	const char *etag;
	const char *last_modified; /* an HTTP date */
	/* Draws a progress bar on stderr: the caller sets it only for a tty. */
	bool progress;
	const char *label;  /* progress bar label; NULL: the URL */
	size_t max_bytes;   /* largest body accepted; 0: FETCH_DEFAULT_MAX */
	long timeout_s;     /* whole transfer; 0: no limit beyond the stall check */
};

#define FETCH_DEFAULT_MAX ((size_t)1 << 30)

#define FETCH_ETAG_MAX 256
#define FETCH_DATE_MAX 64

struct fetch_result {
	long status;       /* HTTP status; 0 for file:// */
	bool not_modified; /* dest_path was left as it was */
	/*
	 * Validators to send next time, "" when unknown: the server's, or, when
	 * it answered "not modified" without repeating them, the ones sent.
	 */
	char etag[FETCH_ETAG_MAX];
	char last_modified[FETCH_DATE_MAX];
	curl_off_t bytes;  /* body bytes written; 0 when not modified */
};

/*
 * Initialises libcurl for the whole process (idempotent, thread-safe).
 * Returns 0, or ERR_NET when libcurl cannot start.
 */
int fetch_global_init(struct err *e);

/*
 * Downloads url to dest_path. The body goes to a temporary file next to
 * dest_path, which is renamed over it only once the whole body has
 * arrived; when the server says the content is unchanged (HTTP 304, or an
 * unchanged file:// mtime), dest_path is not touched. opts may be NULL for
 * the defaults.
 *
 * Returns 0 and fills *ret, or a negative code and leaves *ret untouched:
 * ERR_INPUT (bad URL, a protocol other than http, https, file, or a
 * file:// path that is not a regular file), ERR_NET (cannot resolve or
 * connect, HTTP status >= 400 or otherwise not a body, transfer failed,
 * cut short or stalled, a redirect to another protocol), ERR_NOMEM (body
 * larger than max_bytes), ERR_IO (cannot write next to dest_path).
 * Messages name the URL, with any password in it masked.
 */
int fetch_to_file(const char *url, const char *dest_path, const struct fetch_opts *opts,
		  struct fetch_result *ret, struct err *e);

#endif
