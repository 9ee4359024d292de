/* hfx feed import / feed sync: thin wrappers over feed/import and feed/sync. */
#include "cli/cli.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "assess/rank.h"
#include "feed/import.h"
#include "feed/sync.h"

static void print_result(const char *what, const struct import_result *r)
{
	const struct import_counts *c = &r->counts;

	printf("%s (%s): %ld new, %ld updated, %ld withdrawn, %ld unchanged", what,
	       feed_format_name(r->format), c->new_, c->updated, c->withdrawn, c->unchanged);
	if (c->older)
		printf(", %ld older than stored (ignored)", c->older);
	if (c->reissued)
		printf("; %ld fixed version%s raised (reissued fixes: the next scan reopens "
		       "hosts that have the old fix)", c->reissued, c->reissued == 1 ? "" : "s");
	if (c->added_packages)
		printf("; %ld package%s newly named as affected", c->added_packages,
		       c->added_packages == 1 ? "" : "s");
	if (c->withdrawn)
		printf("; the next scan closes the withdrawn advisories' findings");
	printf("\n");
}

static void print_reranked(long changed)
{
	if (changed)
		printf("%ld open finding%s ranked anew\n", changed, changed == 1 ? "" : "s");
}

static const struct cli_option import_options[] = {
	{ "format", "FORMAT", "osv, osv-zip, kev or epss (default: detected from content)" },
	{ NULL, NULL, NULL },
};

static int import_run(const struct cli_args *a, struct err *e)
{
	enum feed_format format = FEED_AUTO;
	struct import_result *res = NULL;
	struct store *s = NULL;
	struct policy p;
	long changed = 0;
	int rc;

	if (a->values[0] && !feed_format_parse(a->values[0], &format))
		return err_set(e, ERR_INPUT, "--format '%s': expected osv, osv-zip, kev or epss",
			       a->values[0]);
	res = calloc((size_t)a->npos, sizeof(*res));
	if (!res)
		return err_set(e, ERR_NOMEM, "out of memory");
	rc = cli_load_policy(a, &p, NULL, 0, e);
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	for (int i = 0; !rc && i < a->npos; i++) {
		rc = feed_import_path(s, a->pos[i], a->pos[i], format, &res[i], e);
		if (!rc)
			rc = feed_import_audit(s, a->actor, a->pos[i], &res[i], e);
	}
	if (!rc)
		rc = assess_refresh(s, &p, a->actor, ASSESS_IF_STALE, &changed, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	for (int i = 0; !rc && i < a->npos; i++)
		print_result(a->pos[i], &res[i]);
	print_reranked(rc ? 0 : changed);
	store_close(s);
	free(res);
	return rc;
}

const struct cli_command cmd_feed_import = {
	.name = "feed import",
	.role = ROLE_OPERATOR,
	.args = "PATH...",
	.summary = "import OSV records, an OSV all.zip, the CISA KEV catalog or EPSS scores",
	.details = "Each PATH is an OSV record (.json), a directory of them, an OSV "
		   "per-ecosystem all.zip (read as a stream), the CISA KEV JSON catalog, or a "
		   "FIRST EPSS CSV (plain or .gz). The format is detected from the content. "
		   "All paths are imported in one transaction: a bad record anywhere changes "
		   "nothing. A record with a newer 'modified' becomes a new revision; the "
		   "history is kept. Open findings whose priority or due date the new data "
		   "changes (a CVE added to KEV, new EPSS scores) are ranked anew.",
	.min_pos = 1, .max_pos = -1,
	.options = import_options,
	.run = import_run,
};

static void sync_report(const char *url, bool not_modified, const struct import_result *r,
			void *ctx)
{
	(void)ctx;
	if (not_modified)
		printf("%s: not modified since the last sync\n", url);
	else
		print_result(url, r);
}

int cli_cache_dir(const char *db_path, char *ret, size_t len)
{
	return (size_t)snprintf(ret, len, "%s.cache", db_path) >= len ? ERR_INPUT : 0;
}

int cli_sync(struct store *s, const char *db_path, const char *actor, bool osv_only,
	     struct err *e)
{
	struct sync_opts o = { .progress = cli_is_tty(stderr), .osv_only = osv_only,
			       .actor = actor };
	const char *mirror = getenv("HFX_MIRROR");
	char cache[4096];
	int rc;

	o.mirror = mirror && *mirror ? mirror : NULL;
	o.cache_dir = cache;
	if (cli_cache_dir(db_path, cache, sizeof(cache)))
		return err_set(e, ERR_INPUT, "database path too long");
	rc = feed_sync(s, &o, sync_report, NULL, e);
	if (rc == ERR_NET && !o.mirror) {
		char cause[sizeof(e->msg)];

		memcpy(cause, e->msg, sizeof(cause));
		err_set(e, rc, "%s\nhfx: cannot download the feeds (no network?): set HFX_MIRROR "
			"to a mirror's base URL, e.g. HFX_MIRROR=file:///srv/hfx-mirror", cause);
	}
	return rc;
}

static int sync_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct policy p;
	long changed = 0;
	int rc = cli_load_policy(a, &p, NULL, 0, e);

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = cli_sync(s, a->db_path, a->actor, a->values[0] != NULL, e);
	if (!rc)
		rc = cli_refresh_ranks(s, &p, a->actor, &changed, e);
	print_reranked(rc ? 0 : changed);
	store_close(s);
	return rc;
}

static const struct cli_option sync_options[] = {
	{ "osv-only", NULL, "sync only the OSV archives, not KEV and EPSS" },
	{ NULL, NULL, NULL },
};

const struct cli_command cmd_feed_sync = {
	.name = "feed sync",
	.role = ROLE_OPERATOR,
	.summary = "download and import the feeds the known hosts need",
	.details = "Downloads the OSV archive of every ecosystem a known host runs, the CISA "
		   "KEV catalog and the FIRST EPSS scores, with conditional requests, and "
		   "imports what changed. HFX_MIRROR=<base URL> (file:// works) replaces every "
		   "location with <base>/osv/<Ecosystem>/all.zip, "
		   "<base>/kev/known_exploited_vulnerabilities.json and "
		   "<base>/epss/epss_scores-current.csv.gz. Downloads are kept in <db>.cache/.",
	.max_pos = 0,
	.options = sync_options,
	.run = sync_run,
};
