/*
 * Delivery with libcurl: a webhook is an HTTP POST of the JSON body, the
 * e-mail one SMTP transaction (libcurl speaks the protocol and
 * dot-stuffs the message). No redirects, no protocol but the one asked,
 * a time limit on each, certificates always verified. Messages name a
 * webhook by its scheme and host only: its path often is the token.
 */
#include "notify/notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "feed/fetch.h"

/* What a webhook's answer may hold that we keep (for messages). */
#define ANSWER_KEEP 160
/* The longest password file read. */
#define PASSWORD_MAX 1024

void notify_url_shown(const char *url, char *ret, size_t size)
{
	const char *host = strstr(url, "://");
	size_t n;

	host = host ? host + 3 : url;
	n = (size_t)(host - url) + strcspn(host, "/?#");
	snprintf(ret, size, "%.*s%s", (int)(n < 200 ? n : 200), url, url[n] ? "/..." : "");
}

struct answer {
	char text[ANSWER_KEEP + 1];
	size_t len;
};

/* Keeps the start of the answer, printable, and drops the rest. */
static size_t answer_cb(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct answer *a = ctx;
	size_t n = size * nmemb;

	for (size_t i = 0; i < n && a->len < ANSWER_KEEP; i++)
		a->text[a->len++] = data[i] >= ' ' && data[i] < 0x7f ? data[i] : ' ';
	a->text[a->len] = '\0';
	return n;
}

#define SETOPT(opt, val) do { \
		if ((c = curl_easy_setopt(h, opt, val)) != CURLE_OK) \
			goto out; \
	} while (0)

/* The options every delivery shares. */
static CURLcode common_options(CURL *h, const char *url, const char *protocols, long timeout_s,
			       char *errbuf)
{
	CURLcode c = CURLE_OK;

	SETOPT(CURLOPT_URL, url);
	SETOPT(CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(CURLOPT_PROTOCOLS_STR, protocols);
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_TIMEOUT, timeout_s);
	SETOPT(CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
out:
	return c;
}

static int curl_failed(CURLcode c, const char *errbuf, const char *what, struct err *e)
{
	return err_set(e, ERR_NET, "%s: %s", what, errbuf[0] ? errbuf : curl_easy_strerror(c));
}

int notify_send_webhook(const char *url, const char *body, size_t len, long timeout_s,
			struct err *e)
{
	char errbuf[CURL_ERROR_SIZE] = "", shown[256], what[300];
	struct curl_slist *headers = NULL, *more;
	struct answer answer = { "", 0 };
	CURLcode c = CURLE_OK;
	long status = 0;
	CURL *h = NULL;
	int rc = fetch_global_init(e);

	notify_url_shown(url, shown, sizeof(shown));
	snprintf(what, sizeof(what), "webhook %s", shown);
	if (rc)
		return rc;
	h = curl_easy_init();
	headers = curl_slist_append(NULL, "Content-Type: application/json");
	/* No "Expect: 100-continue" wait on a large body. */
	more = headers ? curl_slist_append(headers, "Expect:") : NULL;
	if (!h || !more) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto done;
	}
	c = common_options(h, url, "http,https", timeout_s, errbuf);
	if (c)
		goto out;
	SETOPT(CURLOPT_USERAGENT, "hfx");
	SETOPT(CURLOPT_HTTPHEADER, headers);
	SETOPT(CURLOPT_POST, 1L);
	SETOPT(CURLOPT_POSTFIELDS, body);
	SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	SETOPT(CURLOPT_WRITEFUNCTION, answer_cb);
	SETOPT(CURLOPT_WRITEDATA, &answer);
	c = curl_easy_perform(h);
	if (!c)
		c = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
out:
	if (c)
		rc = curl_failed(c, errbuf, what, e);
	else if (status < 200 || status > 299)
		rc = err_set(e, ERR_NET, "%s: HTTP %ld%s%s", what, status, answer.len ? ": " : "",
			     answer.text);
done:
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}

/* ---- e-mail ---- */

struct reader {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct reader *r = ctx;
	size_t n = size * nmemb;

	if (n > r->len - r->off)
		n = r->len - r->off;
	memcpy(buf, r->data + r->off, n);
	r->off += n;
	return n;
}

/*
 * The first line of the password file into ret (size bytes). The file
 * must not be readable by others: a password there is no secret.
 */
static int read_password(const char *path, char *ret, size_t size, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	ssize_t n;
	size_t len;

	if (fd < 0)
		return err_set(e, ERR_IO, "[notify] smtp-password-file '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_mode & S_IROTH)) {
		close(fd);
		return err_set(e, ERR_INPUT, "[notify] smtp-password-file '%s': not a regular file "
			       "that only its owner and group may read (chmod o-rwx)", path);
	}
	n = read(fd, ret, size - 1);
	close(fd);
	if (n < 0)
		return err_set(e, ERR_IO, "[notify] smtp-password-file '%s': %s", path,
			       strerror(errno));
	ret[n] = '\0';
	len = strcspn(ret, "\r\n");
	explicit_bzero(ret + len, size - len);
	if (!len)
		return err_set(e, ERR_INPUT, "[notify] smtp-password-file '%s': the first line is "
			       "empty", path);
	return 0;
}

/* "<a@x>" for each of "a@x, b@y". */
static struct curl_slist *recipients(const char *to)
{
	struct curl_slist *list = NULL, *next;
	char one[POLICY_ADDRESS_MAX + 3];

	while (*to) {
		size_t n = strcspn(to, ", ");

		snprintf(one, sizeof(one), "<%.*s>", (int)n, to);
		next = curl_slist_append(list, one);
		if (!next) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = next;
		to += n;
		to += strspn(to, ", ");
	}
	return list;
}

int notify_send_mail(const struct policy_notify *n, const char *msg, size_t len,
		     struct err *e)
{
	bool v6 = strchr(n->smtp_server, ':') != NULL;
	char url[POLICY_HOST_MAX + 32], from[POLICY_ADDRESS_MAX + 3], what[POLICY_HOST_MAX + 64];
	char errbuf[CURL_ERROR_SIZE] = "", password[PASSWORD_MAX];
	struct reader r = { msg, len, 0 };
	struct curl_slist *rcpt = NULL;
	CURLcode c = CURLE_OK;
	CURL *h = NULL;
	int rc = fetch_global_init(e);

	snprintf(url, sizeof(url), "%s://%s%s%s:%d", n->smtp_tls == POLICY_TLS_TLS ? "smtps" : "smtp",
		 v6 ? "[" : "", n->smtp_server, v6 ? "]" : "", n->smtp_port);
	snprintf(what, sizeof(what), "e-mail via %s", url);
	snprintf(from, sizeof(from), "<%s>", n->from);
	password[0] = '\0';
	if (!rc && n->smtp_user[0])
		rc = read_password(n->smtp_password_file, password, sizeof(password), e);
	if (rc)
		goto done;
	h = curl_easy_init();
	rcpt = recipients(n->to);
	if (!h || !rcpt) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto done;
	}
	c = common_options(h, url, "smtp,smtps", n->timeout_seconds, errbuf);
	if (c)
		goto out;
	/* starttls: CURLUSESSL_ALL fails when the server cannot upgrade,
	 * rather than sending in clear. */
	SETOPT(CURLOPT_USE_SSL, (long)(n->smtp_tls == POLICY_TLS_NONE ? CURLUSESSL_NONE
								       : CURLUSESSL_ALL));
	SETOPT(CURLOPT_MAIL_FROM, from);
	SETOPT(CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(CURLOPT_UPLOAD, 1L);
	SETOPT(CURLOPT_READFUNCTION, read_cb);
	SETOPT(CURLOPT_READDATA, &r);
	SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	if (n->smtp_user[0]) {
		SETOPT(CURLOPT_USERNAME, n->smtp_user);
		SETOPT(CURLOPT_PASSWORD, password);
	}
	c = curl_easy_perform(h);
out:
	if (c)
		rc = curl_failed(c, errbuf, what, e);
done:
	explicit_bzero(password, sizeof(password));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc;
}
