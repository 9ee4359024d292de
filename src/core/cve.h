/* CVE identifiers: the one key that joins advisories, KEV and EPSS. */
#ifndef HFX_CORE_CVE_H
#define HFX_CORE_CVE_H

#include <stdbool.h>
#include <stddef.h>

/* True for "CVE-YYYY-NNNN" with 4 to 19 digits in the number (the CVE
 * schema's pattern); s need not be NUL-terminated. */
bool cve_id_valid(const char *s, size_t len);

#endif
