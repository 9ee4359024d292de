/*
 * Tests for fetch_to_file(): file:// downloads and their not-modified
 * check, and HTTP against tests/feed/http_server.py, started here on a
 * free loopback port: ETag round trip, error statuses, a body cut short,
 * size limits, redirects. Every failure must leave the previous file as
 * it was and no temporary file behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "feed/fetch.h"

extern char **environ;

static char tmpdir[] = "/tmp/hfx-fetch-XXXXXX";
static char www[64], out[64], dest[96];
static pid_t server_pid = -1;
static int server_stdin = -1;
static int port;

#define BIG_SIZE 200000

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void put_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, data, len);
}

/* Asserts that path holds exactly text. */
static void assert_content(const char *path, const char *text)
{
	struct buf b;
	struct err e;

	buf_init(&b, 1 << 20);
	assert_int_equal(buf_read_file(&b, path, &e), 0);
	assert_int_equal(b.len, strlen(text));
	assert_memory_equal(b.data, text, b.len);
	buf_release(&b);
}

/* Files in the output directory: a leftover temporary file shows up here. */
static int count_out_files(void)
{
	DIR *d = opendir(out);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void url_for(char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "http://127.0.0.1:%d%s", port, path);
}

static const char *server_script(void)
{
	static char path[1024];
	const char *slash = strrchr(__FILE__, '/');

	snprintf(path, sizeof(path), "%.*shttp_server.py",
		 slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__);
	return path;
}

/* Starts the server; it prints its port once it listens. */
static int start_server(void)
{
	posix_spawn_file_actions_t fa;
	int in[2], outp[2], r;
	char line[32] = "";
	size_t got = 0;
	ssize_t n;
	char *argv[] = { "/usr/bin/python3", (char *)server_script(), www, NULL };
	struct pollfd pfd;

	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	r = posix_spawn(&server_pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	if (r) {
		fprintf(stderr, "cannot start %s: %s\n", argv[0], strerror(r));
		server_pid = -1;
		return -1;
	}
	server_stdin = in[1];
	pfd.fd = outp[0];
	pfd.events = POLLIN;
	while (got < sizeof(line) - 1 && !memchr(line, '\n', got)) {
		if (poll(&pfd, 1, 5000) <= 0)
			break;
		n = read(outp[0], line + got, sizeof(line) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(outp[0]);
	line[got] = '\0';
	port = (int)strtol(line, NULL, 10);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "http_server.py did not report a port (got '%s')\n", line);
		return -1;
	}
	return 0;
}

/* The port accepts connections (the server printed it after listen()). */
static bool port_accepts(int p)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)p) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static int setup(void **state)
{
	static char big[BIG_SIZE];

	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(www, sizeof(www), "%s/www", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	snprintf(dest, sizeof(dest), "%s/feed.json", out);
	if (mkdir(www, 0755) || mkdir(out, 0755))
		return -1;
	put_file(www, "feed.json", "{\"feed\": 1}\n", 12);
	memset(big, 'b', sizeof(big));
	put_file(www, "big.bin", big, sizeof(big));
	if (start_server())
		return -1;
	for (int i = 0; i < 50 && !port_accepts(port); i++)
		usleep(100000);
	return port_accepts(port) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	int status;

	(void)state;
	if (server_stdin >= 0)
		close(server_stdin); /* the server exits at end of file */
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, &status, 0);
	}
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* Before each test: a known "previous good" file at dest. */
static int fresh_dest(void **state)
{
	(void)state;
	write_file(dest, "OLD\n", 4);
	return 0;
}

static const struct fetch_result sentinel = { .status = 999, .etag = "untouched" };

/* A failed fetch: the code, the URL in the message, nothing changed. */
static void expect_failure(const char *url, const struct fetch_opts *opts, int code,
			   const char *want)
{
	struct fetch_result res = sentinel;
	struct err e = { "" };
	int r = fetch_to_file(url, dest, opts, &res, &e);

	if (r != code || !strstr(e.msg, url) || (want && !strstr(e.msg, want)))
		fail_msg("%s: got %d '%s', want %d with the URL and '%s'", url, r, e.msg, code,
			 want ? want : "");
	assert_content(dest, "OLD\n");
	assert_int_equal(count_out_files(), 1);
	assert_memory_equal(&res, &sentinel, sizeof(res));
}

static void test_file_download_and_not_modified(void **state)
{
	struct fetch_opts opts = { 0 };
	struct fetch_result res, res2;
	struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, { 0 } };
	struct err e = { "" };
	char url[512], src[128], date[64];
	struct stat st;
	struct tm tm;

	(void)state;
	snprintf(url, sizeof(url), "file://%s/feed.json", www);
	assert_int_equal(fetch_to_file(url, dest, NULL, &res, &e), 0);
	assert_content(dest, "{\"feed\": 1}\n");
	assert_int_equal(res.status, 0);
	assert_false(res.not_modified);
	assert_int_equal(res.bytes, 12);
	assert_int_equal(count_out_files(), 1);
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* last_modified is the source's mtime as an HTTP date. */
	snprintf(src, sizeof(src), "%s/feed.json", www);
	assert_int_equal(stat(src, &st), 0);
	gmtime_r(&st.st_mtime, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	assert_string_equal(res.last_modified, date);

	/* Unchanged source: not modified, and the local file is left alone. */
	write_file(dest, "LOCAL\n", 6);
	opts.last_modified = res.last_modified;
	snprintf(url, sizeof(url), "file://%s/feed.json", www);
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_true(res2.not_modified);
	assert_int_equal(res2.bytes, 0);
	assert_string_equal(res2.last_modified, res.last_modified);
	assert_content(dest, "LOCAL\n");
	assert_int_equal(count_out_files(), 1);

	/* A newer source is downloaded again. */
	times[1].tv_sec = st.st_mtime + 60;
	assert_int_equal(utimensat(AT_FDCWD, src, times, 0), 0);
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_false(res2.not_modified);
	assert_content(dest, "{\"feed\": 1}\n");
	assert_string_not_equal(res2.last_modified, res.last_modified);
}

static void test_file_missing_or_not_a_file(void **state)
{
	char url[512];

	(void)state;
	snprintf(url, sizeof(url), "file://%s/nope.json", www);
	expect_failure(url, NULL, ERR_NET, NULL);
	/* curl would "download" a directory as an empty file. */
	snprintf(url, sizeof(url), "file://%s", www);
	expect_failure(url, NULL, ERR_INPUT, "not a regular file");
}

static void test_http_etag_round_trip(void **state)
{
	struct fetch_opts opts = { 0 };
	struct fetch_result res, res2;
	struct err e = { "" };
	char url[256];

	(void)state;
	url_for(url, sizeof(url), "/feed.json");
	assert_int_equal(fetch_to_file(url, dest, NULL, &res, &e), 0);
	assert_int_equal(res.status, 200);
	assert_false(res.not_modified);
	assert_int_equal(res.bytes, 12);
	assert_content(dest, "{\"feed\": 1}\n");
	assert_int_equal(res.etag[0], '"');
	assert_int_equal(strlen(res.etag), 18);
	assert_non_null(strstr(res.last_modified, " GMT"));

	write_file(dest, "LOCAL\n", 6);
	opts.etag = res.etag;
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_int_equal(res2.status, 304);
	assert_true(res2.not_modified);
	assert_string_equal(res2.etag, res.etag);
	assert_content(dest, "LOCAL\n");
	assert_int_equal(count_out_files(), 1);

	/* A 304 without validators: keep the ones sent. */
	url_for(url, sizeof(url), "/feed.json?bare");
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_true(res2.not_modified);
	assert_string_equal(res2.etag, res.etag);
	assert_string_equal(res2.last_modified, "");
	opts.last_modified = res.last_modified;
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_true(res2.not_modified);
	assert_string_equal(res2.etag, res.etag);
	assert_string_equal(res2.last_modified, res.last_modified);
	assert_content(dest, "LOCAL\n");
	url_for(url, sizeof(url), "/feed.json");
	opts.last_modified = NULL;

	/* A stale ETag gets the body. */
	opts.etag = "\"0000000000000000\"";
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_int_equal(res2.status, 200);
	assert_content(dest, "{\"feed\": 1}\n");

	/* Last-Modified alone works too. */
	write_file(dest, "LOCAL\n", 6);
	opts.etag = NULL;
	opts.last_modified = res.last_modified;
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_true(res2.not_modified);
	assert_content(dest, "LOCAL\n");

	/* A validator with a line break is never sent as a header. */
	opts.etag = "\"x\"\r\nX-Injected: 1";
	opts.last_modified = NULL;
	assert_int_equal(fetch_to_file(url, dest, &opts, &res2, &e), 0);
	assert_int_equal(res2.status, 200);
}

static void test_http_error_status(void **state)
{
	char url[256];

	(void)state;
	url_for(url, sizeof(url), "/nope.json");
	expect_failure(url, NULL, ERR_NET, "404");
	url_for(url, sizeof(url), "/status/500");
	expect_failure(url, NULL, ERR_NET, "500");
	url_for(url, sizeof(url), "/status/403");
	expect_failure(url, NULL, ERR_NET, "403");
	/* "Not modified" to a request with no validators: there is no file to keep. */
	url_for(url, sizeof(url), "/status/304");
	expect_failure(url, NULL, ERR_NET, "304");
	/* A 3xx with no Location is not a feed either. */
	url_for(url, sizeof(url), "/status/300");
	expect_failure(url, NULL, ERR_NET, "300");
}

static void test_http_truncated(void **state)
{
	char url[256];

	(void)state;
	url_for(url, sizeof(url), "/truncated");
	expect_failure(url, NULL, ERR_NET, NULL);
}

static void test_max_bytes(void **state)
{
	struct fetch_opts opts = { .max_bytes = BIG_SIZE - 1 };
	struct fetch_result res;
	struct err e = { "" };
	char url[512];

	(void)state;
	/* Announced by Content-Length, and found while streaming. */
	url_for(url, sizeof(url), "/big.bin");
	expect_failure(url, &opts, ERR_NOMEM, "limit of 199999 bytes");
	url_for(url, sizeof(url), "/stream/200000");
	expect_failure(url, &opts, ERR_NOMEM, "limit of 199999 bytes");
	snprintf(url, sizeof(url), "file://%s/big.bin", www);
	expect_failure(url, &opts, ERR_NOMEM, "limit of 199999 bytes");

	/* Exactly the limit is fine. */
	opts.max_bytes = BIG_SIZE;
	url_for(url, sizeof(url), "/stream/200000");
	assert_int_equal(fetch_to_file(url, dest, &opts, &res, &e), 0);
	assert_int_equal(res.bytes, BIG_SIZE);
	assert_int_equal(res.etag[0], '\0');
	url_for(url, sizeof(url), "/big.bin");
	assert_int_equal(fetch_to_file(url, dest, &opts, &res, &e), 0);
	assert_int_equal(res.bytes, BIG_SIZE);
}

static void test_redirects(void **state)
{
	struct fetch_result res;
	struct err e = { "" };
	char url[256];

	(void)state;
	url_for(url, sizeof(url), "/redirect/redirect/feed.json");
	assert_int_equal(fetch_to_file(url, dest, NULL, &res, &e), 0);
	assert_int_equal(res.status, 200);
	assert_content(dest, "{\"feed\": 1}\n");
	/* A server must not make hfx read a local file. */
	write_file(dest, "OLD\n", 4);
	url_for(url, sizeof(url), "/redirect-file");
	expect_failure(url, NULL, ERR_NET, NULL);
}

static void test_bad_urls(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	char url[256];
	int fd;

	(void)state;
	expect_failure("ftp://127.0.0.1/feed.json", NULL, ERR_INPUT, "only http, https and file");
	expect_failure("gopher://127.0.0.1/", NULL, ERR_INPUT, NULL);
	expect_failure("feed.json", NULL, ERR_INPUT, NULL);
	expect_failure("http://", NULL, ERR_INPUT, NULL);
	/* A port nobody listens on: connection refused. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", ntohs(sa.sin_port));
	expect_failure(url, NULL, ERR_NET, NULL);
}

/* A password in the URL stays out of the message. */
static void test_password_not_shown(void **state)
{
	struct fetch_result res;
	struct err e = { "" };
	char url[256];

	(void)state;
	snprintf(url, sizeof(url), "http://hfx:s3cret@127.0.0.1:%d/nope.json", port);
	assert_int_equal(fetch_to_file(url, dest, NULL, &res, &e), ERR_NET);
	assert_null(strstr(e.msg, "s3cret"));
	assert_non_null(strstr(e.msg, "hfx:***@127.0.0.1"));
}

static void test_missing_dest_dir(void **state)
{
	struct fetch_result res;
	struct err e = { "" };
	char url[256], bad[512];

	(void)state;
	url_for(url, sizeof(url), "/feed.json");
	snprintf(bad, sizeof(bad), "%s/no/such/dir/feed.json", tmpdir);
	assert_int_equal(fetch_to_file(url, bad, NULL, &res, &e), ERR_IO);
	assert_non_null(strstr(e.msg, bad));
}

/* The bar goes to stderr only when asked, and ends with a newline. */
static void test_progress(void **state)
{
	struct fetch_opts opts = { .progress = true, .label = "kev" };
	struct fetch_result res;
	struct err e = { "" };
	char url[256], path[512];
	int saved, fd;
	struct buf b;

	(void)state;
	snprintf(path, sizeof(path), "%s/stderr.txt", tmpdir);
	url_for(url, sizeof(url), "/big.bin");
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	assert_int_equal(fetch_to_file(url, dest, &opts, &res, &e), 0);
	opts.progress = false;
	assert_int_equal(fetch_to_file(url, dest, &opts, &res, &e), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	buf_init(&b, 1 << 20);
	assert_int_equal(buf_read_file(&b, path, &e), 0);
	assert_non_null(strstr(b.data, "\rkev [####################] 100% 195.3 KiB"));
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_int_equal(strchr(b.data, '\n') - b.data, (long)b.len - 1); /* one bar only */
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_file_download_and_not_modified, fresh_dest),
		cmocka_unit_test_setup(test_file_missing_or_not_a_file, fresh_dest),
		cmocka_unit_test_setup(test_http_etag_round_trip, fresh_dest),
		cmocka_unit_test_setup(test_http_error_status, fresh_dest),
		cmocka_unit_test_setup(test_http_truncated, fresh_dest),
		cmocka_unit_test_setup(test_max_bytes, fresh_dest),
		cmocka_unit_test_setup(test_redirects, fresh_dest),
		cmocka_unit_test_setup(test_bad_urls, fresh_dest),
		cmocka_unit_test_setup(test_password_not_shown, fresh_dest),
		cmocka_unit_test_setup(test_missing_dest_dir, fresh_dest),
		cmocka_unit_test_setup(test_progress, fresh_dest),
	};

	return cmocka_run_group_tests(tests, setup, teardown) ? 1 : 0;
}
