/*
 * The audit chain on a real SQLite database: the exact bytes hashed
 * (a known answer computed from the documented format), many appends,
 * the append rules, filters, checkpoints and keys, and every kind of
 * tampering verify must find, each with the first bad sequence number;
 * also the two things it cannot find (docs/AUDIT.md), so that a change
 * in what is detected shows up here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/hash.h"
#include "testutil.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

struct fixture {
	char dir[256], db[300], key[320], pub[330];
	struct store *s;
	struct err e;
};

static void fx_open(struct fixture *f)
{
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/hfx-audit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/hfx.db", f->dir);
	audit_key_paths(f->db, f->key, f->pub, sizeof(f->key));
	setenv("HFX_NOW", "2026-01-01T00:00:00Z", 1);
	if (store_open(f->db, true, &f->s, &f->e))
		fail_msg("store_open: %s", f->e.msg);
}

static void fx_close(struct fixture *f)
{
	const char *suffix[] = { "", "-wal", "-shm", ".audit-key", ".audit-key.pub" };
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

/* Appends records first..last in one transaction, each about "obj:<n>". */
static void append_range(struct fixture *f, int first, int last)
{
	char object[32];

	assert_int_equal(store_begin(f->s, &f->e), 0);
	for (int n = first; n <= last; n++) {
		json_t *d = json_pack("{s:i, s:s, s:[i, f]}", "n", n, "note", "caf\xc3\xa9 \"q\"\n",
				      "list", n, 0.25);

		snprintf(object, sizeof(object), "obj:%d", n);
		if (audit_append(f->s, n % 2 ? "alice" : "bob", "test.action", object, d, &f->e))
			fail_msg("append %d: %s", n, f->e.msg);
		json_decref(d);
	}
	assert_int_equal(store_commit(f->s, &f->e), 0);
}

static sqlite3_int64 checkpoint(struct fixture *f)
{
	sqlite3_int64 seq = -1;

	assert_int_equal(store_begin(f->s, &f->e), 0);
	if (audit_checkpoint(f->s, "alice", f->key, &seq, &f->e))
		fail_msg("checkpoint: %s", f->e.msg);
	assert_int_equal(store_commit(f->s, &f->e), 0);
	return seq;
}

static struct audit_verify_result verify(struct fixture *f, const char *pub)
{
	struct audit_verify_result r;

	if (audit_verify(f->s, pub, &r, &f->e))
		fail_msg("verify could not run: %s", f->e.msg);
	return r;
}

/* Records 1-5, a checkpoint of 5 (record 6), records 7-10. */
static void standard_log(struct fixture *f)
{
	append_range(f, 1, 5);
	assert_int_equal(checkpoint(f), 5);
	append_range(f, 7, 10);
}

/*
 * Recomputes prev_hash and hash of records from..last from their columns
 * the way docs/AUDIT.md says, independently of audit.c: what an attacker
 * who knows the format, but not the key, can do.
 */
static void rehash_from(struct fixture *f, sqlite3_int64 from)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	char prev[65], hash[65], *text, *buf;

	assert_int_equal(sqlite3_prepare_v2(f->s->db, "SELECT seq, time, actor, action, object, "
					    "details, prev_hash FROM audit WHERE seq >= ? ORDER BY seq",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->s->db, "UPDATE audit SET prev_hash = ?, hash = ? "
					    "WHERE seq = ?", -1, &up, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, from);
	prev[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "seq",
				      (json_int_t)sqlite3_column_int64(st, 0),
				      "time", sqlite3_column_text(st, 1),
				      "actor", sqlite3_column_text(st, 2),
				      "action", sqlite3_column_text(st, 3),
				      "object", sqlite3_column_text(st, 4), "details",
				      json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL));

		assert_non_null(o);
		if (!prev[0])
			snprintf(prev, sizeof(prev), "%s", sqlite3_column_text(st, 6));
		text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		assert_true(asprintf(&buf, "%s%s", prev, text) > 0);
		sha256_hex(buf, strlen(buf), hash);
		sqlite3_bind_text(up, 1, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 2, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
		assert_int_equal(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
		memcpy(prev, hash, sizeof(prev));
		free(buf);
		free(text);
		json_decref(o);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
}

static void test_known_answer(void **state)
{
	const char *want_json = "{\"action\":\"feed.import\",\"actor\":\"alice\",\"details\":"
				"{\"a\":\"x\",\"b\":1},\"object\":\"DSA-1\",\"seq\":1,"
				"\"time\":\"2026-01-01T00:00:00Z\"}";
	char want[65], buf[512];
	struct fixture f;
	sqlite3_stmt *st = NULL;
	json_t *d = json_pack("{s:i, s:s}", "b", 1, "a", "x");

	(void)state;
	fx_open(&f);
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_append(f.s, "alice", "feed.import", "DSA-1", d, &f.e), 0);
	assert_int_equal(store_commit(f.s, &f.e), 0);
	snprintf(buf, sizeof(buf), "%s%s", ZEROS, want_json);
	sha256_hex(buf, strlen(buf), want);
	assert_int_equal(sqlite3_prepare_v2(f.s->db, "SELECT details, prev_hash, hash FROM audit",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "{\"a\":\"x\",\"b\":1}");
	assert_string_equal(sqlite3_column_text(st, 1), ZEROS);
	assert_string_equal(sqlite3_column_text(st, 2), want);
	sqlite3_finalize(st);
	json_decref(d);
	fx_close(&f);
}

struct links {
	sqlite3_int64 n;
	char prev[65];
};

static int check_link(const struct audit_record *r, void *ctx, struct err *e)
{
	struct links *l = ctx;

	(void)e;
	assert_int_equal(r->seq, ++l->n);
	assert_string_equal(r->prev_hash, l->prev);
	snprintf(l->prev, sizeof(l->prev), "%s", r->hash);
	return 0;
}

static void test_many_appends(void **state)
{
	struct links l = { 0, ZEROS };
	struct audit_verify_result r;
	char head[65];
	sqlite3_int64 seq;
	struct fixture f;

	(void)state;
	fx_open(&f);
	for (int i = 0; i < 5; i++) {
		append_range(&f, 1, 100);
		checkpoint(&f);
	}
	r = verify(&f, f.pub);
	assert_true(r.ok);
	assert_int_equal(r.records, 505);
	assert_int_equal(r.checkpoints, 5);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(audit_list(f.s, NULL, NULL, check_link, &l, &f.e), 0);
	assert_int_equal(l.n, 505);
	assert_int_equal(audit_head(f.s, &seq, head, &f.e), 0);
	assert_int_equal(seq, 505);
	assert_string_equal(head, l.prev);
	fx_close(&f);
}

static void test_append_rules(void **state)
{
	json_t *arr = json_array(), *big = json_object();
	char *blob = malloc(AUDIT_DETAILS_MAX + 1);
	struct audit_verify_result r;
	struct fixture f;

	(void)state;
	fx_open(&f);
	assert_int_equal(audit_append(f.s, "alice", "a.b", "x", NULL, &f.e), ERR_STATE);
	assert_non_null(strstr(f.e.msg, "not inside a transaction"));
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_append(f.s, "alice", "a.b", "x", arr, &f.e), ERR_INPUT);
	assert_non_null(strstr(f.e.msg, "must be a JSON object"));
	memset(blob, 'a', AUDIT_DETAILS_MAX);
	blob[AUDIT_DETAILS_MAX] = '\0';
	json_object_set_new(big, "blob", json_string(blob));
	assert_int_equal(audit_append(f.s, "alice", "a.b", "x", big, &f.e), ERR_NOMEM);
	assert_non_null(strstr(f.e.msg, "more than the limit"));
	assert_int_equal(audit_append(f.s, "", "a.b", "x", NULL, &f.e), ERR_INPUT);
	assert_non_null(strstr(f.e.msg, "actor is empty"));
	assert_int_equal(audit_append(f.s, "al\xff", "a.b", "x", NULL, &f.e), ERR_INPUT);
	assert_non_null(strstr(f.e.msg, "actor is not valid UTF-8"));
	/* NULL details and object are {} and "". */
	assert_int_equal(audit_append(f.s, "alice", "a.b", NULL, NULL, &f.e), 0);
	assert_int_equal(store_commit(f.s, &f.e), 0);
	r = verify(&f, NULL); /* no checkpoints: no key needed */
	assert_true(r.ok);
	assert_int_equal(r.records, 1);
	free(blob);
	json_decref(arr);
	json_decref(big);
	fx_close(&f);
}

static int count_cb(const struct audit_record *r, void *ctx, struct err *e)
{
	(void)r, (void)e;
	++*(int *)ctx;
	return 0;
}

static int count(struct fixture *f, const char *since, const char *object)
{
	int n = 0;

	if (audit_list(f->s, since, object, count_cb, &n, &f->e))
		fail_msg("list: %s", f->e.msg);
	return n;
}

static void test_list_filters(void **state)
{
	struct fixture f;

	(void)state;
	fx_open(&f);
	append_range(&f, 1, 3);
	setenv("HFX_NOW", "2026-02-03T12:00:00Z", 1);
	append_range(&f, 4, 6);
	assert_int_equal(count(&f, NULL, NULL), 6);
	assert_int_equal(count(&f, "2026-02-03", NULL), 3);
	assert_int_equal(count(&f, "2026-02-04", NULL), 0);
	assert_int_equal(count(&f, "2026-02-03T12:00:00Z", NULL), 3);
	assert_int_equal(count(&f, "2026-02-03T13:00:00+02:00", NULL), 3);
	assert_int_equal(count(&f, "2026-02-03T12:00:00.5Z", NULL), 0);
	assert_int_equal(count(&f, NULL, "obj:5"), 1);
	assert_int_equal(count(&f, "2026-01-01", "obj:2"), 1);
	assert_int_equal(audit_list(f.s, "yesterday", NULL, count_cb, NULL, &f.e), ERR_INPUT);
	assert_non_null(strstr(f.e.msg, "'yesterday' is neither a date"));
	fx_close(&f);
}

struct tamper {
	const char *what, *sql;
	sqlite3_int64 first_bad;
	const char *reason;
};

static const struct tamper tampers[] = {
	{ "edited action", "UPDATE audit SET action = 'x' WHERE seq = 3", 3, "contents do not match" },
	{ "edited time", "UPDATE audit SET time = '2025-01-01T00:00:00Z' WHERE seq = 3", 3,
	  "contents do not match" },
	{ "edited actor", "UPDATE audit SET actor = 'mallory' WHERE seq = 3", 3, "contents" },
	{ "edited object", "UPDATE audit SET object = 'obj:9' WHERE seq = 3", 3, "contents" },
	{ "edited details", "UPDATE audit SET details = replace(details, '\"n\":3', '\"n\":4') "
	  "WHERE seq = 3", 3, "contents do not match" },
	{ "details not canonical", "UPDATE audit SET details = replace(details, ',', ', ') "
	  "WHERE seq = 3", 3, "not in canonical form" },
	{ "details not JSON", "UPDATE audit SET details = '{\"n\":' WHERE seq = 3", 3,
	  "not a JSON object" },
	{ "details a NUL byte", "UPDATE audit SET details = CAST(X'7B7D00' AS TEXT) WHERE seq = 3",
	  3, "NUL byte" },
	{ "edited hash", "UPDATE audit SET hash = substr(hash, 1, 63) || "
	  "(CASE substr(hash, 64, 1) WHEN 'a' THEN 'b' ELSE 'a' END) WHERE seq = 3", 3,
	  "contents do not match" },
	{ "edited prev_hash", "UPDATE audit SET prev_hash = '" ZEROS "' WHERE seq = 3", 3,
	  "prev_hash is not the hash of record 2" },
	{ "edited first prev_hash", "UPDATE audit SET prev_hash = replace(prev_hash, '0', '1') "
	  "WHERE seq = 1", 1, "not 64 zeros" },
	{ "deleted record", "DELETE FROM audit WHERE seq = 3", 3, "record 3 is missing" },
	{ "inserted record", "UPDATE audit SET seq = -(seq + 1) WHERE seq >= 4;"
	  "UPDATE audit SET seq = -seq WHERE seq < 0;"
	  "INSERT INTO audit SELECT 4, time, actor, action, object, details, hash, hash "
	  "FROM audit WHERE seq = 3", 4, "contents do not match" },
	{ "record before the first", "INSERT INTO audit SELECT 0, time, actor, action, object, "
	  "details, prev_hash, hash FROM audit WHERE seq = 1", 0, "out of place" },
	{ "record appended with a bad link", "INSERT INTO audit SELECT 11, time, actor, action, "
	  "object, details, prev_hash, hash FROM audit WHERE seq = 10", 11,
	  "prev_hash is not the hash of record 10" },
	{ "swapped records", "UPDATE audit SET seq = -3 WHERE seq = 3;"
	  "UPDATE audit SET seq = 3 WHERE seq = 8; UPDATE audit SET seq = 8 WHERE seq = -3", 3,
	  "prev_hash is not the hash of record 2" },
	{ "deleted checkpoint row", "DELETE FROM audit_checkpoint", 6,
	  "checkpoint 5 is missing from audit_checkpoint" },
	{ "edited signature", "UPDATE audit_checkpoint SET signature = "
	  "substr(signature, 1, 10) || (CASE substr(signature, 11, 1) WHEN 'a' THEN 'b' ELSE 'a' END)"
	  " || substr(signature, 12)", 5, "signature does not verify" },
	{ "edited head hash", "UPDATE audit_checkpoint SET head_hash = '" ZEROS "'", 5,
	  "signature does not verify" },
	{ "edited checkpoint time", "UPDATE audit_checkpoint SET time = '2020-01-01T00:00:00Z'", 6,
	  "another time" },
	{ "edited checkpoint actor", "UPDATE audit_checkpoint SET actor = 'mallory'", 6,
	  "another actor" },
	{ "forged checkpoint row", "INSERT INTO audit_checkpoint SELECT 8, time, actor, "
	  "(SELECT hash FROM audit WHERE seq = 8), public_key, signature FROM audit_checkpoint", 8,
	  "signature does not verify" },
	{ "tail cut before the checkpoint", "DELETE FROM audit WHERE seq >= 4", 4,
	  "record 4 and after are missing: checkpoint 5" },
	{ "tail cut at the checkpoint record", "DELETE FROM audit WHERE seq >= 6", 6,
	  "the audit.checkpoint record of checkpoint 5, is missing" },
	{ "checkpoint record replaced", "UPDATE audit SET action = 'test.action' WHERE seq = 6", 6,
	  "contents do not match" },
};

static void test_tampering(void **state)
{
	struct audit_verify_result r;
	struct fixture f;

	(void)state;
	for (size_t i = 0; i < sizeof(tampers) / sizeof(tampers[0]); i++) {
		const struct tamper *t = &tampers[i];

		fx_open(&f);
		standard_log(&f);
		sql(&f, t->sql);
		r = verify(&f, f.pub);
		if (r.ok || r.first_bad != t->first_bad || !strstr(r.reason, t->reason))
			fail_msg("%s: %s at %lld (%s), expected %lld (%s)", t->what,
				 r.ok ? "intact" : "bad", (long long)r.first_bad, r.reason,
				 (long long)t->first_bad, t->reason);
		fx_close(&f);
	}
}

/* The chain rewritten consistently from record 2 on, as someone who knows
 * the format can: the checkpoint no longer matches. */
static void test_rewrite_before_checkpoint(void **state)
{
	struct audit_verify_result r;
	struct fixture f;

	(void)state;
	fx_open(&f);
	standard_log(&f);
	sql(&f, "UPDATE audit SET object = 'obj:99' WHERE seq = 2");
	rehash_from(&f, 2);
	r = verify(&f, f.pub);
	assert_false(r.ok);
	assert_int_equal(r.first_bad, 5);
	assert_non_null(strstr(r.reason, "not the one checkpoint 5 signed"));
	fx_close(&f);
}

/* What verify cannot see (docs/AUDIT.md): a tail cut or rewritten after
 * the last checkpoint's record. Another checkpoint then signs it. */
static void test_limits_after_last_checkpoint(void **state)
{
	struct audit_verify_result r;
	struct fixture f;

	(void)state;
	fx_open(&f);
	standard_log(&f);
	sql(&f, "DELETE FROM audit WHERE seq >= 9");
	r = verify(&f, f.pub);
	assert_true(r.ok);
	assert_int_equal(r.records, 8);
	sql(&f, "UPDATE audit SET actor = 'mallory' WHERE seq = 7");
	rehash_from(&f, 7);
	r = verify(&f, f.pub);
	assert_true(r.ok);
	fx_close(&f);
	/* The self-check in rehash_from: the same rewrite before the
	 * checkpoint is caught. */
	fx_open(&f);
	standard_log(&f);
	sql(&f, "UPDATE audit SET actor = 'mallory' WHERE seq = 4");
	rehash_from(&f, 4);
	assert_false(verify(&f, f.pub).ok);
	fx_close(&f);
}

static void test_other_public_key(void **state)
{
	struct audit_verify_result r;
	struct fixture f, g;
	struct audit_key *k = NULL;

	(void)state;
	fx_open(&f);
	standard_log(&f);
	fx_open(&g);
	assert_int_equal(audit_key_generate(&k, &g.e), 0);
	assert_int_equal(audit_key_save(k, g.key, &g.e), 0);
	r = verify(&f, g.pub);
	assert_false(r.ok);
	assert_int_equal(r.first_bad, 5);
	assert_non_null(strstr(r.reason, "the checkpoint names another key"));
	/* Without a public key, checkpoints cannot be checked at all. */
	unlink(f.pub);
	assert_int_equal(audit_verify(f.s, f.pub, &r, &f.e), ERR_IO);
	assert_non_null(strstr(f.e.msg, "cannot verify the 1 audit checkpoints"));
	audit_key_free(k);
	fx_close(&g);
	fx_close(&f);
}

static void test_checkpoint_keys(void **state)
{
	struct audit_verify_result r;
	struct stat st;
	struct fixture f;
	sqlite3_int64 seq = -1;

	(void)state;
	fx_open(&f);
	/* An empty log: the checkpoint signs seq 0, the chain's start. */
	assert_int_equal(checkpoint(&f), 0);
	assert_int_equal(stat(f.key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f.pub, &st), 0);
	r = verify(&f, f.pub);
	assert_true(r.ok);
	assert_int_equal(r.records, 1);
	assert_int_equal(r.checkpoints, 1);
	assert_int_equal(checkpoint(&f), 1);
	/* A broken log is not signed. */
	sql(&f, "UPDATE audit SET actor = 'mallory' WHERE seq = 1");
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_checkpoint(f.s, "alice", f.key, &seq, &f.e), ERR_STATE);
	assert_non_null(strstr(f.e.msg, "broken at seq 1"));
	store_rollback(f.s);
	sql(&f, "UPDATE audit SET actor = 'alice' WHERE seq = 1");
	/* A private key readable by others is refused. */
	chmod(f.key, 0640);
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_checkpoint(f.s, "alice", f.key, &seq, &f.e), ERR_STATE);
	assert_non_null(strstr(f.e.msg, "chmod 600"));
	store_rollback(f.s);
	/* The private key lost: no new key replaces it silently. */
	unlink(f.key);
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_checkpoint(f.s, "alice", f.key, &seq, &f.e), ERR_STATE);
	assert_non_null(strstr(f.e.msg, "restore that key"));
	store_rollback(f.s);
	assert_int_equal(access(f.key, F_OK), -1);
	fx_close(&f);
}

/* A public key left over blocks a new key pair beside it. */
static void test_key_never_overwritten(void **state)
{
	struct fixture f;
	sqlite3_int64 seq = -1;
	FILE *p;

	(void)state;
	fx_open(&f);
	p = fopen(f.pub, "w");
	assert_non_null(p);
	fputs("trusted\n", p);
	fclose(p);
	assert_int_equal(store_begin(f.s, &f.e), 0);
	assert_int_equal(audit_checkpoint(f.s, "alice", f.key, &seq, &f.e), ERR_STATE);
	assert_non_null(strstr(f.e.msg, "never overwrites a key"));
	store_rollback(f.s);
	assert_int_equal(access(f.key, F_OK), -1);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_many_appends),
		cmocka_unit_test(test_append_rules),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_rewrite_before_checkpoint),
		cmocka_unit_test(test_limits_after_last_checkpoint),
		cmocka_unit_test(test_other_public_key),
		cmocka_unit_test(test_checkpoint_keys),
		cmocka_unit_test(test_key_never_overwritten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
