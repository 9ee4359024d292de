/* hfx role grant / revoke / list: who may do what (core/role.h). */
#include "cli/cli.h"

#include "audit/audit.h"
#include "store/people_store.h"

static int parse_args(const struct cli_args *a, enum role *ret, struct err *e)
{
	int r = role_parse(a->pos[1]);

	if (!person_name_valid(a->pos[0]))
		return err_set(e, ERR_INPUT, "'%.64s' is not a person's name (1-64 of A-Z a-z "
			       "0-9 . _ @ -)", a->pos[0]);
	if (r < 0)
		return err_set(e, ERR_INPUT, "'%.32s' is not a role (viewer, operator, approver, "
			       "admin)", a->pos[1]);
	*ret = (enum role)r;
	return 0;
}

/* Grants or revokes in one transaction with its audit record. */
static int change(const struct cli_args *a, bool grant, struct err *e)
{
	struct store *s = NULL;
	json_t *details = NULL;
	bool admin_left = true;
	enum role r = ROLE_VIEWER;
	int rc = parse_args(a, &r, e);

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = grant ? role_grant(s, a->pos[0], r, a->actor, e)
			   : role_revoke(s, a->pos[0], r, e);
	if (!rc && !grant && r == ROLE_ADMIN)
		rc = role_admin_exists(s, &admin_left, e);
	if (!rc && !admin_left)
		rc = err_set(e, ERR_INPUT, "'%s' is the last admin: grant admin to someone else "
			     "first", a->pos[0]);
	details = json_pack("{s:s}", "role", role_name(r));
	if (!rc)
		rc = audit_append(s, a->actor, grant ? "role.grant" : "role.revoke", a->pos[0],
				  details, e);
	if (!rc)
		rc = store_commit(s, e);
	if (!rc)
		printf("%s %s %s\n", a->pos[0], grant ? "now holds" : "no longer holds",
		       role_name(r));
	json_decref(details);
	store_close(s);
	return rc;
}

static int grant_run(const struct cli_args *a, struct err *e)
{
	return change(a, true, e);
}

static int revoke_run(const struct cli_args *a, struct err *e)
{
	return change(a, false, e);
}

static int print_grant(const struct role_row *r, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	printf("%-24s %-10s granted by %s on %s\n", r->person, r->role, r->granted_by,
	       r->granted_at);
	return 0;
}

static int list_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = role_list(s, print_grant, NULL, e);
	if (!rc)
		printf("(anyone else is a viewer)\n");
	store_close(s);
	return rc;
}

#define ROLES_HELP "Roles include the ones below them: viewer (reads), operator (feeds, " \
	"hosts, scans), approver (decisions), admin (roles, audit checkpoints). A person with " \
	"no grant is a viewer. Roles make changes attributable and keep people in their lane; " \
	"they do not protect the database file from someone who can write it."

const struct cli_command cmd_role_grant = {
	.name = "role grant",
	.role = ROLE_ADMIN,
	.args = "NAME ROLE",
	.summary = "grant a person a role: viewer, operator, approver or admin",
	.details = ROLES_HELP,
	.min_pos = 2, .max_pos = 2,
	.run = grant_run,
};

const struct cli_command cmd_role_revoke = {
	.name = "role revoke",
	.role = ROLE_ADMIN,
	.args = "NAME ROLE",
	.summary = "take a role back (the last admin cannot be revoked)",
	.min_pos = 2, .max_pos = 2,
	.run = revoke_run,
};

const struct cli_command cmd_role_list = {
	.name = "role list",
	.summary = "list who holds which role",
	.details = ROLES_HELP,
	.max_pos = 0,
	.run = list_run,
};
