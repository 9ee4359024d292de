/*
 * hfx audit log / export / verify / checkpoint: reading the audit chain,
 * proving it intact, and signing its head. The chain itself is
 * audit/audit.c; docs/AUDIT.md says what verify proves and what it cannot.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"

#define KEY_PATH_MAX 4096

/* Text from the database, with control bytes shown as '?' so that a
 * record cannot drive the terminal. */
static void print_field(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static int log_line(const struct audit_record *r, void *ctx, struct err *e)
{
	const char *fields[] = { r->time, r->actor, r->action, r->object, r->details };

	(void)ctx, (void)e;
	printf("%lld", (long long)r->seq);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		fputs("  ", stdout);
		print_field(fields[i]);
	}
	putchar('\n');
	return 0;
}

static const struct cli_option log_options[] = {
	{ "since", "DATE", "only records from DATE on (YYYY-MM-DD, or an RFC 3339 time)" },
	{ "object", "ID", "only records about ID (an advisory id, \"host:web1\", ...)" },
	{ NULL, NULL, NULL },
};

static int log_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = audit_list(s, a->values[0], a->values[1], log_line, NULL, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_audit_log = {
	.name = "audit log",
	.summary = "print the audit log: seq, time, actor, action, object, details",
	.details = "One line per record, oldest first, fields separated by two spaces; details "
		   "are canonical JSON. Listing does not verify: see 'hfx audit verify'.",
	.max_pos = 0,
	.options = log_options,
	.run = log_run,
};

/* One record as a canonical JSON line, details as an object. */
static int export_line(const struct audit_record *r, void *ctx, struct err *e)
{
	json_error_t je;
	json_t *details = json_loads(r->details, JSON_ALLOW_NUL, &je);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:O*, s:s, s:s}", "seq",
			      (json_int_t)r->seq, "time", r->time, "actor", r->actor, "action",
			      r->action, "object", r->object, "details", details, "prev_hash",
			      r->prev_hash, "hash", r->hash);
	char *line = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	int rc = 0;

	(void)ctx;
	if (!details || !line)
		rc = err_set(e, ERR_STATE, "audit record %lld cannot be exported (%s): run 'hfx "
			     "audit verify'", (long long)r->seq,
			     details ? "a field is not UTF-8" : "its details are not JSON");
	else
		printf("%s\n", line);
	json_decref(details);
	json_decref(o);
	free(line);
	return rc;
}

static const struct cli_option export_options[] = {
	{ "format", "FORMAT", "jsonl (the default and, for now, the only format)" },
	{ NULL, NULL, NULL },
};

static int export_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc;

	if (a->values[0] && strcmp(a->values[0], "jsonl"))
		return err_set(e, ERR_INPUT, "audit export: unknown format '%s' (jsonl is the only "
			       "one)", a->values[0]);
	rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = audit_list(s, NULL, NULL, export_line, NULL, e);
	if (!rc && fflush(stdout) != 0)
		rc = err_set(e, ERR_IO, "audit export: cannot write: %s", strerror(errno));
	store_close(s);
	return rc;
}

const struct cli_command cmd_audit_export = {
	.name = "audit export",
	.summary = "write the whole audit log for auditors, one JSON object per line",
	.details = "Each line is the canonical JSON (sorted keys, compact) of one record with "
		   "every field: seq, time, actor, action, object, details, prev_hash and hash. "
		   "Without prev_hash and hash it is the exact text the record's hash covers "
		   "(docs/AUDIT.md), so an auditor can check the chain with any SHA-256 tool.",
	.max_pos = 0,
	.options = export_options,
	.run = export_run,
};

static const struct cli_option verify_options[] = {
	{ "public-key", "FILE", "the trusted public key for checkpoints (default: "
	  "<db>.audit-key.pub)" },
	{ NULL, NULL, NULL },
};

static int verify_run(const struct cli_args *a, struct err *e)
{
	char key[KEY_PATH_MAX], pub[KEY_PATH_MAX], head[AUDIT_HASH_HEX + 1];
	struct audit_verify_result r;
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	audit_key_paths(a->db_path, key, pub, sizeof(pub));
	if (!rc)
		rc = audit_verify(s, a->values[0] ? a->values[0] : pub, &r, e);
	if (!rc && !r.ok)
		rc = err_set(e, ERR_STATE, "audit log broken at seq %lld: %s",
			     (long long)r.first_bad, r.reason);
	if (!rc)
		rc = audit_hash_at(s, r.records, head, e);
	if (!rc)
		printf("audit log intact: %lld records, %lld checkpoints\nhead: seq %lld, hash %s\n",
		       (long long)r.records, (long long)r.checkpoints, (long long)r.records, head);
	store_close(s);
	return rc;
}

const struct cli_command cmd_audit_verify = {
	.name = "audit verify",
	.summary = "prove the audit log intact: every record, hash and checkpoint",
	.details = "Recomputes every record's hash and link, and checks every checkpoint's "
		   "signature with the trusted public key and against the records. Exit status 0 "
		   "when intact; 1 naming the first bad sequence number and why. What it cannot "
		   "detect is in docs/AUDIT.md: keep the public key, or the head a checkpoint "
		   "printed, where the database's writers cannot change it.",
	.max_pos = 0,
	.options = verify_options,
	.run = verify_run,
};

static const struct cli_option checkpoint_options[] = {
	{ "key", "FILE", "the Ed25519 private key (default: <db>.audit-key; created on first "
	  "use, mode 0600, with FILE.pub beside it)" },
	{ NULL, NULL, NULL },
};

static int checkpoint_run(const struct cli_args *a, struct err *e)
{
	char key[KEY_PATH_MAX], pub[KEY_PATH_MAX], head[AUDIT_HASH_HEX + 1];
	const char *path;
	struct store *s = NULL;
	sqlite3_int64 seq = 0;
	bool exists;
	int rc = cli_open_store(a, &s, e);

	audit_key_paths(a->db_path, key, pub, sizeof(key));
	path = a->values[0] ? a->values[0] : key;
	exists = access(path, F_OK) == 0;
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = audit_checkpoint(s, a->actor, path, &seq, e);
	if (!rc)
		rc = audit_hash_at(s, seq, head, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	if (!rc && !exists)
		printf("created key %s (keep it secret) and %s.pub: keep a copy of the public "
		       "key where the database's writers cannot change it\n", path, path);
	if (!rc)
		printf("checkpoint: seq %lld, head %s\n", (long long)seq, head);
	store_close(s);
	return rc;
}

const struct cli_command cmd_audit_checkpoint = {
	.name = "audit checkpoint",
	.summary = "sign the head of the audit log (seq, hash) with the audit key",
	.details = "Verifies the log first and refuses to sign a broken one. The signature is "
		   "stored in the database and recorded as an audit.checkpoint record; 'hfx "
		   "audit verify' then notices a chain rewritten or cut back before this point.",
	.max_pos = 0,
	.role = ROLE_ADMIN,
	.options = checkpoint_options,
	.run = checkpoint_run,
};
