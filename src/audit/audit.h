/*
 * The audit log: every change hfx makes, appended to one hash chain that
 * nobody can edit unnoticed. Each record has a sequence number, the time,
 * the actor, an action ("feed.import", "decision.approve"), the object it
 * is about ("DSA-5000-1", "host:web1"), details as canonical JSON, the hash
 * of the previous record and its own hash:
 *
 *   hash = SHA-256(prev_hash || canonical JSON of {seq, time, actor,
 *                  action, object, details})
 *
 * (hex; the first record's prev_hash is 64 zeros). Checkpoints sign the
 * head (seq, hash) with an Ed25519 key kept outside the database, so a
 * rewritten chain, or a tail cut off before the last checkpoint, is found
 * too. docs/AUDIT.md describes the format and what verify proves.
 */
#ifndef HFX_AUDIT_AUDIT_H
#define HFX_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"

#define AUDIT_HASH_HEX 64

/*
 * Appends one record. Must run inside the caller's write transaction, so
 * the record is part of the change it documents (both or neither are
 * stored). details is borrowed (not freed); NULL stands for {}. Returns 0
 * or a negative error code.
 */
int audit_append(struct store *s, const char *actor, const char *action, const char *object,
		 const json_t *details, struct err *e);

/* One record as stored; strings valid during the callback. */
struct audit_record {
	sqlite3_int64 seq;
	const char *time, *actor, *action, *object, *details, *prev_hash, *hash;
};

typedef int (*audit_cb)(const struct audit_record *r, void *ctx, struct err *e);

/* Records in sequence order; since (RFC 3339 or date, NULL: all) and
 * object (NULL: all) filter. */
int audit_list(struct store *s, const char *since, const char *object, audit_cb cb, void *ctx,
	       struct err *e);

struct audit_verify_result {
	bool ok;
	sqlite3_int64 records, checkpoints;
	sqlite3_int64 first_bad;  /* the first bad sequence number; 0 when ok */
	char reason[256];         /* why it is bad */
};

/*
 * Verifies the whole chain: contiguous sequence numbers from 1, each
 * prev_hash equal to the previous record's hash, each hash recomputed;
 * then every checkpoint: its signature over (seq, head_hash) with the
 * public key at pubkey_path (the CLI passes --public-key or the default
 * of audit_key_paths()), its head_hash equal to the record's hash at that seq,
 * and no checkpoint beyond the last record (a cut-off tail). Returns 0
 * with *ret filled (ok or not); an error code only when verification
 * could not run.
 */
int audit_verify(struct store *s, const char *pubkey_path, struct audit_verify_result *ret,
		 struct err *e);

/*
 * Signs the current head with the Ed25519 private key at key_path (the CLI
 * passes --key or the default of audit_key_paths()), creating the key pair
 * on first use
 * (private key mode 0600, PEM; public key beside it, PEM), stores the
 * checkpoint and appends an "audit.checkpoint" record. Inside a write
 * transaction. *ret_seq gets the signed sequence number.
 */
int audit_checkpoint(struct store *s, const char *actor, const char *key_path,
		     sqlite3_int64 *ret_seq, struct err *e);

/* The default key files for the database at db_path: "<db>.audit-key"
 * (private) and "<db>.audit-key.pub". */
void audit_key_paths(const char *db_path, char *ret_key, char *ret_pub, size_t len);

/* Limits: details as canonical JSON; actor, action and object. */
#define AUDIT_DETAILS_MAX (1u << 20)
#define AUDIT_FIELD_MAX 4096

/* The last record's sequence number and hash: 0 and 64 zeros for an empty
 * log. */
int audit_head(struct store *s, sqlite3_int64 *ret_seq, char ret_hash[AUDIT_HASH_HEX + 1],
	       struct err *e);

/* The hash of the record at seq as stored (seq 0: 64 zeros, the chain's
 * start); ERR_STATE when there is no such record. */
int audit_hash_at(struct store *s, sqlite3_int64 seq, char ret[AUDIT_HASH_HEX + 1],
		  struct err *e);

/*
 * Ed25519 keys (audit_key.c). A checkpoint signs the ASCII text
 *
 *   "hfx-audit-checkpoint v1\nseq=<decimal seq>\nhash=<64 hex>\n"
 *
 * Signatures and public keys are lowercase hex of the raw bytes (64 and
 * 32). A key holding the private half wipes it when freed.
 */
#define AUDIT_SIG_HEX 128
#define AUDIT_PUB_HEX 64

struct audit_key;

/* Reads a PEM key: the private key at path (which must not be readable by
 * group or others), or with !private_key the public key. */
int audit_key_load(const char *path, bool private_key, struct audit_key **ret, struct err *e);
/* A new key pair, in memory only until audit_key_save(). */
int audit_key_generate(struct audit_key **ret, struct err *e);
/* Writes a generated key: the private key to key_path (created, mode
 * 0600, never overwritten) and the public key to "<key_path>.pub" (also
 * never overwritten). On failure neither file is left behind. */
int audit_key_save(const struct audit_key *k, const char *key_path, struct err *e);
/* Signs (seq, head_hash) with a private key. */
int audit_key_sign(const struct audit_key *k, sqlite3_int64 seq, const char *head_hash,
		   char ret_sig[AUDIT_SIG_HEX + 1], struct err *e);
/* True when sig_hex is k's signature of (seq, head_hash). */
bool audit_key_verify(const struct audit_key *k, sqlite3_int64 seq, const char *head_hash,
		      const char *sig_hex);
/* The public key as hex; valid while k is. */
const char *audit_key_public_hex(const struct audit_key *k);
void audit_key_free(struct audit_key *k);

#endif
