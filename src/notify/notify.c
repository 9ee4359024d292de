/*
 * One notification run: current ranks, the news, one digest to every
 * channel, then the keys and the audit record; see notify.h.
 *
 * Delivery happens outside any transaction: holding SQLite's write lock
 * across network calls would stall every other command for as long as a
 * server takes to answer. So two runs at the same moment could both send
 * the same news; the watch loop runs one at a time (its lock), and the
 * keys are written with INSERT OR IGNORE, so the table stays right.
 */
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assess/rank.h"
#include "audit/audit.h"
#include "store/notify_store.h"

bool notify_configured(const struct policy *p)
{
	return p->notify.webhook[0] || p->notify.smtp_server[0];
}

void notify_result_release(struct notify_result *r)
{
	if (!r)
		return;
	free(r->text);
	r->text = NULL;
}

/* The next URL of a webhook list ("u1 u2") into url; *list moves past it.
 * Returns false at the end. */
static bool next_url(const char **list, char url[POLICY_LIST_MAX + 1])
{
	size_t len = strcspn(*list, " ");

	if (!**list)
		return false;
	memcpy(url, *list, len);
	url[len] = '\0';
	*list += len + ((*list)[len] == ' ');
	return true;
}

/* The news as of now, with the ranks brought up to date first (a feed
 * import may have raised priorities). */
static int gather(struct store *s, const struct policy *p, const char *actor,
		  struct notify_digest *d, struct err *e)
{
	int rc = store_begin(s, e);

	if (rc)
		return rc;
	rc = assess_refresh(s, p, actor, ASSESS_IF_STALE, NULL, e);
	if (!rc)
		rc = notify_gather(s, p, d, e);
	if (!rc)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

/* Every webhook, then the e-mail; the first failure stops it. */
static int deliver(const struct policy_notify *n, const struct notify_digest *d,
		   const char *text, struct notify_result *r, struct err *e)
{
	char *body = NULL, url[POLICY_LIST_MAX + 1];
	const char *list = n->webhook;
	struct buf mail;
	int rc = 0;

	buf_init(&mail, 64u << 20);
	if (n->webhook[0])
		rc = notify_render_json(d, n->max_lines, &body, e);
	while (!rc && next_url(&list, url)) {
		rc = notify_send_webhook(url, body, strlen(body), n->timeout_seconds, e);
		r->webhooks += !rc;
	}
	if (!rc && n->smtp_server[0])
		rc = notify_render_mail(d, n, text, &mail, e);
	if (!rc && n->smtp_server[0])
		rc = notify_send_mail(n, mail.data, mail.len, e);
	r->mailed = !rc && n->smtp_server[0];
	free(body);
	buf_release(&mail);
	return rc;
}

/* What the audit record says: what was sent, and where, without the
 * webhooks' paths (tokens). */
static json_t *audit_details(const struct policy_notify *n, const struct notify_digest *d)
{
	json_t *o = json_object(), *counts = json_object(), *hooks = json_array();
	char summary[512], shown[256], url[POLICY_LIST_MAX + 1];
	const char *list = n->webhook;
	int rc = !o || !counts || !hooks;

	notify_summary_line(d, summary, sizeof(summary));
	for (size_t k = 0; k < NOTIFY_NKINDS && !rc; k++)
		rc = json_object_set_new(counts, notify_kind_name(k),
					 json_integer((json_int_t)d->count[k]));
	while (!rc && next_url(&list, url)) {
		notify_url_shown(url, shown, sizeof(shown));
		rc = json_array_append_new(hooks, json_string(shown));
	}
	if (!rc)
		rc = json_object_set_new(o, "summary", json_string(summary)) |
		     json_object_set_new(o, "events", json_integer((json_int_t)d->n)) |
		     json_object_set(o, "counts", counts) | json_object_set(o, "webhooks", hooks) |
		     json_object_set_new(o, "mail_to", json_string(n->smtp_server[0] ? n->to : ""));
	json_decref(counts);
	json_decref(hooks);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The keys of every event delivered, and the audit record, together. */
static int record(struct store *s, const struct policy_notify *n, const char *actor,
		  const struct notify_digest *d, struct err *e)
{
	json_t *details = audit_details(n, d);
	int rc = details ? store_begin(s, e) : err_set(e, ERR_NOMEM, "out of memory");

	if (rc) {
		json_decref(details);
		return rc;
	}
	for (size_t i = 0; i < d->n && !rc; i++) {
		rc = notify_mark_sent(s, d->v[i].key, d->now, e);
		if (!rc && d->v[i].key2[0])
			rc = notify_mark_sent(s, d->v[i].key2, d->now, e);
	}
	if (!rc)
		rc = audit_append(s, actor, "notify.send", "notify", details, e);
	json_decref(details);
	if (!rc)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

int notify_run(struct store *s, const struct policy *p, const char *actor, bool dry_run,
	       struct notify_result *ret, struct err *e)
{
	struct notify_result r = { 0 };
	struct notify_digest d = { 0 };
	struct buf text;
	int rc = 0;

	if (!dry_run && !notify_configured(p))
		return err_set(e, ERR_INPUT, "no notification channel: set [notify] webhook, or "
			       "smtp-server, from and to, in hfx.conf (see docs/NOTIFY.md)");
	buf_init(&text, 16u << 20);
	rc = gather(s, p, actor, &d, e);
	if (!rc && d.n) {
		rc = notify_render_text(&d, p->notify.max_lines, &text, e);
		if (!rc && !(r.text = strdup(text.data)))
			rc = err_set(e, ERR_NOMEM, "out of memory");
	}
	if (!rc && d.n && !dry_run)
		rc = deliver(&p->notify, &d, text.data, &r, e);
	if (!rc && d.n && !dry_run)
		rc = record(s, &p->notify, actor, &d, e);
	if (!rc) {
		r.events = d.n;
		memcpy(r.count, d.count, sizeof(r.count));
		r.truncated = d.truncated;
		*ret = r;
	} else {
		notify_result_release(&r);
	}
	notify_digest_release(&d);
	buf_release(&text);
	return rc;
}
