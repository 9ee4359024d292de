/* SHA-256 content hashes (OpenSSL libcrypto), as lowercase hex. */
#ifndef HFX_BASE_HASH_H
#define HFX_BASE_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the hex digest of data[0..len) and a NUL into ret. */
void sha256_hex(const void *data, size_t len, char ret[SHA256_HEX_LEN + 1]);

#endif
