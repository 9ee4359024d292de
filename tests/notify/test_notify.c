/*
 * Notifications without a network: which events a database holds and
 * their notify_sent keys (every trigger, deploy and halted waves
 * included), nothing twice, a raised priority, min-priority; the digest's
 * text and its bounds, the JSON body, the e-mail's format; the [notify]
 * keys of the policy. tests/notify/notify.sh delivers to real receivers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "notify/notify.h"
#include "store/notify_store.h"
#include "testutil.h"

struct fixture {
	char dir[256], db[300];
	struct store *s;
	struct err e;
};

static void fx_open(struct fixture *f)
{
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/hfx-notify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/hfx.db", f->dir);
	setenv("HFX_NOW", "2026-11-28T10:00:00Z", 1);
	if (store_open(f->db, true, &f->s, &f->e))
		fail_msg("store_open: %s", f->e.msg);
}

static void fx_close(struct fixture *f)
{
	const char *suffix[] = { "", "-wal", "-shm" };
	char path[400];

	store_close(f->s);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
		unlink(path);
	}
	rmdir(f->dir);
}

static void sql(struct fixture *f, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(f->s->db, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
}

static void gather(struct fixture *f, const struct policy *p, struct notify_digest *d)
{
	if (notify_gather(f->s, p, d, &f->e))
		fail_msg("notify_gather: %s", f->e.msg);
}

static const struct notify_event *find_kind(const struct notify_digest *d, enum notify_kind k)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == k)
			return &d->v[i];
	return NULL;
}

static void mark_all(struct fixture *f, const struct notify_digest *d)
{
	for (size_t i = 0; i < d->n; i++) {
		assert_int_equal(notify_mark_sent(f->s, d->v[i].key, d->now, &f->e), 0);
		if (d->v[i].key2[0])
			assert_int_equal(notify_mark_sent(f->s, d->v[i].key2, d->now, &f->e), 0);
	}
}

/* Two advisories, one affecting two hosts; one overdue finding, one
 * reissued; a plan whose first wave has a failed job. */
static void fleet(struct fixture *f)
{
	sql(f, "INSERT INTO advisory (id, name) VALUES (1, 'DSA-1'), (2, 'DSA-NOBODY');"
	       "INSERT INTO advisory_rev (id, advisory_id, modified, summary, content_hash, source, "
	       "  imported_at, record) VALUES (1, 1, 'x', 'openssl: bad\nthings', 'h', 's', 'x', '{}');"
	       "UPDATE advisory SET current_rev = 1 WHERE id = 1;"
	       "INSERT INTO advisory_alias VALUES (1, 'CVE-2026-0002'), (1, 'CVE-2026-0001');"
	       "INSERT INTO host (id, name, os_id, os_version, ecosystem, source, updated_at) VALUES "
	       "  (1, 'web1', 'debian', '12', 'Debian:12', 's', 'x'),"
	       "  (2, 'db1', 'debian', '12', 'Debian:12', 's', 'x');"
	       "INSERT INTO finding (id, host_id, advisory_id, package, by_source, version, status, "
	       "  first_seen, priority, due, reopened, reopen_reason) VALUES "
	       "  (10, 1, 1, 'openssl', 1, '1', 'fixable', 'x', 1, '2026-12-01', NULL, NULL),"
	       "  (11, 2, 1, 'openssl', 1, '1', 'fixable', 'x', 2, '2026-11-20', NULL, NULL),"
	       "  (12, 2, 1, 'libssl', 1, '1', 'fixable', 'x', 0, '2027-01-01', 'reissued', "
	       "   'fix 1.1 superseded by 1.2');"
	       "INSERT INTO plan (id, created_at, created_by, start, horizon_days, policy_digest, "
	       "  state) VALUES (7, 'x', 'a', 'x', 30, 'd', 'approved');"
	       "INSERT INTO plan_job (id, plan_id, host, ring, wave, start, end, reboot, emergency, "
	       "  late) VALUES (1, 7, 'web1', 'test', 0, 'x', 'x', 0, 0, 0),"
	       "  (2, 7, 'db1', 'pilot', 1, 'x', 'x', 0, 0, 0);"
	       "INSERT INTO deploy_job (id, plan_id, plan_job_id, host, transport, state, step, "
	       "  started_at, reason) VALUES (3, 7, 1, 'web1', 'local', 'rolled-back', 'verify', 'x', "
	       "  'health check failed');");
}

static void expect_conf(const char *conf, struct policy *ret)
{
	struct err e = { "" };

	if (policy_parse(conf, strlen(conf), "t.conf", ret, &e))
		fail_msg("%s", e.msg);
}

static void test_gather(void **state)
{
	struct notify_digest d = { 0 };
	const struct notify_event *ev;
	struct fixture f;
	struct policy p;

	(void)state;
	fx_open(&f);
	fleet(&f);
	policy_defaults(&p);
	gather(&f, &p, &d);
	/* one of each, in kind order; DSA-NOBODY affects no host */
	assert_int_equal(d.n, 5);
	ev = &d.v[0];
	assert_int_equal(ev->kind, NOTIFY_NEW);
	assert_string_equal(ev->key, "new:DSA-1");
	assert_string_equal(ev->key2, "priority:DSA-1:2");
	assert_string_equal(ev->cve, "CVE-2026-0001");
	assert_string_equal(ev->host, "db1, web1");
	assert_string_equal(ev->summary, "openssl: bad things"); /* no newline from data */
	assert_string_equal(ev->due, "2026-11-20");
	assert_int_equal(ev->hosts, 2);
	assert_int_equal(ev->priority, 2);
	assert_string_equal(d.v[1].key, "overdue:11");
	assert_string_equal(d.v[1].host, "db1");
	assert_int_equal(d.v[2].kind, NOTIFY_REISSUED);
	assert_memory_equal(d.v[2].key, "reissued:12:", 12);
	assert_int_equal(strlen(d.v[2].key), 12 + 12);
	assert_string_equal(d.v[2].reason, "fix 1.1 superseded by 1.2");
	assert_string_equal(d.v[3].key, "deploy:3:rolled-back");
	assert_int_equal(d.v[3].wave, 1);
	/* ring test tolerates no failure: its wave halted */
	assert_string_equal(d.v[4].key, "halt:7:1");
	assert_int_equal(d.v[4].failed, 1);
	assert_int_equal(d.v[4].tolerated, 0);

	/* delivered: nothing is news again */
	mark_all(&f, &d);
	notify_digest_release(&d);
	gather(&f, &p, &d);
	assert_int_equal(d.n, 0);
	notify_digest_release(&d);

	/* a raised priority is news once; a lowered one is not */
	sql(&f, "UPDATE finding SET priority = 3 WHERE id = 10");
	gather(&f, &p, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, NOTIFY_PRIORITY);
	assert_string_equal(d.v[0].key, "priority:DSA-1:3");
	assert_int_equal(d.v[0].prev_priority, 2);
	mark_all(&f, &d);
	notify_digest_release(&d);
	sql(&f, "UPDATE finding SET priority = 0 WHERE id IN (10, 11)");
	gather(&f, &p, &d);
	assert_int_equal(d.n, 0);
	notify_digest_release(&d);

	/* the same finding back for another reason is news again */
	sql(&f, "UPDATE finding SET reopen_reason = 'fix 1.2 superseded by 1.3' WHERE id = 12");
	gather(&f, &p, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, NOTIFY_REISSUED);
	notify_digest_release(&d);

	/* a ring that tolerates the failure: no halt */
	expect_conf("[ring \"test\"]\nmax-failures = 1\n", &p);
	sql(&f, "DELETE FROM notify_sent WHERE key LIKE 'halt:%'");
	gather(&f, &p, &d);
	assert_null(find_kind(&d, NOTIFY_HALT));
	notify_digest_release(&d);
	fx_close(&f);
}

/* min-priority holds back what is below it, without marking it: it is
 * news once its priority reaches the minimum. */
static void test_min_priority(void **state)
{
	struct notify_digest d = { 0 };
	struct fixture f;
	struct policy p;
	struct err e = { "" };
	const char conf[] = "[notify]\nmin-priority = immediate\n";

	(void)state;
	fx_open(&f);
	fleet(&f);
	assert_int_equal(policy_parse(conf, strlen(conf), "t.conf", &p, &e), 0);
	gather(&f, &p, &d);
	assert_null(find_kind(&d, NOTIFY_NEW));
	assert_null(find_kind(&d, NOTIFY_OVERDUE));
	assert_null(find_kind(&d, NOTIFY_REISSUED));
	assert_non_null(find_kind(&d, NOTIFY_DEPLOY)); /* deployments always */
	notify_digest_release(&d);
	sql(&f, "UPDATE finding SET priority = 3 WHERE id = 11");
	gather(&f, &p, &d);
	assert_non_null(find_kind(&d, NOTIFY_NEW));
	assert_string_equal(find_kind(&d, NOTIFY_NEW)->key2, "priority:DSA-1:3");
	assert_non_null(find_kind(&d, NOTIFY_OVERDUE));
	notify_digest_release(&d);
	fx_close(&f);
}

static void add_events(struct notify_digest *d, enum notify_kind k, int n)
{
	struct err e = { "" };

	for (int i = 0; i < n; i++) {
		struct notify_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = k;
		ev.priority = 3;
		ev.prev_priority = -1;
		ev.hosts = 1;
		snprintf(ev.key, sizeof(ev.key), "%s:%d", notify_kind_name(k), i);
		snprintf(ev.advisory, sizeof(ev.advisory), "ADV-%03d", i);
		snprintf(ev.host, sizeof(ev.host), "h<%d>&", i);
		snprintf(ev.package, sizeof(ev.package), "pkg");
		snprintf(ev.due, sizeof(ev.due), "2026-12-01");
		assert_int_equal(notify_digest_add(d, &ev, &e), 0);
	}
}

static void test_text_bounded(void **state)
{
	struct notify_digest d = { .now = "2026-11-28T10:00:00Z" };
	struct err e = { "" };
	char summary[256];
	struct buf b;

	(void)state;
	add_events(&d, NOTIFY_NEW, 7);
	add_events(&d, NOTIFY_OVERDUE, 1);
	notify_summary_line(&d, summary, sizeof(summary));
	assert_string_equal(summary, "7 new advisories, 1 overdue");
	buf_init(&b, 1 << 20);
	assert_int_equal(notify_render_text(&d, 3, &b, &e), 0);
	assert_string_equal(b.data,
			    "hfx: 7 new advisories, 1 overdue (2026-11-28T10:00:00Z)\n"
			    "\nNew advisories affecting hosts (7):\n"
			    "- ADV-000: immediate, 1 host (h<0>&), due 2026-12-01\n"
			    "- ADV-001: immediate, 1 host (h<1>&), due 2026-12-01\n"
			    "- ADV-002: immediate, 1 host (h<2>&), due 2026-12-01\n"
			    "- and 4 more\n"
			    "\nOverdue findings (1):\n"
			    "- h<0>& pkg: ADV-000, immediate, due 2026-12-01\n");
	buf_release(&b);
	notify_digest_release(&d);
}

static void test_json(void **state)
{
	struct notify_digest d = { .now = "2026-11-28T10:00:00Z" };
	struct err e = { "" };
	json_t *root, *events;
	char *body = NULL;

	(void)state;
	add_events(&d, NOTIFY_OVERDUE, NOTIFY_JSON_EVENTS_MAX + 5);
	add_events(&d, NOTIFY_HALT, 1);
	assert_int_equal(notify_render_json(&d, 2, &body, &e), 0);
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	events = json_object_get(root, "events");
	assert_int_equal(json_array_size(events), NOTIFY_JSON_EVENTS_MAX + 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "counts"),
							    "overdue")),
			 NOTIFY_JSON_EVENTS_MAX + 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "omitted"),
							    "overdue")), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "host")),
			    "h<0>&");
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "key")),
			    "overdue:0");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(events, NOTIFY_JSON_EVENTS_MAX), "kind")), "halt");
	/* Slack's control characters are escaped in text only */
	assert_non_null(strstr(json_string_value(json_object_get(root, "text")),
			       "- h&lt;0&gt;&amp; pkg: ADV-000"));
	assert_non_null(strstr(json_string_value(json_object_get(root, "text")), "- and 203 more"));
	json_decref(root);
	free(body);
	notify_digest_release(&d);
}

static void test_mail(void **state)
{
	struct notify_digest d = { .now = "2026-11-28T10:00:00Z" };
	struct policy p;
	struct err e = { "" };
	char text[2200];
	const char *body, *line;
	struct buf b;

	(void)state;
	policy_defaults(&p);
	snprintf(p.notify.from, sizeof(p.notify.from), "hfx@example.com");
	snprintf(p.notify.to, sizeof(p.notify.to), "a@example.com, b@example.com");
	add_events(&d, NOTIFY_NEW, 1);
	/* a line of 997 'x' and then a 3-byte character: cut before it */
	memset(text, 'x', 997);
	memcpy(text + 997, "\xe2\x82\xac tail\n.dot\n", 13);
	buf_init(&b, 1 << 20);
	assert_int_equal(notify_render_mail(&d, &p.notify, text, &b, &e), 0);
	assert_memory_equal(b.data,
			    "From: hfx@example.com\r\nTo: a@example.com, b@example.com\r\n"
			    "Subject: hfx: 1 new advisory\r\n"
			    "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <hfx.", 133);
	assert_non_null(strstr(b.data, "@example.com>\r\nMIME-Version: 1.0\r\n"
				       "Content-Type: text/plain; charset=utf-8\r\n"
				       "Content-Transfer-Encoding: 8bit\r\n"
				       "Auto-Submitted: auto-generated\r\n\r\n"));
	body = strstr(b.data, "\r\n\r\n") + 4;
	line = strstr(body, "\r\n");
	assert_int_equal(line - body, 997);
	assert_string_equal(line, "\r\n.dot\r\n");
	for (const char *c = b.data; *c; c++)
		if (*c == '\n')
			assert_int_equal(c[-1], '\r');
	buf_release(&b);
	notify_digest_release(&d);
}

static void test_url_shown(void **state)
{
	char out[256];

	(void)state;
	notify_url_shown("https://hooks.slack.com/services/T0/B0/SECRET", out, sizeof(out));
	assert_string_equal(out, "https://hooks.slack.com/...");
	notify_url_shown("http://127.0.0.1:8080", out, sizeof(out));
	assert_string_equal(out, "http://127.0.0.1:8080");
	notify_url_shown("https://h.example?token=SECRET", out, sizeof(out));
	assert_string_equal(out, "https://h.example/...");
}

static void expect_refused(const char *conf, const char *msg)
{
	struct err e = { "" };
	struct policy p;

	assert_int_equal(policy_parse(conf, strlen(conf), "t.conf", &p, &e), ERR_INPUT);
	if (!strstr(e.msg, msg))
		fail_msg("'%s' lacks '%s'", e.msg, msg);
}

static void test_policy(void **state)
{
	char d1[65], d2[65];
	struct err e = { "" };
	struct policy p, def;

	(void)state;
	policy_defaults(&def);
	assert_int_equal(def.notify.smtp_port, 25);
	assert_int_equal(def.notify.smtp_tls, POLICY_TLS_STARTTLS);
	assert_int_equal(def.notify.min_priority, 0);
	assert_false(notify_configured(&def));
	expect_conf("[notify]\nwebhook = https://a.example/x,http://b.example:8080/y  "
		    "https://c.example\nsmtp-server = [2001:db8::1]\nsmtp-port = 587\n"
		    "from = hfx@example.com\nto = a@example.com,b@example.com  c@example.com\n"
		    "smtp-user = hfx@example.com\nsmtp-password-file = /etc/hfx/smtp\n"
		    "smtp-tls = tls\nmin-priority = out-of-cycle\n", &p);
	assert_string_equal(p.notify.webhook,
			    "https://a.example/x http://b.example:8080/y https://c.example");
	assert_string_equal(p.notify.smtp_server, "2001:db8::1");
	assert_string_equal(p.notify.to, "a@example.com, b@example.com, c@example.com");
	assert_int_equal(p.notify.smtp_tls, POLICY_TLS_TLS);
	assert_int_equal(p.notify.min_priority, 2);
	assert_true(notify_configured(&p));
	/* not part of the remediation policy: same digest as the defaults */
	assert_int_equal(policy_digest(&p, d1, &e), 0);
	assert_int_equal(policy_digest(&def, d2, &e), 0);
	assert_string_equal(d1, d2);
	expect_refused("[notify]\nwebhook = https://a.example https://a.example\n",
		       "t.conf:2: [notify] webhook: 'https://a.example https://a.example' is not a "
		       "list of URLs");
	expect_refused("[notify]\nwebhook = https://a.example/{x}\n", "is not a list of URLs");
	expect_refused("[notify]\nsmtp-server = -bad\n", "[notify] smtp-server: '-bad' is not a host");
	expect_refused("[notify]\nsmtp-server = m\nfrom = a@b\nto = c@d, c@d\n",
		       "t.conf:4: [notify] to: 'c@d, c@d' is not a list of e-mail addresses");
	expect_refused("[notify]\nsmtp-server = m\nfrom = .a@b\nto = c@d\n",
		       "[notify] from: '.a@b' is not an e-mail address");
	expect_refused("[notify]\nsmtp-server = m\nfrom = a@b\n", "[notify] smtp-server: needs to");
	expect_refused("[notify]\nsmtp-password-file = /x\n",
		       "t.conf:2: [notify] smtp-password-file: needs smtp-server");
	expect_refused("[notify]\ntimeout-seconds = 601\n", "[notify] timeout-seconds: '601'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gather),     cmocka_unit_test(test_min_priority),
		cmocka_unit_test(test_text_bounded), cmocka_unit_test(test_json),
		cmocka_unit_test(test_mail),       cmocka_unit_test(test_url_shown),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
