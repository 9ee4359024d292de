/* hfx init: create the database or migrate it to the current schema. */
#include "cli/cli.h"

int cli_init_db(const char *path, struct err *e)
{
	struct store *s = NULL;
	int rc = store_open(path, true, &s, e);

	store_close(s);
	return rc;
}

static int run(const struct cli_args *a, struct err *e)
{
	int rc = cli_init_db(a->db_path, e);

	if (!rc)
		printf("database %s ready (schema version %d)\n", a->db_path,
		       store_schema_version());
	return rc;
}

const struct cli_command cmd_init = {
	.name = "init",
	.summary = "create the database, or migrate it to this version's schema",
	.details = "Safe to run again: an up-to-date database is left as it is. A database "
		   "written by a newer hfx is refused.",
	.max_pos = 0,
	.run = run,
};
