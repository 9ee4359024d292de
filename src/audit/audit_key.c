/*
 * Ed25519 keys for audit checkpoints: where they live, creating, loading
 * and saving them (PEM), and signing or verifying the checkpoint text
 * (see audit.h). Not the checkpoints themselves: audit.c stores and checks
 * those.
 *
 * The private key never leaves this file except as an opaque handle: it
 * is read into a stack buffer that is wiped after parsing, written from a
 * wiped buffer, and never put into an error message.
 */
/* OpenSSL's headers typedef an ERR_STATE of their own, which clashes with
 * our enum err_code; renamed while they are read (we never use theirs). */
#define ERR_STATE openssl_ERR_STATE
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#undef ERR_STATE

#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_MAX 16384 /* a PEM Ed25519 key is about 120 bytes */
#define MSG_MAX 160

struct audit_key {
	EVP_PKEY *pkey;
	char pub_hex[AUDIT_PUB_HEX + 1];
};

void audit_key_paths(const char *db_path, char *ret_key, char *ret_pub, size_t len)
{
	snprintf(ret_key, len, "%s.audit-key", db_path);
	snprintf(ret_pub, len, "%s.audit-key.pub", db_path);
}

/* OpenSSL's reason for the last failure, and an empty error queue. */
static const char *ssl_reason(char *buf, size_t len)
{
	unsigned long code = ERR_get_error();

	if (code)
		ERR_error_string_n(code, buf, len);
	else
		snprintf(buf, len, "unknown error");
	ERR_clear_error();
	return buf;
}

static void to_hex(const unsigned char *p, size_t n, char *ret)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		ret[2 * i] = hex[p[i] >> 4];
		ret[2 * i + 1] = hex[p[i] & 15];
	}
	ret[2 * n] = '\0';
}

static int hex_val(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes exactly 2 * n lowercase hex digits. */
static bool from_hex(const char *s, unsigned char *ret, size_t n)
{
	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_val(s[2 * i]), lo = hex_val(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		ret[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool is_hash_hex(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (hex_val(s[n]) < 0)
			return false;
	return n == AUDIT_HASH_HEX;
}

/* The signed text; false when head_hash is not 64 lowercase hex digits. */
static bool checkpoint_message(sqlite3_int64 seq, const char *head_hash, char ret[MSG_MAX],
			       size_t *ret_len)
{
	int n;

	if (!is_hash_hex(head_hash))
		return false;
	n = snprintf(ret, MSG_MAX, "hfx-audit-checkpoint v1\nseq=%lld\nhash=%s\n",
		     (long long)seq, head_hash);
	*ret_len = (size_t)n;
	return n > 0 && n < MSG_MAX;
}

/* Wraps pkey (taking it) after checking it is an Ed25519 key. */
static int key_wrap(EVP_PKEY *pkey, const char *what, struct audit_key **ret, struct err *e)
{
	unsigned char raw[32];
	size_t n = sizeof(raw);
	struct audit_key *k;

	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pkey);
		return err_set(e, ERR_INPUT, "%s is not an Ed25519 key", what);
	}
	k = calloc(1, sizeof(*k));
	if (!k || EVP_PKEY_get_raw_public_key(pkey, raw, &n) != 1 || n != sizeof(raw)) {
		free(k);
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return err_set(e, ERR_NOMEM, "%s: cannot read the public key", what);
	}
	k->pkey = pkey;
	to_hex(raw, n, k->pub_hex);
	*ret = k;
	return 0;
}

/* Reads a small regular file; a private key must be mode 0600 or stricter. */
static int read_key_file(const char *path, bool private_key, unsigned char *buf,
			 size_t *ret_len, struct err *e)
{
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int rc = 0, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return err_set(e, ERR_IO, "cannot read %s key '%s': %s",
			       private_key ? "private" : "public", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size >= KEY_FILE_MAX) {
		rc = err_set(e, ERR_INPUT, "'%s' is not a key file (a regular file under %d bytes)",
			     path, KEY_FILE_MAX);
		goto out;
	}
	if (private_key && (st.st_mode & 077)) {
		rc = err_set(e, ERR_STATE, "private key '%s' is accessible by others (mode %04o): "
			     "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while (len < KEY_FILE_MAX && (n = read(fd, buf + len, KEY_FILE_MAX - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(e, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	*ret_len = len;
out:
	close(fd);
	return rc;
}

/* A passphrase callback that refuses: never prompt on the terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

int audit_key_load(const char *path, bool private_key, struct audit_key **ret, struct err *e)
{
	unsigned char pem[KEY_FILE_MAX];
	char why[256];
	size_t len = 0;
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	int rc = read_key_file(path, private_key, pem, &len, e);

	if (rc)
		goto out;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio)
		pkey = private_key ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
				   : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	if (!pkey) {
		rc = err_set(e, ERR_INPUT, "cannot read %s key '%s': %s",
			     private_key ? "private" : "public", path, ssl_reason(why, sizeof(why)));
		goto out;
	}
	snprintf(why, sizeof(why), "'%s'", path);
	rc = key_wrap(pkey, why, ret, e);
out:
	BIO_free(bio);
	OPENSSL_cleanse(pem, sizeof(pem));
	return rc;
}

int audit_key_generate(struct audit_key **ret, struct err *e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *pkey = NULL;
	char why[256];

	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &pkey) != 1) {
		EVP_PKEY_CTX_free(ctx);
		return err_set(e, ERR_NOMEM, "cannot generate an Ed25519 key: %s",
			       ssl_reason(why, sizeof(why)));
	}
	EVP_PKEY_CTX_free(ctx);
	return key_wrap(pkey, "the generated key", ret, e);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return fsync(fd);
}

/* Writes the PEM form of k (private or public) to a new file at path. */
static int write_pem(const struct audit_key *k, bool private_key, const char *path,
		     struct err *e)
{
	BIO *bio = BIO_new(private_key ? BIO_s_secmem() : BIO_s_mem());
	char *data = NULL, why[256];
	long len = 0;
	int ok, rc = 0, fd = -1;

	ok = bio && (private_key ? PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL)
				 : PEM_write_bio_PUBKEY(bio, k->pkey));
	if (!ok || (len = BIO_get_mem_data(bio, &data)) <= 0) {
		rc = err_set(e, ERR_NOMEM, "cannot encode the %s key: %s",
			     private_key ? "private" : "public", ssl_reason(why, sizeof(why)));
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  private_key ? 0600 : 0644);
	if (fd < 0) {
		rc = err_set(e, errno == EEXIST ? ERR_STATE : ERR_IO,
			     "cannot create %s key '%s': %s%s", private_key ? "private" : "public",
			     path, strerror(errno),
			     errno == EEXIST ? " (hfx never overwrites a key: move it away or "
					       "pass --key)" : "");
		goto out;
	}
	ok = write_all(fd, data, (size_t)len) == 0;
	ok = close(fd) == 0 && ok;
	fd = -1;
	if (!ok) {
		rc = err_set(e, ERR_IO, "cannot write key '%s': %s", path, strerror(errno));
		unlink(path);
	}
out:
	if (fd >= 0)
		close(fd);
	if (data && len > 0)
		OPENSSL_cleanse(data, (size_t)len);
	BIO_free(bio);
	return rc;
}

int audit_key_save(const struct audit_key *k, const char *key_path, struct err *e)
{
	char pub[4096];
	int rc;

	if ((size_t)snprintf(pub, sizeof(pub), "%s.pub", key_path) >= sizeof(pub))
		return err_set(e, ERR_INPUT, "key path too long: '%s'", key_path);
	/* The public key first: an existing one may be what a verifier trusts,
	 * so it must stop us before a new private key appears beside it. */
	rc = write_pem(k, false, pub, e);
	if (rc)
		return rc;
	rc = write_pem(k, true, key_path, e);
	if (rc)
		unlink(pub);
	return rc;
}

int audit_key_sign(const struct audit_key *k, sqlite3_int64 seq, const char *head_hash,
		   char ret_sig[AUDIT_SIG_HEX + 1], struct err *e)
{
	unsigned char sig[64];
	char msg[MSG_MAX], why[256];
	size_t msg_len = 0, sig_len = sizeof(sig);
	EVP_MD_CTX *ctx = NULL;
	int rc = 0;

	if (!checkpoint_message(seq, head_hash, msg, &msg_len))
		return err_set(e, ERR_INPUT, "checkpoint of seq %lld: bad head hash '%.64s'",
			       (long long)seq, head_hash);
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &sig_len, (const unsigned char *)msg, msg_len) != 1 ||
	    sig_len != sizeof(sig))
		rc = err_set(e, ERR_STATE, "cannot sign checkpoint of seq %lld: %s",
			     (long long)seq, ssl_reason(why, sizeof(why)));
	else
		to_hex(sig, sig_len, ret_sig);
	EVP_MD_CTX_free(ctx);
	return rc;
}

bool audit_key_verify(const struct audit_key *k, sqlite3_int64 seq, const char *head_hash,
		      const char *sig_hex)
{
	unsigned char sig[64];
	char msg[MSG_MAX];
	size_t msg_len = 0;
	EVP_MD_CTX *ctx;
	bool ok;

	if (!checkpoint_message(seq, head_hash, msg, &msg_len) ||
	    !from_hex(sig_hex, sig, sizeof(sig)))
		return false;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof(sig), (const unsigned char *)msg, msg_len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

const char *audit_key_public_hex(const struct audit_key *k)
{
	return k->pub_hex;
}

void audit_key_free(struct audit_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey); /* clears the private half */
	free(k);
}
