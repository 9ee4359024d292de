/*
 * A digest as text, as the webhooks' JSON body and as an e-mail; see
 * notify.h and docs/NOTIFY.md for the formats. Pure: no I/O, no store.
 * The events' texts hold no control characters (gather.c), so no datum
 * can start a line or a header of its own.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/hash.h"
#include "base/timefmt.h"
#include "core/ssvc.h"

/* The most an RFC 5322 line may hold, CRLF aside. */
#define MAIL_LINE_MAX 998

static const char *priority_name(int p)
{
	return p >= SSVC_DEFER && p <= SSVC_IMMEDIATE ? ssvc_priority_name((enum ssvc_priority)p)
						      : "unranked";
}

/* Words of the summary line and the section titles, by kind. */
static const struct {
	const char *one, *many, *title;
} words[NOTIFY_NKINDS] = {
	[NOTIFY_NEW] = { "new advisory", "new advisories", "New advisories affecting hosts" },
	[NOTIFY_PRIORITY] = { "priority raised", "priorities raised", "Priority raised" },
	[NOTIFY_OVERDUE] = { "overdue", "overdue", "Overdue findings" },
	[NOTIFY_REISSUED] = { "reissued", "reissued", "Reissued fixes (findings back open)" },
	[NOTIFY_REGRESSED] = { "regressed", "regressed", "Regressed fixes (findings back open)" },
	[NOTIFY_DEPLOY] = { "failed deployment", "failed deployments",
			    "Deployments failed or rolled back" },
	[NOTIFY_HALT] = { "wave halted", "waves halted", "Waves halted" },
};

void notify_summary_line(const struct notify_digest *d, char *ret, size_t size)
{
	size_t o = 0;

	ret[0] = '\0';
	for (size_t k = 0; k < NOTIFY_NKINDS && o < size; k++)
		if (d->count[k])
			o += (size_t)snprintf(ret + o, size - o, "%s%zu %s", o ? ", " : "",
					      d->count[k],
					      d->count[k] == 1 ? words[k].one : words[k].many);
	if (!o)
		snprintf(ret, size, "nothing new");
	else if (d->truncated && o < size)
		snprintf(ret + o, size - o, " (more next run)");
}

/* ", due 2026-11-30" or "". */
static void due_text(const char *due, char *ret, size_t size)
{
	snprintf(ret, size, "%s%s", due[0] ? ", due " : "", due);
}

/* " (CVE-2024-1234)" or "". */
static void cve_text(const char *cve, char *ret, size_t size)
{
	snprintf(ret, size, "%s%s%s", cve[0] ? " (" : "", cve, cve[0] ? ")" : "");
}

/* One event as a line of text, without its "- " and newline. */
static int event_line(const struct notify_event *ev, struct buf *b, struct err *e)
{
	char due[32], cve[40];

	due_text(ev->due, due, sizeof(due));
	cve_text(ev->cve, cve, sizeof(cve));
	switch (ev->kind) {
	case NOTIFY_NEW:
	case NOTIFY_PRIORITY:
		return buf_appendf(b, e, "%s%s: %s%s%s%s, %ld host%s (%s)%s%s%s", ev->advisory, cve,
				   ev->kind == NOTIFY_PRIORITY ? priority_name(ev->prev_priority) : "",
				   ev->kind == NOTIFY_PRIORITY ? " -> " : "",
				   priority_name(ev->priority), ev->kev ? ", in CISA KEV" : "",
				   ev->hosts, ev->hosts == 1 ? "" : "s", ev->host, due,
				   ev->summary[0] ? ": " : "", ev->summary);
	case NOTIFY_OVERDUE:
	case NOTIFY_REISSUED:
	case NOTIFY_REGRESSED:
		return buf_appendf(b, e, "%s %s: %s%s, %s%s%s%s", ev->host, ev->package,
				   ev->advisory, cve, priority_name(ev->priority), due,
				   ev->reason[0] ? ": " : "", ev->reason);
	case NOTIFY_DEPLOY:
		return buf_appendf(b, e, "plan %lld, wave %d, %s (job %lld): %s%s%s",
				   (long long)ev->plan, ev->wave, ev->host, (long long)ev->job,
				   ev->state, ev->reason[0] ? ": " : "", ev->reason);
	case NOTIFY_HALT:
		return buf_appendf(b, e, "plan %lld, wave %d (ring %s): %ld failed job%s, %ld "
				   "tolerated", (long long)ev->plan, ev->wave,
				   ev->ring[0] ? ev->ring : "default", ev->failed,
				   ev->failed == 1 ? "" : "s", ev->tolerated);
	case NOTIFY_NKINDS:
		break;
	}
	return 0;
}

int notify_render_text(const struct notify_digest *d, int max_lines, struct buf *ret,
		       struct err *e)
{
	char summary[512];
	size_t i = 0;
	int rc;

	notify_summary_line(d, summary, sizeof(summary));
	rc = buf_appendf(ret, e, "hfx: %s (%s)\n", summary, d->now);
	for (size_t k = 0; k < NOTIFY_NKINDS && !rc; k++) {
		size_t shown = 0;

		if (d->count[k])
			rc = buf_appendf(ret, e, "\n%s (%zu):\n", words[k].title, d->count[k]);
		for (; i < d->n && d->v[i].kind == k && !rc; i++) {
			if (shown++ >= (size_t)max_lines)
				continue;
			rc = buf_append(ret, "- ", 2, e);
			if (!rc)
				rc = event_line(&d->v[i], ret, e);
			if (!rc)
				rc = buf_append(ret, "\n", 1, e);
		}
		if (!rc && shown > (size_t)max_lines)
			rc = buf_appendf(ret, e, "- and %zu more\n", shown - (size_t)max_lines);
	}
	if (!rc && d->truncated)
		rc = buf_appendf(ret, e, "\nMore news than one digest holds (%d events): the rest "
				 "comes with the next run.\n", NOTIFY_EVENTS_MAX);
	return rc;
}

/* ---- JSON ---- */

/* Sets key to s unless s is empty. */
static int set_str(json_t *o, const char *key, const char *s)
{
	return s[0] ? json_object_set_new(o, key, json_string(s)) : 0;
}

static int set_int(json_t *o, const char *key, long long v)
{
	return json_object_set_new(o, key, json_integer(v));
}

static int set_priority(json_t *o, const char *key, int p)
{
	return json_object_set_new(o, key, p >= 0 ? json_string(priority_name(p)) : json_null());
}

/* "a, b, c" as ["a", "b", "c"]. */
static json_t *name_list(const char *s)
{
	json_t *a = json_array();

	while (a && *s) {
		size_t n = strcspn(s, ",");

		json_array_append_new(a, json_stringn(s, n));
		s += n;
		s += strspn(s, ", ");
	}
	return a;
}

static json_t *event_json(const struct notify_event *ev)
{
	json_t *o = json_object();
	int rc;

	if (!o)
		return NULL;
	rc = set_str(o, "kind", notify_kind_name(ev->kind)) | set_str(o, "key", ev->key);
	switch (ev->kind) {
	case NOTIFY_NEW:
	case NOTIFY_PRIORITY:
		rc |= set_str(o, "advisory", ev->advisory) | set_str(o, "cve", ev->cve) |
		      set_priority(o, "priority", ev->priority) | set_str(o, "due", ev->due) |
		      set_int(o, "hosts", ev->hosts) |
		      json_object_set_new(o, "host_names", name_list(ev->host)) |
		      json_object_set_new(o, "kev", json_boolean(ev->kev)) |
		      set_str(o, "summary", ev->summary);
		if (ev->kind == NOTIFY_PRIORITY)
			rc |= set_priority(o, "previous_priority", ev->prev_priority);
		break;
	case NOTIFY_OVERDUE:
	case NOTIFY_REISSUED:
	case NOTIFY_REGRESSED:
		rc |= set_int(o, "finding", ev->finding) | set_str(o, "advisory", ev->advisory) |
		      set_str(o, "cve", ev->cve) | set_str(o, "host", ev->host) |
		      set_str(o, "package", ev->package) |
		      set_priority(o, "priority", ev->priority) | set_str(o, "due", ev->due) |
		      set_str(o, "reason", ev->reason);
		break;
	case NOTIFY_DEPLOY:
		rc |= set_int(o, "job", ev->job) | set_int(o, "plan", ev->plan) |
		      set_int(o, "wave", ev->wave) | set_str(o, "host", ev->host) |
		      set_str(o, "ring", ev->ring) | set_str(o, "state", ev->state) |
		      set_str(o, "reason", ev->reason);
		break;
	case NOTIFY_HALT:
		rc |= set_int(o, "plan", ev->plan) | set_int(o, "wave", ev->wave) |
		      set_str(o, "ring", ev->ring) | set_int(o, "failed", ev->failed) |
		      set_int(o, "max_failures", ev->tolerated);
		break;
	case NOTIFY_NKINDS:
		break;
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Slack reads &, < and > as control characters (its "mrkdwn"). */
static int slack_escape(const char *s, size_t len, struct buf *b, struct err *e)
{
	int rc = 0;

	for (size_t i = 0; i < len && !rc; i++) {
		const char *esc = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" :
				  s[i] == '>' ? "&gt;" : NULL;

		rc = esc ? buf_append(b, esc, strlen(esc), e) : buf_append(b, s + i, 1, e);
	}
	return rc;
}

static json_t *body_json(const struct notify_digest *d, const char *text)
{
	json_t *root = json_object(), *counts = json_object(), *omitted = json_object(),
	       *events = json_array();
	size_t shown[NOTIFY_NKINDS] = { 0 };
	char summary[512];
	int rc = !root || !counts || !omitted || !events;

	notify_summary_line(d, summary, sizeof(summary));
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct notify_event *ev = &d->v[i];

		if (shown[ev->kind] >= NOTIFY_JSON_EVENTS_MAX)
			continue;
		shown[ev->kind]++;
		rc = json_array_append_new(events, event_json(ev));
	}
	for (size_t k = 0; k < NOTIFY_NKINDS && !rc; k++)
		rc = set_int(counts, notify_kind_name(k), (long long)d->count[k]) |
		     set_int(omitted, notify_kind_name(k), (long long)(d->count[k] - shown[k]));
	if (!rc)
		rc = set_str(root, "text", text) | set_str(root, "summary", summary) |
		     set_str(root, "generated_at", d->now) |
		     json_object_set(root, "counts", counts) |
		     json_object_set(root, "events", events) |
		     json_object_set(root, "omitted", omitted) |
		     json_object_set_new(root, "truncated", json_boolean(d->truncated));
	json_decref(counts);
	json_decref(omitted);
	json_decref(events);
	if (rc) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int notify_render_json(const struct notify_digest *d, int max_lines, char **ret,
		       struct err *e)
{
	struct buf text, slack;
	json_t *root = NULL;
	char *out = NULL;
	int rc;

	buf_init(&text, 16u << 20);
	buf_init(&slack, 32u << 20);
	rc = notify_render_text(d, max_lines, &text, e);
	if (!rc)
		rc = slack_escape(text.data ? text.data : "", text.len, &slack, e);
	if (!rc && (!(root = body_json(d, slack.data ? slack.data : "")) ||
		    !(out = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT))))
		rc = err_set(e, ERR_NOMEM, "out of memory");
	json_decref(root);
	buf_release(&text);
	buf_release(&slack);
	if (!rc)
		*ret = out;
	return rc;
}

/* ---- e-mail ---- */

/* "Sat, 28 Nov 2026 10:00:00 +0000" for an RFC 3339 UTC time. */
static void mail_date(const char *now, char *ret, size_t size)
{
	static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct instant in = { 0, 0 };
	int64_t day, y, sec;
	int m, dd;

	if (!rfc3339_parse(now, &in))
		in.sec = 0;
	day = in.sec >= 0 ? in.sec / 86400 : -((-in.sec + 86399) / 86400);
	sec = in.sec - day * 86400;
	civil_from_days(day, &y, &m, &dd);
	snprintf(ret, size, "%s, %d %s %04lld %02d:%02d:%02d +0000",
		 days[((day % 7) + 7) % 7], dd, months[m - 1], (long long)y, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

/* Appends s[0..len) with CRLF line ends, each line cut at MAIL_LINE_MAX
 * bytes (on a UTF-8 character boundary). */
static int append_crlf(const char *s, size_t len, struct buf *b, struct err *e)
{
	int rc = 0;

	while (len && !rc) {
		const char *nl = memchr(s, '\n', len);
		size_t line = nl ? (size_t)(nl - s) : len, cut = line;

		if (cut > MAIL_LINE_MAX) {
			cut = MAIL_LINE_MAX;
			while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
				cut--;
		}
		rc = buf_append(b, s, cut, e);
		if (!rc)
			rc = buf_append(b, "\r\n", 2, e);
		line += nl != NULL;
		s += line;
		len -= line;
	}
	return rc;
}

int notify_render_mail(const struct notify_digest *d, const struct policy_notify *c,
		       const char *text, struct buf *ret, struct err *e)
{
	const char *domain = strchr(c->from, '@');
	char date[64], summary[512], id[SHA256_HEX_LEN + 1];
	struct sha256 *h = sha256_init();
	size_t len = ret->len;
	int rc;

	if (!h)
		return err_set(e, ERR_NOMEM, "out of memory");
	sha256_update(h, d->now, strlen(d->now));
	sha256_update(h, text, strlen(text));
	sha256_final(h, id);
	mail_date(d->now, date, sizeof(date));
	notify_summary_line(d, summary, sizeof(summary));
	/* Every value is ASCII without CR or LF: the addresses by the policy's
	 * syntax, the subject from counts and fixed words. */
	rc = buf_appendf(ret, e,
			 "From: %s\r\nTo: %s\r\nSubject: hfx: %s\r\nDate: %s\r\n"
			 "Message-ID: <hfx.%.32s@%s>\r\nMIME-Version: 1.0\r\n"
			 "Content-Type: text/plain; charset=utf-8\r\n"
			 "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
			 c->from, c->to, summary, date, id, domain ? domain + 1 : "hfx.invalid");
	if (!rc)
		rc = append_crlf(text, strlen(text), ret, e);
	if (rc && ret->data) {
		ret->len = len;
		ret->data[len] = '\0';
	}
	return rc;
}
