/*
 * People's roles (core/role.h): grants, revocations, and the role a
 * person holds (the highest granted; viewer without a grant).
 */
#ifndef HFX_STORE_PEOPLE_STORE_H
#define HFX_STORE_PEOPLE_STORE_H

#include <stdbool.h>

#include "core/role.h"
#include "store/store.h"

int role_grant(struct store *s, const char *person, enum role r, const char *by,
	       struct err *e);
/* ERR_INPUT when the person does not hold that grant. */
int role_revoke(struct store *s, const char *person, enum role r, struct err *e);
int role_of(struct store *s, const char *person, enum role *ret, struct err *e);
int role_admin_exists(struct store *s, bool *ret, struct err *e);

struct role_row {
	const char *person, *role, *granted_by, *granted_at;
};

typedef int (*role_cb)(const struct role_row *row, void *ctx, struct err *e);
/* Every grant, by person and role. */
int role_list(struct store *s, role_cb cb, void *ctx, struct err *e);

#endif
