/* Roles and person names; see role.h. */
#include "core/role.h"

#include <string.h>

static const char *const names[] = { "viewer", "operator", "approver", "admin" };

const char *role_name(enum role r)
{
	return (unsigned)r <= ROLE_ADMIN ? names[r] : "?";
}

int role_parse(const char *s)
{
	for (int i = 0; i <= ROLE_ADMIN; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

bool person_name_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-") == n;
}
