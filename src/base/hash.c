/* SHA-256 content hashes; see hash.h. */
#include "base/hash.h"

#include <openssl/evp.h>

static void to_hex(const unsigned char *md, unsigned int n, char ret[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned int i = 0; i < n && i < 32; i++) {
		ret[2 * i] = hex[md[i] >> 4];
		ret[2 * i + 1] = hex[md[i] & 15];
	}
	ret[SHA256_HEX_LEN] = '\0';
}

void sha256_hex(const void *data, size_t len, char ret[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	to_hex(md, n, ret);
}

struct sha256 *sha256_init(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return (struct sha256 *)ctx;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void sha256_final(struct sha256 *h, char ret[SHA256_HEX_LEN + 1])
{
	sha256_next(h, ret);
	sha256_free(h);
}

void sha256_next(struct sha256 *h, char ret[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &n);
	EVP_DigestInit_ex((EVP_MD_CTX *)h, EVP_sha256(), NULL);
	to_hex(md, n, ret);
}

void sha256_free(struct sha256 *h)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
