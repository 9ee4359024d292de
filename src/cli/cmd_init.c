/*
 * hfx init: create the database or migrate it to the current schema. The
 * person who first initializes it (or who migrates a database that has no
 * admin yet) becomes its admin.
 */
#include "cli/cli.h"

#include "audit/audit.h"
#include "store/people_store.h"

/* Makes actor the admin when nobody is; *ret_granted says it happened. */
static int first_admin(struct store *s, const char *actor, bool *ret_granted, struct err *e)
{
	bool exists = true;
	json_t *details = NULL;
	int rc = store_begin(s, e);

	if (!rc)
		rc = role_admin_exists(s, &exists, e);
	if (!rc && !exists) {
		details = json_pack("{s:s, s:s}", "role", "admin", "reason", "first admin");
		rc = role_grant(s, actor, ROLE_ADMIN, actor, e);
		if (!rc)
			rc = audit_append(s, actor, "role.grant", actor, details, e);
	}
	if (!rc)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	json_decref(details);
	*ret_granted = !rc && !exists;
	return rc;
}

int cli_init_db(const char *path, const char *actor, struct err *e)
{
	struct store *s = NULL;
	bool granted = false;
	int rc = store_open(path, true, &s, e);

	if (!rc)
		rc = first_admin(s, actor, &granted, e);
	if (!rc && granted)
		printf("%s is the admin of %s (hfx role grant adds others)\n", actor, path);
	store_close(s);
	return rc;
}

static int run(const struct cli_args *a, struct err *e)
{
	int rc = cli_init_db(a->db_path, a->actor, e);

	if (!rc)
		printf("database %s ready (schema version %d)\n", a->db_path,
		       store_schema_version());
	return rc;
}

const struct cli_command cmd_init = {
	.name = "init",
	.summary = "create the database, or migrate it to this version's schema",
	.details = "Safe to run again: an up-to-date database is left as it is. A database "
		   "written by a newer hfx is refused. The person running it becomes the admin "
		   "when the database has none.",
	.max_pos = 0,
	.run = run,
};
