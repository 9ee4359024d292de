/* SHA-256 content hashes; see hash.h. */
#include "base/hash.h"

#include <openssl/evp.h>

void sha256_hex(const void *data, size_t len, char ret[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++) {
		ret[2 * i] = hex[md[i] >> 4];
		ret[2 * i + 1] = hex[md[i] & 15];
	}
	ret[SHA256_HEX_LEN] = '\0';
}
