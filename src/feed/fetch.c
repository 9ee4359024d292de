/*
 * One download with libcurl; see fetch.h.
 *
 * The body streams into a mkostemp() file beside the destination and is
 * renamed over it only after curl reports the whole transfer done and the
 * data is on disk: rename() within a directory is atomic, so readers see
 * the old file or the new one, never half of either. The progress bar is
 * the one thing this library prints, and only when the caller asks.
 */
#include "feed/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_S 30L
#define LOW_SPEED_BYTES 1024L /* a transfer slower than this ... */
#define LOW_SPEED_TIME_S 60L  /* ... for this long is abandoned */
#define MAX_REDIRECTS 5L
#define PROGRESS_INTERVAL_NS 100000000L
#define PROGRESS_WIDTH 20

struct xfer {
	int fd;
	size_t max;
	curl_off_t bytes;
	bool too_big;
	int write_errno; /* 0, or why the temporary file could not be written */
	bool conditional; /* validators were sent */
	char etag[FETCH_ETAG_MAX];
	char last_modified[FETCH_DATE_MAX];
	/* Progress bar. */
	bool progress, drawn;
	const char *label;
	struct timespec last_draw;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_result = CURLE_FAILED_INIT;

static void global_init(void)
{
	init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int fetch_global_init(struct err *e)
{
	pthread_once(&init_once, global_init);
	if (init_result != CURLE_OK)
		return err_set(e, ERR_NET, "cannot initialise libcurl: %s",
			       curl_easy_strerror(init_result));
	return 0;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct xfer *x = userdata;
	size_t len = size * nmemb, off = 0;
	ssize_t n;

	/* MAXFILESIZE only sees a Content-Length; this catches the rest. */
	if (len > x->max - (size_t)x->bytes) {
		x->too_big = true;
		return 0;
	}
	while (off < len) {
		n = write(x->fd, ptr + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			x->write_errno = errno;
			return 0;
		}
		off += (size_t)n;
	}
	x->bytes += (curl_off_t)len;
	return len;
}

/*
 * Keeps a header value that fits whole and has no control characters;
 * anything else is dropped rather than cut, because a cut ETag sent back
 * would never match and a strange one must not reach a request header.
 */
static void keep_value(char *dst, size_t size, const char *v, size_t len)
{
	while (len > 0 && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
			   v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	dst[0] = '\0';
	if (len >= size)
		return;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static bool header_is(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && line[n] == ':' && strncasecmp(line, name, n) == 0;
}

static size_t header_cb(char *line, size_t size, size_t nitems, void *userdata)
{
	struct xfer *x = userdata;
	size_t len = size * nitems;

	/* Each response of a redirect chain starts afresh. */
	if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		x->etag[0] = '\0';
		x->last_modified[0] = '\0';
	} else if (header_is(line, len, "ETag")) {
		keep_value(x->etag, sizeof(x->etag), line + 5, len - 5);
	} else if (header_is(line, len, "Last-Modified")) {
		keep_value(x->last_modified, sizeof(x->last_modified), line + 14, len - 14);
	}
	return len;
}

static void human_size(curl_off_t n, char *out, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = -1;

	while (v >= 1024.0 && u < 3) {
		v /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(out, size, "%d B", (int)n);
	else
		snprintf(out, size, "%.1f %s", v, units[u]);
}

/* "label [#####     ]  42% 12.3 MiB", or without the bar when the size is unknown. */
static void draw(struct xfer *x, curl_off_t total, curl_off_t now)
{
	char line[160], amount[32], bar[PROGRESS_WIDTH + 1];
	int pct, filled;

	human_size(now, amount, sizeof(amount));
	if (total > 0) {
		pct = now >= total ? 100 : (int)(now * 100 / total);
		filled = pct * PROGRESS_WIDTH / 100;
		memset(bar, '#', (size_t)filled);
		memset(bar + filled, ' ', (size_t)(PROGRESS_WIDTH - filled));
		bar[PROGRESS_WIDTH] = '\0';
		snprintf(line, sizeof(line), "\r%.60s [%s] %3d%% %s   ", x->label, bar, pct, amount);
	} else {
		snprintf(line, sizeof(line), "\r%.60s %s   ", x->label, amount);
	}
	fputs(line, stderr);
	x->drawn = true;
}

static int progress_cb(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = clientp;
	struct timespec t;
	long elapsed;

	(void)ultotal;
	(void)ulnow;
	clock_gettime(CLOCK_MONOTONIC, &t);
	elapsed = (long)(t.tv_sec - x->last_draw.tv_sec) * 1000000000L +
		  (t.tv_nsec - x->last_draw.tv_nsec);
	if (x->drawn && elapsed < PROGRESS_INTERVAL_NS)
		return 0;
	x->last_draw = t;
	draw(x, dltotal, dlnow);
	return 0;
}

/* A day name and month name that do not depend on the locale. */
static void http_date(time_t t, char *out, size_t size)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char tmp[128];
	struct tm tm;

	out[0] = '\0';
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
		return;
	snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	if (strlen(tmp) < size)
		memcpy(out, tmp, strlen(tmp) + 1);
}

/*
 * The URL as messages show it: with any password replaced, since messages
 * end up in logs. Falls back to the URL as given.
 */
static void display_url(const char *url, char *out, size_t size)
{
	CURLU *u = curl_url();
	char *pw = NULL, *s = NULL;

	snprintf(out, size, "%s", url);
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) != CURLUE_OK)
		goto out;
	if (curl_url_set(u, CURLUPART_PASSWORD, "***", 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		snprintf(out, size, "%s", s);
	else
		snprintf(out, size, "(a URL with a password)");
out:
	curl_free(pw);
	curl_free(s);
	curl_url_cleanup(u);
}

static bool has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/*
 * curl "downloads" a directory or a FIFO given as a file:// URL as an empty
 * body, which would replace a good feed with nothing: only regular files.
 */
static int check_local_file(const char *url, const char *shown, struct err *e)
{
	CURLU *u = curl_url();
	char *path = NULL;
	struct stat st;
	int r = 0;

	/* What curl cannot parse or open, it reports itself. */
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK &&
	    stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		r = err_set(e, ERR_INPUT, "cannot download '%s': not a regular file", shown);
	curl_free(path);
	curl_url_cleanup(u);
	return r;
}

/* A validator that is safe to put in a request header. */
static bool usable(const char *v, size_t max)
{
	size_t len;

	if (!v || !v[0])
		return false;
	len = strnlen(v, max);
	if (len == max)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return true;
}

/* Fails setup() with curl's reason when an option is refused. */
#define SETOPT(opt, val) do { \
		if ((c = curl_easy_setopt(h, opt, val)) != CURLE_OK) \
			goto out; \
	} while (0)

static int setup(CURL *h, const char *url, const struct fetch_opts *opts, struct xfer *x,
		 char *errbuf, struct curl_slist **ret_headers, struct err *e)
{
	CURLcode c = CURLE_OK;
	char header[FETCH_ETAG_MAX + 32];
	time_t since;

	SETOPT(CURLOPT_URL, url);
	SETOPT(CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* Never file:// from a server, and no downgrade from https. */
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, has_scheme(url, "https") ? "https" : "http,https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
	SETOPT(CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	SETOPT(CURLOPT_FAILONERROR, 1L);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	SETOPT(CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
	SETOPT(CURLOPT_LOW_SPEED_TIME, LOW_SPEED_TIME_S);
	if (opts->timeout_s > 0)
		SETOPT(CURLOPT_TIMEOUT, opts->timeout_s);
	SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	SETOPT(CURLOPT_USERAGENT, "hfx");
	SETOPT(CURLOPT_FILETIME, 1L);
	SETOPT(CURLOPT_WRITEFUNCTION, write_cb);
	SETOPT(CURLOPT_WRITEDATA, x);
	SETOPT(CURLOPT_HEADERFUNCTION, header_cb);
	SETOPT(CURLOPT_HEADERDATA, x);
	if (usable(opts->etag, sizeof(x->etag))) {
		snprintf(header, sizeof(header), "If-None-Match: %s", opts->etag);
		*ret_headers = curl_slist_append(NULL, header);
		if (!*ret_headers)
			return err_set(e, ERR_NOMEM, "out of memory");
		SETOPT(CURLOPT_HTTPHEADER, *ret_headers);
		x->conditional = true;
	}
	/* A stored date curl cannot read only costs a full download. */
	if (usable(opts->last_modified, sizeof(x->last_modified)) &&
	    (since = curl_getdate(opts->last_modified, NULL)) >= 0) {
		SETOPT(CURLOPT_TIMECONDITION, (long)CURL_TIMECOND_IFMODSINCE);
		SETOPT(CURLOPT_TIMEVALUE_LARGE, (curl_off_t)since);
		x->conditional = true;
	}
	if (x->progress) {
		SETOPT(CURLOPT_NOPROGRESS, 0L);
		SETOPT(CURLOPT_XFERINFOFUNCTION, progress_cb);
		SETOPT(CURLOPT_XFERINFODATA, x);
	}
out:
	if (c != CURLE_OK)
		return err_set(e, ERR_NET, "libcurl refused an option: %s", curl_easy_strerror(c));
	return 0;
}

/* The error for a transfer curl did not complete. */
static int transfer_error(CURL *h, CURLcode c, const char *shown, const struct xfer *x,
			  const char *errbuf, struct err *e)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(c);
	long status = 0;

	if (x->too_big || c == CURLE_FILESIZE_EXCEEDED)
		return err_set(e, ERR_NOMEM, "cannot download '%s': larger than the limit of %zu bytes",
			       shown, x->max);
	if (x->write_errno)
		return err_set(e, ERR_IO, "cannot download '%s': cannot write the file: %s",
			       shown, strerror(x->write_errno));
	if (c == CURLE_HTTP_RETURNED_ERROR) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		return err_set(e, ERR_NET, "cannot download '%s': HTTP status %ld", shown, status);
	}
	if (c == CURLE_URL_MALFORMAT)
		return err_set(e, ERR_INPUT, "cannot download '%s': %s", shown, why);
	/* Connect, resolve, TLS, timeouts, short bodies, a bad redirect. */
	return err_set(e, ERR_NET, "cannot download '%s': %s", shown, why);
}

/* Puts the finished temporary file in place of dest. */
static int commit(struct xfer *x, const char *tmp, const char *dest, struct err *e)
{
	int r = 0;

	/* mkostemp() makes it 0600; feeds are public data other users may read. */
	if (fchmod(x->fd, 0644) < 0 || fsync(x->fd) < 0)
		r = err_set(e, ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
	if (close(x->fd) < 0 && !r)
		r = err_set(e, ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
	x->fd = -1;
	if (!r && rename(tmp, dest) < 0)
		r = err_set(e, ERR_IO, "cannot rename '%s' to '%s': %s", tmp, dest,
			    strerror(errno));
	return r;
}

/* The validators to keep: the server's, else those we sent. */
static void fill_result(CURL *h, const struct xfer *x, const struct fetch_opts *opts,
			bool is_file, bool not_modified, struct fetch_result *res)
{
	curl_off_t filetime = -1;

	memset(res, 0, sizeof(*res));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
	res->not_modified = not_modified;
	res->bytes = not_modified ? 0 : x->bytes;
	memcpy(res->etag, x->etag, sizeof(res->etag));
	memcpy(res->last_modified, x->last_modified, sizeof(res->last_modified));
	/*
	 * file:// has no response headers of its own (whether curl makes some
	 * up depends on its version): the file's mtime, as curl read it.
	 */
	if ((is_file || !res->last_modified[0]) &&
	    curl_easy_getinfo(h, CURLINFO_FILETIME_T, &filetime) == CURLE_OK && filetime >= 0)
		http_date((time_t)filetime, res->last_modified, sizeof(res->last_modified));
	if (not_modified && !res->etag[0] && usable(opts->etag, sizeof(res->etag)))
		keep_value(res->etag, sizeof(res->etag), opts->etag, strlen(opts->etag));
	if (not_modified && !res->last_modified[0] &&
	    usable(opts->last_modified, sizeof(res->last_modified)))
		keep_value(res->last_modified, sizeof(res->last_modified), opts->last_modified,
			   strlen(opts->last_modified));
}

/* The temporary file beside dest that the body goes to. */
static int open_temp(const char *dest, char *tmp, size_t size, int *ret_fd, struct err *e)
{
	int fd;

	if ((size_t)snprintf(tmp, size, "%s.XXXXXX", dest) >= size)
		return err_set(e, ERR_INPUT, "destination path too long: '%s'", dest);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot create a temporary file for '%s': %s", dest,
			       strerror(errno));
	*ret_fd = fd;
	return 0;
}

/* Whether a completed transfer is a usable body, or "not modified". */
static int check_response(CURL *h, const struct xfer *x, const char *shown,
			  bool *ret_not_modified, struct err *e)
{
	long status = 0, unmet = 0;
	curl_off_t expected = -1;

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONDITION_UNMET, &unmet);
	if (status == 304 || unmet) {
		/* Unasked, a 304 would leave the caller with no file at all. */
		if (!x->conditional)
			return err_set(e, ERR_NET, "cannot download '%s': HTTP status %ld to an "
				       "unconditional request", shown, status);
		*ret_not_modified = true;
		return 0;
	}
	/* A 3xx curl did not follow (no Location) is not the feed. */
	if (status != 0 && (status < 200 || status > 299))
		return err_set(e, ERR_NET, "cannot download '%s': HTTP status %ld", shown, status);
	/* curl checks Content-Length for HTTP; for file:// a file that shrank would pass. */
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected) == CURLE_OK &&
	    expected >= 0 && expected != x->bytes)
		return err_set(e, ERR_NET, "cannot download '%s': got %lld of %lld bytes", shown,
			       (long long)x->bytes, (long long)expected);
	*ret_not_modified = false;
	return 0;
}

int fetch_to_file(const char *url, const char *dest_path, const struct fetch_opts *opts,
		  struct fetch_result *ret, struct err *e)
{
	static const struct fetch_opts defaults = { 0 };
	struct xfer x = { .fd = -1 };
	struct curl_slist *headers = NULL;
	struct fetch_result res;
	char errbuf[CURL_ERROR_SIZE] = "";
	char shown[512], tmp[PATH_MAX];
	bool is_file, not_modified = false;
	CURL *h = NULL;
	CURLcode c;
	int r;

	if (!opts)
		opts = &defaults;
	r = fetch_global_init(e);
	if (r)
		return r;
	display_url(url, shown, sizeof(shown));
	is_file = has_scheme(url, "file");
	if (!is_file && !has_scheme(url, "http") && !has_scheme(url, "https"))
		return err_set(e, ERR_INPUT, "cannot download '%s': only http, https and file URLs",
			       shown);
	if (is_file) {
		r = check_local_file(url, shown, e);
		if (r)
			return r;
	}
	r = open_temp(dest_path, tmp, sizeof(tmp), &x.fd, e);
	if (r)
		return r;
	x.max = opts->max_bytes ? opts->max_bytes : FETCH_DEFAULT_MAX;
	x.progress = opts->progress;
	x.label = opts->label ? opts->label : shown;
	h = curl_easy_init();
	if (!h) {
		r = err_set(e, ERR_NOMEM, "cannot start a libcurl transfer");
		goto out;
	}
	r = setup(h, url, opts, &x, errbuf, &headers, e);
	if (r)
		goto out;
	c = curl_easy_perform(h);
	r = c != CURLE_OK ? transfer_error(h, c, shown, &x, errbuf, e)
			  : check_response(h, &x, shown, &not_modified, e);
	if (r)
		goto out;
	fill_result(h, &x, opts, is_file, not_modified, &res);
	if (!not_modified) {
		r = commit(&x, tmp, dest_path, e);
		if (r)
			goto out;
		if (x.progress)
			draw(&x, x.bytes, x.bytes);
	}
	*ret = res;
out:
	if (x.drawn)
		fputc('\n', stderr);
	if (x.fd >= 0)
		close(x.fd);
	if (r || not_modified)
		unlink(tmp); /* still the temporary file: commit() did not run or failed */
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return r;
}
