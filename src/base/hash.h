/* SHA-256 content hashes (OpenSSL libcrypto), as lowercase hex. */
#ifndef HFX_BASE_HASH_H
#define HFX_BASE_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the hex digest of data[0..len) and a NUL into ret. */
void sha256_hex(const void *data, size_t len, char ret[SHA256_HEX_LEN + 1]);

/* Incremental hashing; sha256_init returns NULL when out of memory. */
struct sha256;
struct sha256 *sha256_init(void);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes the hex digest and frees h. */
void sha256_final(struct sha256 *h, char ret[SHA256_HEX_LEN + 1]);
/* Writes the hex digest and starts h over, for hashing many small items
 * without an allocation each. */
void sha256_next(struct sha256 *h, char ret[SHA256_HEX_LEN + 1]);
void sha256_free(struct sha256 *h);

#endif
