/*
 * The audit chain: appending records, listing them, verifying the chain
 * and its checkpoints, and making a checkpoint. docs/AUDIT.md describes
 * the format and what verification proves; audit_key.c holds the keys and
 * signatures.
 *
 * A record's hash covers its canonical JSON (jansson, sorted keys,
 * compact) after the previous record's hash, so verification recomputes
 * every hash from the stored columns; it never trusts a stored hash. A
 * checkpoint row and its "audit.checkpoint" record repeat each other, so
 * deleting or editing either one is noticed.
 */
#include "audit/audit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/timefmt.h"

#define JSON_CANONICAL (JSON_SORT_KEYS | JSON_COMPACT)
#define JSON_READ (JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES)
#define CHECKPOINT_ACTION "audit.checkpoint"
#define RECORD_SELECT \
	"SELECT seq, time, actor, action, object, details, prev_hash, hash FROM audit "

static const char zero_hash[AUDIT_HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The canonical text of details (NULL: {}) and the object it reads back
 * as; both the caller's. A text that does not read back as itself could
 * never verify, so it is refused here. */
static int details_canonical(const json_t *details, char **ret_text, json_t **ret_json,
			     struct err *e)
{
	char *text = NULL, *again = NULL;
	json_t *back = NULL;
	json_error_t je;
	int rc = 0;

	if (details && !json_is_object(details))
		return err_set(e, ERR_INPUT, "details must be a JSON object");
	text = details ? json_dumps(details, JSON_CANONICAL) : strdup("{}");
	if (!text)
		return err_set(e, ERR_NOMEM, "details: cannot encode them");
	if (strlen(text) > AUDIT_DETAILS_MAX) {
		rc = err_set(e, ERR_NOMEM, "details: %zu bytes, more than the limit of %u",
			     strlen(text), AUDIT_DETAILS_MAX);
		goto out;
	}
	back = json_loads(text, JSON_READ, &je);
	again = back ? json_dumps(back, JSON_CANONICAL) : NULL;
	if (!again || strcmp(again, text)) {
		rc = err_set(e, ERR_INPUT, "details do not read back as written: %s",
			     back ? "a value changes its form" : je.text);
		goto out;
	}
	*ret_text = text, text = NULL;
	*ret_json = back, back = NULL;
out:
	free(text);
	free(again);
	json_decref(back);
	return rc;
}

/* hash = SHA-256(prev_hash || canonical JSON of {seq, time, actor, action,
 * object, details}), in hex. ERR_INPUT when a field is not UTF-8. */
static int record_hash(const struct audit_record *r, json_t *details,
		       char ret[AUDIT_HASH_HEX + 1], struct err *e)
{
	const char *names[] = { "time", "actor", "action", "object" };
	const char *values[] = { r->time, r->actor, r->action, r->object };
	json_t *o = json_object();
	struct sha256 *h = NULL;
	char *text = NULL;
	int rc = 0;

	if (!o || json_object_set_new(o, "seq", json_integer(r->seq)) ||
	    json_object_set(o, "details", details)) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (json_object_set_new(o, names[i], json_string(values[i]))) {
			rc = err_set(e, ERR_INPUT, "%s is not valid UTF-8", names[i]);
			goto out;
		}
	text = json_dumps(o, JSON_CANONICAL);
	h = sha256_init();
	if (!text || !h) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	sha256_update(h, r->prev_hash, strlen(r->prev_hash));
	sha256_update(h, text, strlen(text));
	sha256_final(h, ret);
	h = NULL;
out:
	sha256_free(h);
	free(text);
	json_decref(o);
	return rc;
}

int audit_head(struct store *s, sqlite3_int64 *ret_seq, char ret_hash[AUDIT_HASH_HEX + 1],
	       struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, e);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_seq = sqlite3_column_int64(st, 0);
		store_copy_col(st, 1, ret_hash, AUDIT_HASH_HEX + 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		*ret_seq = 0;
		memcpy(ret_hash, zero_hash, sizeof(zero_hash));
		rc = 0;
	} else {
		rc = store_fail(s, "read the head of the audit log", e);
	}
	sqlite3_finalize(st);
	return rc;
}

int audit_hash_at(struct store *s, sqlite3_int64 seq, char ret[AUDIT_HASH_HEX + 1],
		  struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (seq == 0) {
		memcpy(ret, zero_hash, sizeof(zero_hash));
		return 0;
	}
	rc = store_prepare(s, "SELECT hash FROM audit WHERE seq = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_copy_col(st, 0, ret, AUDIT_HASH_HEX + 1), rc = 0;
	else if (rc == SQLITE_DONE)
		rc = err_set(e, ERR_STATE, "the audit log has no record %lld", (long long)seq);
	else
		rc = store_fail(s, "read the audit log", e);
	sqlite3_finalize(st);
	return rc;
}

static int check_field(const char *name, const char *value, bool required, struct err *e)
{
	if (required && (!value || !*value))
		return err_set(e, ERR_INPUT, "%s is empty", name);
	if (value && strlen(value) > AUDIT_FIELD_MAX)
		return err_set(e, ERR_INPUT, "%s is longer than %d bytes", name, AUDIT_FIELD_MAX);
	return 0;
}

/* Appends one record stamped with time (the checkpoint shares its own). */
static int append_at(struct store *s, const char *time, const char *actor, const char *action,
		     const char *object, const json_t *details, struct err *e)
{
	struct audit_record r = { .time = time, .actor = actor, .action = action,
				  .object = object ? object : "" };
	char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1], *text = NULL;
	json_t *canon = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_get_autocommit(s->db))
		return err_set(e, ERR_STATE, "audit record '%s': not inside a transaction",
			       action ? action : "");
	rc = check_field("actor", actor, true, e);
	if (!rc)
		rc = check_field("action", action, true, e);
	if (!rc)
		rc = check_field("object", object, false, e);
	if (!rc)
		rc = details_canonical(details, &text, &canon, e);
	if (!rc)
		rc = audit_head(s, &r.seq, prev, e);
	r.seq++, r.prev_hash = prev, r.details = text;
	if (!rc)
		rc = record_hash(&r, canon, hash, e);
	if (!rc)
		rc = store_prepare(s, "INSERT INTO audit (seq, time, actor, action, object, details,"
				   " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, e);
	if (!rc) {
		const char *v[] = { r.time, r.actor, r.action, r.object, r.details, prev, hash };

		sqlite3_bind_int64(st, 1, r.seq);
		for (int i = 0; i < 7; i++)
			store_bind_str(st, i + 2, v[i]);
		rc = store_step_done(s, st, "append to the audit log", e);
	}
	sqlite3_finalize(st);
	free(text);
	json_decref(canon);
	if (rc && action)
		err_prefix(e, rc, "audit record '%s' on '%s'", action, r.object);
	return rc;
}

int audit_append(struct store *s, const char *actor, const char *action, const char *object,
		 const json_t *details, struct err *e)
{
	char now[32];

	store_now(now);
	return append_at(s, now, actor, action, object, details, e);
}

/* Fills r from a row of RECORD_SELECT. Returns the name of a column
 * holding a NUL byte (which no canonical form carries), or NULL. */
static const char *record_read(sqlite3_stmt *st, struct audit_record *r)
{
	static const char *const names[] = { "time", "actor", "action", "object", "details",
					     "prev_hash", "hash" };
	const char **fields[] = { &r->time, &r->actor, &r->action, &r->object, &r->details,
				  &r->prev_hash, &r->hash };
	const char *bad = NULL;

	r->seq = sqlite3_column_int64(st, 0);
	for (int i = 0; i < 7; i++) {
		const char *v = (const char *)sqlite3_column_text(st, i + 1);

		*fields[i] = v ? v : "";
		if (v && !bad && strlen(v) != (size_t)sqlite3_column_bytes(st, i + 1))
			bad = names[i];
	}
	return bad;
}

/* A date stays as it is (it sorts before that day's times); a time is
 * brought to the stored form, UTC, rounded up to the second. */
static int since_bound(const char *since, char ret[32], struct err *e)
{
	struct instant t;
	struct tm tm;
	int64_t day;
	time_t sec;

	if (strlen(since) == DATE_LEN && date_parse(since, &day)) {
		snprintf(ret, 32, "%s", since);
		return 0;
	}
	if (!rfc3339_parse(since, &t))
		return err_set(e, ERR_INPUT, "since: '%s' is neither a date (YYYY-MM-DD) nor an "
			       "RFC 3339 time", since);
	sec = (time_t)(t.sec + (t.nsec > 0));
	if (!gmtime_r(&sec, &tm) || !strftime(ret, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return err_set(e, ERR_INPUT, "since: '%s' is out of range", since);
	return 0;
}

struct list_ctx {
	audit_cb cb;
	void *ctx;
};

static int list_row(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct list_ctx *l = ctx;
	struct audit_record r;

	record_read(st, &r);
	return l->cb(&r, l->ctx, e);
}

int audit_list(struct store *s, const char *since, const char *object, audit_cb cb, void *ctx,
	       struct err *e)
{
	struct list_ctx l = { cb, ctx };
	sqlite3_stmt *st = NULL;
	char bound[32];
	int rc = since ? since_bound(since, bound, e) : 0;

	if (!rc)
		rc = store_prepare(s, RECORD_SELECT "WHERE (?1 IS NULL OR time >= ?1) AND "
				   "(?2 IS NULL OR object = ?2) ORDER BY seq", &st, e);
	if (rc)
		return rc;
	store_bind_str(st, 1, since ? bound : NULL);
	store_bind_str(st, 2, object);
	return store_each(s, st, list_row, &l, "read the audit log", e);
}

/* Verification: one pass over the records, one over the checkpoints. */
struct walk {
	struct store *s;
	struct audit_verify_result *r;
	const struct audit_key *key;
	sqlite3_stmt *cp; /* the checkpoint row a checkpoint record names */
	sqlite3_int64 expect, last;
	char prev[AUDIT_HASH_HEX + 1];
};

/* Records a failure at seq, unless an earlier one is known. */
__attribute__((format(printf, 3, 4)))
static void bad(struct audit_verify_result *r, sqlite3_int64 seq, const char *fmt, ...)
{
	va_list ap;

	if (!r->ok && seq >= r->first_bad)
		return;
	r->ok = false;
	r->first_bad = seq;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static const char *json_str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* An "audit.checkpoint" record against the checkpoint row it names. */
static int check_checkpoint_record(struct walk *w, const struct audit_record *rec, json_t *d,
				   struct err *e)
{
	const char *names[] = { "time", "actor", "head_hash", "public_key", "signature" };
	const char *want[] = { rec->time, rec->actor, json_str(d, "head_hash"),
			       json_str(d, "public_key"), json_str(d, "signature") };
	json_t *seq = json_object_get(d, "seq");
	long long c = rec->seq - 1, n = rec->seq;
	int rc;

	if (!json_is_integer(seq) || json_integer_value(seq) != c) {
		bad(w->r, n, "record %lld: an audit.checkpoint record that does not name "
		    "checkpoint %lld, the record before it", n, c);
		return 0;
	}
	sqlite3_reset(w->cp);
	sqlite3_bind_int64(w->cp, 1, c);
	rc = sqlite3_step(w->cp);
	if (rc == SQLITE_DONE)
		bad(w->r, n, "record %lld: checkpoint %lld is missing from audit_checkpoint "
		    "(its record remains)", n, c);
	else if (rc != SQLITE_ROW)
		return store_fail(w->s, "read audit checkpoints", e);
	for (int i = 0; rc == SQLITE_ROW && i < 5; i++) {
		const char *v = (const char *)sqlite3_column_text(w->cp, i);

		if (!v || strcmp(v, want[i])) {
			bad(w->r, n, "record %lld: checkpoint %lld has another %s than its "
			    "audit.checkpoint record", n, c, names[i]);
			break;
		}
	}
	sqlite3_reset(w->cp);
	return 0;
}

/* One record: its place, its link, its details, its hash. */
static int check_record(struct walk *w, const struct audit_record *rec, struct err *e)
{
	char hash[AUDIT_HASH_HEX + 1], *text = NULL;
	json_t *details = NULL;
	json_error_t je;
	long long n = rec->seq;
	int rc = 0;

	if (rec->seq != w->expect) {
		if (rec->seq < w->expect)
			bad(w->r, n, "record %lld is out of place: sequence numbers start at 1", n);
		else
			bad(w->r, w->expect, "record %lld is missing (the next one is %lld)",
			    (long long)w->expect, n);
		return 0;
	}
	if (strcmp(rec->prev_hash, w->prev)) {
		if (n == 1)
			bad(w->r, n, "record 1: prev_hash is not 64 zeros (the start of the chain)");
		else
			bad(w->r, n, "record %lld: prev_hash is not the hash of record %lld", n, n - 1);
		return 0;
	}
	if (strlen(rec->details) <= AUDIT_DETAILS_MAX)
		details = json_loads(rec->details, JSON_READ, &je);
	else
		snprintf(je.text, sizeof(je.text), "longer than %u bytes", AUDIT_DETAILS_MAX);
	if (!json_is_object(details)) {
		bad(w->r, n, "record %lld: details are not a JSON object: %s", n,
		    details ? "another value" : je.text);
		goto out;
	}
	text = json_dumps(details, JSON_CANONICAL);
	if (!text) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	if (strcmp(text, rec->details)) {
		bad(w->r, n, "record %lld: details are not in canonical form (edited)", n);
		goto out;
	}
	rc = record_hash(rec, details, hash, e);
	if (rc == ERR_INPUT) {
		bad(w->r, n, "record %lld: %s", n, e->msg);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	if (strcmp(hash, rec->hash)) {
		bad(w->r, n, "record %lld: its contents do not match its hash (a field or the "
		    "hash was changed)", n);
		goto out;
	}
	if (!strcmp(rec->action, CHECKPOINT_ACTION))
		rc = check_checkpoint_record(w, rec, details, e);
	memcpy(w->prev, hash, sizeof(hash));
	w->expect++;
out:
	free(text);
	json_decref(details);
	return rc;
}

static int walk_row(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct walk *w = ctx;
	struct audit_record rec;
	const char *nul = record_read(st, &rec);

	w->r->records++;
	w->last = rec.seq;
	/* Everything after the first bad record is suspect anyway. */
	if (!w->r->ok)
		return 0;
	if (nul) {
		bad(w->r, rec.seq, "record %lld: %s holds a NUL byte", (long long)rec.seq, nul);
		return 0;
	}
	return check_record(w, &rec, e);
}

#define CHECKPOINT_SELECT \
	"SELECT c.seq, c.head_hash, c.signature, c.public_key, a.hash, n.action " \
	"FROM audit_checkpoint c LEFT JOIN audit a ON a.seq = c.seq " \
	"LEFT JOIN audit n ON n.seq = c.seq + 1 ORDER BY c.seq"

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : "";
}

/* One checkpoint: its signature, the record it signed, the record after. */
static int checkpoint_row(sqlite3_stmt *st, void *ctx, struct err *e)
{
	struct walk *w = ctx;
	long long c = sqlite3_column_int64(st, 0), last = w->last;
	const char *head = col(st, 1), *sig = col(st, 2), *pub = col(st, 3);
	const char *hash = c == 0 ? zero_hash : (const char *)sqlite3_column_text(st, 4);
	const char *next = (const char *)sqlite3_column_text(st, 5);

	w->r->checkpoints++;
	if (!w->key)
		return err_set(e, ERR_STATE, "a checkpoint appeared during verification");
	if (c < 0)
		bad(w->r, c, "checkpoint %lld: no such sequence number", c);
	if (!audit_key_verify(w->key, c, head, sig))
		bad(w->r, c, "checkpoint %lld: its signature does not verify with the trusted "
		    "public key%s", c, strcmp(pub, audit_key_public_hex(w->key)) ?
		    " (the checkpoint names another key)" : "");
	if (c > last)
		bad(w->r, last + 1, "record %lld and after are missing: checkpoint %lld signed "
		    "the log up to record %lld", last + 1, c, c);
	else if (!hash || strcmp(hash, head))
		bad(w->r, c, "record %lld is not the one checkpoint %lld signed (the chain up to "
		    "it was rewritten)", c, c);
	if (c >= last)
		bad(w->r, c + 1, "record %lld, the audit.checkpoint record of checkpoint %lld, "
		    "is missing", c + 1, c);
	else if (!next || strcmp(next, CHECKPOINT_ACTION))
		bad(w->r, c + 1, "record %lld is not the audit.checkpoint record of checkpoint "
		    "%lld", c + 1, c);
	return 0;
}

static int count_checkpoints(struct store *s, sqlite3_int64 *ret, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT count(*) FROM audit_checkpoint", &st, e);

	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	else
		rc = store_fail(s, "count audit checkpoints", e);
	sqlite3_finalize(st);
	return rc;
}

/* Verifies with key, else (when there are checkpoints) the public key at
 * pub_path. */
static int verify_run(struct store *s, const char *pub_path, const struct audit_key *key,
		      struct audit_verify_result *ret, struct err *e)
{
	struct audit_verify_result r = { .ok = true };
	struct walk w = { .s = s, .r = &r, .key = key, .expect = 1 };
	struct audit_key *loaded = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	bool own = sqlite3_get_autocommit(s->db) != 0;
	int rc = own ? store_exec(s, "BEGIN", e) : 0; /* one snapshot for every query */

	memcpy(w.prev, zero_hash, sizeof(zero_hash));
	if (!rc)
		rc = count_checkpoints(s, &n, e);
	if (!rc && n > 0 && !key) {
		rc = pub_path ? audit_key_load(pub_path, false, &loaded, e)
			      : err_set(e, ERR_INPUT, "no public key given");
		if (rc)
			err_prefix(e, rc, "cannot verify the %lld audit checkpoints", (long long)n);
		w.key = loaded;
	}
	if (!rc)
		rc = store_prepare(s, "SELECT time, actor, head_hash, public_key, signature "
				   "FROM audit_checkpoint WHERE seq = ?", &w.cp, e);
	if (!rc)
		rc = store_prepare(s, RECORD_SELECT "ORDER BY seq", &st, e);
	if (!rc)
		rc = store_each(s, st, walk_row, &w, "read the audit log", e);
	if (!rc)
		rc = store_prepare(s, CHECKPOINT_SELECT, &st, e);
	if (!rc)
		rc = store_each(s, st, checkpoint_row, &w, "read audit checkpoints", e);
	if (!rc)
		*ret = r;
	sqlite3_finalize(w.cp);
	audit_key_free(loaded);
	if (own)
		store_exec(s, "ROLLBACK", NULL);
	return rc;
}

int audit_verify(struct store *s, const char *pubkey_path, struct audit_verify_result *ret,
		 struct err *e)
{
	return verify_run(s, pubkey_path, NULL, ret, e);
}

/* The private key at key_path, or a new one (*ret_created) when there is
 * none; a new key is saved only once the checkpoint is made. */
static int signing_key(const char *key_path, struct audit_key **ret, bool *ret_created,
		       struct err *e)
{
	if (access(key_path, F_OK) != 0 && errno == ENOENT) {
		*ret_created = true;
		return audit_key_generate(ret, e);
	}
	*ret_created = false;
	return audit_key_load(key_path, true, ret, e);
}

static int insert_checkpoint(struct store *s, sqlite3_int64 seq, const char *const v[5],
			     struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "INSERT INTO audit_checkpoint (seq, time, actor, head_hash, "
			       "public_key, signature) VALUES (?, ?, ?, ?, ?, ?)", &st, e);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	for (int i = 0; i < 5; i++)
		store_bind_str(st, i + 2, v[i]);
	rc = store_step_done(s, st, "store the audit checkpoint", e);
	sqlite3_finalize(st);
	return rc;
}

/* Refuses to sign a broken log, or one signed with a key we do not hold. */
static int checkpoint_check(struct store *s, const struct audit_key *k, bool created,
			    const char *key_path, struct err *e)
{
	struct audit_verify_result r;
	int rc = verify_run(s, NULL, k, &r, e);

	if (!rc && created && r.checkpoints > 0)
		return err_set(e, ERR_STATE, "private key '%s' does not exist, but the audit log "
			       "has %lld checkpoints signed with a key: restore that key, or name "
			       "it with --key", key_path, (long long)r.checkpoints);
	if (!rc && !r.ok)
		return err_set(e, ERR_STATE, "audit log broken at seq %lld: %s (not signing it)",
			       (long long)r.first_bad, r.reason);
	return rc;
}

int audit_checkpoint(struct store *s, const char *actor, const char *key_path,
		     sqlite3_int64 *ret_seq, struct err *e)
{
	char head[AUDIT_HASH_HEX + 1], sig[AUDIT_SIG_HEX + 1], now[32], object[48];
	struct audit_key *k = NULL;
	sqlite3_int64 seq = 0;
	bool created = false;
	json_t *d = NULL;
	int rc;

	if (sqlite3_get_autocommit(s->db))
		return err_set(e, ERR_STATE, "audit checkpoint: not inside a transaction");
	rc = signing_key(key_path, &k, &created, e);
	if (!rc)
		rc = checkpoint_check(s, k, created, key_path, e);
	if (!rc)
		rc = audit_head(s, &seq, head, e);
	if (!rc)
		rc = audit_key_sign(k, seq, head, sig, e);
	store_now(now);
	if (!rc) {
		const char *v[] = { now, actor, head, audit_key_public_hex(k), sig };

		rc = check_field("actor", actor, true, e);
		if (!rc)
			rc = insert_checkpoint(s, seq, v, e);
	}
	if (!rc) {
		d = json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)seq, "head_hash", head,
			      "public_key", audit_key_public_hex(k), "signature", sig);
		snprintf(object, sizeof(object), "checkpoint:%lld", (long long)seq);
		rc = d ? append_at(s, now, actor, CHECKPOINT_ACTION, object, d, e)
		       : err_set(e, ERR_NOMEM, "out of memory");
	}
	if (!rc && created)
		rc = audit_key_save(k, key_path, e);
	if (!rc)
		*ret_seq = seq;
	json_decref(d);
	audit_key_free(k);
	return rc;
}
