/* CVE identifiers; see cve.h. */
#include "core/cve.h"

#include <string.h>

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool cve_id_valid(const char *s, size_t len)
{
	return len >= 13 && len <= 28 && memcmp(s, "CVE-", 4) == 0 &&
	       all_digits(s + 4, 4) && s[8] == '-' && all_digits(s + 9, len - 9);
}
