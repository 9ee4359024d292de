/* Feed download and import; see sync.h. */
#include "feed/sync.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ecosystem.h"
#include "feed/fetch.h"
#include "store/feed_store.h"
#include "store/host_store.h"

struct feed {
	char url[2048];
	char file[256];
	enum feed_format format;
};

struct feed_list {
	struct feed items[32];
	size_t n;
	const struct sync_opts *o;
};

static int add_feed(struct feed_list *l, const char *url, const char *file,
		    enum feed_format format, struct err *e)
{
	struct feed *f;

	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].url, url))
			return 0;
	if (l->n == sizeof(l->items) / sizeof(l->items[0]))
		return err_set(e, ERR_INPUT, "too many feeds");
	f = &l->items[l->n++];
	snprintf(f->url, sizeof(f->url), "%s", url);
	snprintf(f->file, sizeof(f->file), "%s", file);
	f->format = format;
	return 0;
}

/* The OSV archive for each host ecosystem ("Debian:12" → Debian/all.zip). */
static int add_osv(const char *ecosystem, void *ctx, struct err *e)
{
	struct feed_list *l = ctx;
	const struct ecosystem *eco = ecosystem_find(ecosystem);
	char url[2048], file[256], folder[128] = "";
	size_t n = 0;

	if (!eco)
		return 0;
	/* "Rocky Linux" is a folder name with a space: %20 in the URL, '_' in
	 * the cached file's name. */
	for (const char *c = eco->feed; *c && n + 4 < sizeof(folder); c++)
		n += (size_t)snprintf(folder + n, sizeof(folder) - n, *c == ' ' ? "%%20" : "%c", *c);
	if (l->o->mirror)
		snprintf(url, sizeof(url), "%s/osv/%s/all.zip", l->o->mirror, folder);
	else
		snprintf(url, sizeof(url), "%s/%s/all.zip", SYNC_OSV_BASE, folder);
	snprintf(file, sizeof(file), "osv-%s-all.zip", eco->feed);
	for (char *c = file; *c; c++)
		if (*c == ' ')
			*c = '_';
	return add_feed(l, url, file, FEED_OSV_ZIP, e);
}

static int feed_list_build(struct store *s, struct feed_list *l, struct err *e)
{
	char url[2048];
	int rc = host_ecosystems(s, add_osv, l, e);

	if (rc || l->o->osv_only)
		return rc;
	if (l->o->mirror)
		snprintf(url, sizeof(url), "%s/kev/known_exploited_vulnerabilities.json", l->o->mirror);
	rc = add_feed(l, l->o->mirror ? url : SYNC_KEV_URL, "kev.json", FEED_KEV, e);
	if (rc)
		return rc;
	if (l->o->mirror)
		snprintf(url, sizeof(url), "%s/epss/epss_scores-current.csv.gz", l->o->mirror);
	return add_feed(l, l->o->mirror ? url : SYNC_EPSS_URL, "epss.csv.gz", FEED_EPSS, e);
}

static int sync_one(struct store *s, const struct sync_opts *o, const struct feed *f,
		    sync_cb cb, void *ctx, struct err *e)
{
	struct fetch_opts fo = { .progress = o->progress, .label = f->file };
	struct fetch_result fr;
	struct import_result ir;
	char etag[256], lm[64], path[4096];
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", o->cache_dir, f->file) >= sizeof(path))
		return err_set(e, ERR_INPUT, "cache directory path too long");
	rc = feed_state_get(s, f->url, etag, sizeof(etag), lm, sizeof(lm), e);
	if (rc)
		return rc;
	/* Validators are only worth sending while the cached copy exists. */
	if (access(path, R_OK) == 0) {
		fo.etag = etag;
		fo.last_modified = lm;
	}
	rc = fetch_to_file(f->url, path, &fo, &fr, e);
	if (rc)
		return rc;
	if (fr.not_modified) {
		if (cb)
			cb(f->url, true, NULL, ctx);
		return 0;
	}
	rc = store_begin(s, e);
	if (!rc)
		rc = feed_import_path(s, path, f->url, f->format, &ir, e);
	if (!rc)
		rc = feed_import_audit(s, o->actor, f->url, &ir, e);
	if (!rc)
		rc = feed_state_set(s, f->url, fr.etag, fr.last_modified, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc) {
		store_rollback(s);
		return err_prefix(e, rc, "%s", f->url);
	}
	if (cb)
		cb(f->url, false, &ir, ctx);
	return 0;
}

int feed_sync(struct store *s, const struct sync_opts *o, sync_cb cb, void *ctx,
	      struct err *e)
{
	struct feed_list l = { .o = o };
	int rc;

	if (mkdir(o->cache_dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "cannot create '%s': %s", o->cache_dir, strerror(errno));
	rc = fetch_global_init(e);
	if (!rc)
		rc = feed_list_build(s, &l, e);
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = sync_one(s, o, &l.items[i], cb, ctx, e);
	return rc;
}
