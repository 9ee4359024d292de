/*
 * Notifications: one digest per run of what is news since the last one,
 * delivered to the [notify] channels of hfx.conf (webhooks, e-mail over
 * SMTP), each item once. docs/NOTIFY.md describes the triggers, the keys,
 * the JSON body and the e-mail.
 *
 * The news comes from the database, not from what a command just did, so
 * that any caller (`hfx notify`, the watch loop) finds the same: new
 * advisories that affect hosts, an advisory's priority raised, overdue
 * findings, reissued and regressed findings, failed and rolled back
 * deployments, halted waves. Each item has a key; notify_sent holds the
 * keys delivered, written only once every channel accepted the digest, so
 * a failed delivery is retried whole by the next run.
 *
 * Split: gather.c builds the events from the store (store/notify_store.h);
 * render.c writes the text, the JSON body and the e-mail (pure); send.c
 * delivers with libcurl; notify.c runs the whole. Nothing here prints.
 */
#ifndef HFX_NOTIFY_NOTIFY_H
#define HFX_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "core/policy.h"
#include "store/store.h"

enum notify_kind {
	NOTIFY_NEW,       /* an advisory now affects hosts */
	NOTIFY_PRIORITY,  /* an advisory's highest open priority rose */
	NOTIFY_OVERDUE,   /* a finding is past its due date */
	NOTIFY_REISSUED,  /* a finding came back: its fix was superseded */
	NOTIFY_REGRESSED, /* a finding came back: the host lost its fix */
	NOTIFY_DEPLOY,    /* a deploy job failed, was rolled back, or its rollback failed */
	NOTIFY_HALT,      /* a plan's wave has more failed jobs than its ring tolerates */
	NOTIFY_NKINDS,
};

/* "new", "priority", "overdue", "reissued", "regressed", "deploy", "halt". */
const char *notify_kind_name(enum notify_kind k);

#define NOTIFY_KEY_MAX 192
/* Events in one digest at most; the rest wait for the next run. */
#define NOTIFY_EVENTS_MAX 10000
/* Events in one JSON body at most, by kind; the others are counted. */
#define NOTIFY_JSON_EVENTS_MAX 200

/*
 * One item of news. Texts are cut to their fields (an advisory name to
 * 127 bytes, a summary to NOTIFY_SUMMARY_MAX, on a UTF-8 boundary) and
 * hold no control characters. Unused fields are "", -1 or 0.
 */
#define NOTIFY_SUMMARY_MAX 120
struct notify_event {
	enum notify_kind kind;
	char key[NOTIFY_KEY_MAX];   /* the notify_sent key */
	char key2[NOTIFY_KEY_MAX];  /* a second key delivered with it ("" none): a new
				     * advisory's priority:NAME:N */
	char advisory[128], cve[32], summary[NOTIFY_SUMMARY_MAX + 1];
	char host[256];             /* a finding's or job's host; an advisory's hosts,
				     * comma-separated, cut at a name */
	char package[128], due[16], reason[256], state[24], ring[64];
	int priority, prev_priority; /* enum ssvc_priority; -1 unknown or none */
	long hosts;                 /* hosts an advisory affects */
	bool kev;                   /* an advisory's CVE is in CISA KEV */
	sqlite3_int64 finding, plan, job;
	int wave;                   /* from 1 */
	long failed, tolerated;     /* a halted wave's failed jobs, its ring's max-failures */
};

/* The events of one run, in order of kind, then the most urgent first. */
struct notify_digest {
	struct notify_event *v;
	size_t n, cap;
	size_t count[NOTIFY_NKINDS];
	bool truncated;             /* NOTIFY_EVENTS_MAX reached: more next run */
	char now[32];               /* when it was gathered (store_now()) */
};

void notify_digest_release(struct notify_digest *d);
/* Appends a copy of ev (counted); past NOTIFY_EVENTS_MAX, sets truncated and
 * drops it. Returns 0 or ERR_NOMEM. */
int notify_digest_add(struct notify_digest *d, const struct notify_event *ev, struct err *e);

/*
 * Gathers the news from s as p's [notify] section and [ring] budgets say,
 * as of store_now(). The ranks must be current (assess_refresh()). Reads
 * only. Returns 0 (*ret filled; release it) or an error code.
 */
int notify_gather(struct store *s, const struct policy *p, struct notify_digest *ret,
		  struct err *e);

/* ---- rendering (render.c): pure, no I/O ---- */

/* "3 new advisories, 1 priority raised, 2 overdue": the counts of d. */
void notify_summary_line(const struct notify_digest *d, char *ret, size_t size);

/* The digest as plain text (UTF-8, "\n"), at most max_lines lines per kind
 * ("and 12 more" after them). Appends to ret; 0 or ERR_NOMEM. */
int notify_render_text(const struct notify_digest *d, int max_lines, struct buf *ret,
		       struct err *e);

/* The webhook body: a JSON object with text (the digest's text, escaped
 * for Slack), counts, events and omitted; see docs/NOTIFY.md. *ret is
 * malloc'd (free it). Returns 0 or ERR_NOMEM. */
int notify_render_json(const struct notify_digest *d, int max_lines, char **ret,
		       struct err *e);

/*
 * The e-mail: RFC 5322 headers (From, To, Subject, Date, Message-ID,
 * MIME-Version, Content-Type text/plain; charset=utf-8,
 * Content-Transfer-Encoding 8bit), a blank line and text, every line
 * ended by CRLF and cut at 998 bytes. Dot-stuffing is the SMTP client's.
 * Appends to ret; 0 or ERR_NOMEM.
 */
int notify_render_mail(const struct notify_digest *d, const struct policy_notify *c,
		       const char *text, struct buf *ret, struct err *e);

/* ---- delivery (send.c): libcurl ---- */

/* POSTs body to url (http or https; no redirects) as application/json;
 * an answer 2xx is success, anything else ERR_NET naming the URL without
 * its path (which may hold a token). */
int notify_send_webhook(const char *url, const char *body, size_t len, long timeout_s,
			struct err *e);

/* Sends msg (notify_render_mail()) from n->from to every n->to through
 * n->smtp_server, as n->smtp_tls says, logging in when n->smtp_user is
 * set (the password read from n->smtp_password_file and wiped after).
 * Returns 0, ERR_NET (the server refused or could not be reached), or
 * ERR_IO / ERR_INPUT (the password file). */
int notify_send_mail(const struct policy_notify *n, const char *msg, size_t len,
		     struct err *e);

/* "https://hooks.example.com/…": the URL without what follows its host. */
void notify_url_shown(const char *url, char *ret, size_t size);

/* ---- the whole run (notify.c) ---- */

/* Whether p's [notify] section names a channel: a webhook or an SMTP server. */
bool notify_configured(const struct policy *p);

struct notify_result {
	size_t events;                /* delivered, or in the dry run's digest */
	size_t count[NOTIFY_NKINDS];
	bool truncated;               /* more news than one digest holds: next run */
	size_t webhooks;              /* webhooks that accepted it */
	bool mailed;                  /* the e-mail was accepted */
	char *text;                   /* the digest as text; NULL when nothing was news */
};

void notify_result_release(struct notify_result *r);

/*
 * Brings the ranks up to date, gathers the news and, unless dry_run,
 * delivers one digest to every channel of p's [notify] section; once all
 * accepted it, records the keys in notify_sent and appends one
 * "notify.send" audit record by actor (without the URLs), in one
 * transaction. When nothing is news, it sends nothing and returns 0 with
 * ret->events 0. A channel that fails ends it: ERR_NET or ERR_IO, nothing
 * recorded (the channels that accepted it may get it again next run). A
 * dry run needs no channel; otherwise none configured is ERR_INPUT.
 * Returns 0 with *ret filled (release it), or an error code with *ret
 * untouched.
 */
int notify_run(struct store *s, const struct policy *p, const char *actor, bool dry_run,
	       struct notify_result *ret, struct err *e);

#endif
