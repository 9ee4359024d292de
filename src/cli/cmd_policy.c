/*
 * The policy file for every command that ranks (cli_load_policy), and
 * `hfx policy show`: the effective policy and where it came from.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess/rank.h"
#include "base/buf.h"

#define POLICY_FILE_MAX (1u << 20)

/* --config, else $HFX_CONFIG, else hfx.conf beside the database; *ret_explicit
 * says the user named it (so it must exist). */
static void policy_path(const struct cli_args *a, char *ret, size_t len, bool *ret_explicit)
{
	const char *env = getenv("HFX_CONFIG");
	const char *slash = strrchr(a->db_path, '/');

	*ret_explicit = true;
	if (a->config_path)
		snprintf(ret, len, "%s", a->config_path);
	else if (env && *env)
		snprintf(ret, len, "%s", env);
	else if (*ret_explicit = false, slash)
		snprintf(ret, len, "%.*s/hfx.conf", (int)(slash - a->db_path), a->db_path);
	else
		snprintf(ret, len, "hfx.conf");
}

int cli_load_policy(const struct cli_args *a, struct policy *ret, char *ret_path,
		    size_t path_len, struct err *e)
{
	struct buf b;
	char path[4096];
	bool explicit;
	int rc;

	policy_path(a, path, sizeof(path), &explicit);
	if (!explicit && access(path, F_OK) != 0 && errno == ENOENT) {
		policy_defaults(ret);
		if (ret_path)
			snprintf(ret_path, path_len, "%s", "");
		return 0;
	}
	buf_init(&b, POLICY_FILE_MAX);
	rc = buf_read_file(&b, path, e);
	if (!rc)
		rc = policy_parse(b.data, b.len, path, ret, e);
	buf_release(&b);
	if (!rc && ret_path)
		snprintf(ret_path, path_len, "%s", path);
	return rc;
}

int cli_refresh_ranks(struct store *s, const struct policy *p, const char *actor,
		      long *ret_changed, struct err *e)
{
	int rc = store_begin(s, e);

	if (!rc)
		rc = assess_refresh(s, p, actor, ASSESS_IF_STALE, ret_changed, e);
	if (!rc)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

int cli_open_ranked(const struct cli_args *a, struct policy *p, struct store **s,
		    struct err *e)
{
	int rc = cli_load_policy(a, p, NULL, 0, e);

	if (!rc)
		rc = cli_open_store(a, s, e);
	return rc ? rc : cli_refresh_ranks(*s, p, a->actor, NULL, e);
}

static int show_run(const struct cli_args *a, struct err *e)
{
	struct policy p;
	struct buf b;
	char path[4096];
	int rc = cli_load_policy(a, &p, path, sizeof(path), e);

	if (rc)
		return rc;
	buf_init(&b, 1u << 20);
	rc = policy_canonical(&p, &b, e);
	if (!rc)
		printf("# %s\n%.*s", path[0] ? path : "no policy file: the defaults",
		       (int)b.len, b.data);
	buf_release(&b);
	return rc;
}

const struct cli_command cmd_policy_show = {
	.name = "policy show",
	.summary = "print the effective policy, one key per line, and the file it came from",
	.details = "The policy is read from --config PATH, else $HFX_CONFIG, else hfx.conf in "
		   "the directory of the database; without a file the defaults apply. Every key "
		   "is described in docs/POLICY.md. A bad file is an error here and in every "
		   "command that ranks findings.",
	.max_pos = 0,
	.run = show_run,
};
