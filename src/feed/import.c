/*
 * Feed import; see import.h. This file routes a path to the right parser
 * and writes what it yields through the store; the parsers themselves
 * (osv.c, kev.c, epss.c) know nothing of files, archives or SQL.
 */
#include "feed/import.h"


#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "core/ecosystem.h"
#include "core/match.h"
#include "feed/epss.h"
#include "feed/kev.h"
#include "feed/osv.h"
#include "store/advisory_store.h"
#include "store/assess_store.h"

#define DIR_DEPTH_MAX 8
#define SNIFF_LEN 4096

static const char *const format_names[] = { "auto", "osv", "osv-zip", "kev", "epss" };

bool feed_format_parse(const char *name, enum feed_format *ret)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i]))
			return *ret = (enum feed_format)i, true;
	return false;
}

const char *feed_format_name(enum feed_format f)
{
	return format_names[f];
}

static void count(struct import_counts *c, enum advisory_change ch)
{
	switch (ch) {
	case ADVISORY_NEW: c->new_++; break;
	case ADVISORY_UPDATED: c->updated++; break;
	case ADVISORY_WITHDRAWN: c->withdrawn++; break;
	case ADVISORY_UNCHANGED: c->unchanged++; break;
	case ADVISORY_OLDER: c->older++; break;
	}
}

/* Comparing a record's new revision with the one it replaced. */
struct reissue_walk {
	struct advisory_writer *w;
	const struct advisory *a; /* the new revision */
	sqlite3_int64 id;
	const char *ecosystem, *package; /* of the entries being compared */
	bool *known;                      /* by new entry: the old revision had it */
	long raised;
};

static int put_raised(const char *old_fixed, const char *new_fixed, void *ctx, struct err *e)
{
	struct reissue_walk *rw = ctx;

	rw->raised++;
	return advisory_writer_reissue(rw->w, rw->id, rw->ecosystem, rw->package, old_fixed,
				       new_fixed, e);
}

/* One entry of the old revision against the new revision's entries for
 * the same ecosystem and package. */
static int compare_entry(const struct affected_row *row, void *ctx, struct err *e)
{
	struct reissue_walk *rw = ctx;
	const struct ecosystem *eco = row->ecosystem ? ecosystem_find(row->ecosystem) : NULL;
	struct affected old = { 0 };
	int rc = 0;

	for (size_t i = 0; i < rw->a->naffected; i++) {
		const struct affected *af = &rw->a->affected[i];

		rw->known[i] |= af->ecosystem && af->package && row->ecosystem &&
				!strcmp(af->ecosystem, row->ecosystem) &&
				!strcmp(af->package, row->package);
	}
	if (!eco)
		return 0; /* not an ecosystem hfx compares versions of */
	rc = osv_affected_decode(row->ranges, &old, e);
	for (size_t i = 0; !rc && i < rw->a->naffected; i++) {
		const struct affected *af = &rw->a->affected[i];

		if (!af->ecosystem || !af->package || strcmp(af->ecosystem, row->ecosystem) ||
		    strcmp(af->package, row->package))
			continue;
		rw->ecosystem = row->ecosystem;
		rw->package = row->package;
		rc = affected_raised_fixes(&old, af, eco->cmp, put_raised, rw, e);
	}
	affected_release(&old);
	return rc;
}

/* One OSV record in memory: parse, encode ranges, store. where names it
 * in messages ("'dir/x.json'", "'all.zip': entry 'x.json'"). */
static int osv_put(struct advisory_writer *w, const char *data, size_t len, const char *where,
		   const char *label, struct import_result *res, struct err *e)
{
	struct advisory a = { 0 };
	char *canonical = NULL, **ranges = NULL;
	struct advisory_put put;
	int rc = osv_parse(data, len, &a, &canonical, e);

	if (rc)
		return err_prefix(e, rc, "%s", where);
	ranges = calloc(a.naffected + 1, sizeof(*ranges));
	if (!ranges) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < a.naffected; i++) {
		ranges[i] = osv_affected_encode(&a.affected[i]);
		if (!ranges[i]) {
			rc = err_set(e, ERR_NOMEM, "out of memory encoding ranges");
			goto out;
		}
	}
	rc = advisory_writer_put(w, &a, canonical, ranges, label, &put, e);
	if (!rc && put.change == ADVISORY_UPDATED) {
		struct reissue_walk rw = { .w = w, .a = &a, .id = put.id,
					   .known = calloc(a.naffected + 1, sizeof(bool)) };

		rc = rw.known ? advisory_affected_of_rev(w->s, put.prev_rev, compare_entry, &rw, e)
			      : err_set(e, ERR_NOMEM, "out of memory");
		res->counts.reissued += rw.raised;
		for (size_t i = 0; !rc && i < a.naffected; i++)
			res->counts.added_packages += a.affected[i].package && !rw.known[i];
		free(rw.known);
	}
	if (rc) {
		err_prefix(e, rc, "%s", where);
		goto out;
	}
	count(&res->counts, put.change);
	res->files++;
out:
	for (size_t i = 0; ranges && i < a.naffected; i++)
		free(ranges[i]);
	free(ranges);
	free(canonical);
	advisory_release(&a);
	return rc;
}

static bool has_json_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

static int osv_file(struct advisory_writer *w, const char *path, struct buf *b,
		    struct import_result *res, struct err *e)
{
	char where[4200];
	int rc = buf_read_file(b, path, e);

	snprintf(where, sizeof(where), "'%s'", path);
	return rc ? rc : osv_put(w, b->data, b->len, where, path, res, e);
}

static int name_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a directory's entry names, sorted, so imports are reproducible. */
static int list_dir(const char *path, char ***ret, size_t *ret_n, struct err *e)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL, **p;
	size_t n = 0;

	if (!d)
		return err_set(e, ERR_INPUT, "cannot open directory '%s': %s", path, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		p = realloc(names, (n + 1) * sizeof(*names));
		if (!p || !(p[n] = strdup(de->d_name))) {
			names = p ? p : names;
			closedir(d);
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			return err_set(e, ERR_NOMEM, "out of memory listing '%s'", path);
		}
		names = p;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_order);
	*ret = names;
	*ret_n = n;
	return 0;
}

static int osv_dir(struct advisory_writer *w, const char *path, int depth, struct buf *b,
		   struct import_result *res, struct err *e)
{
	char **names = NULL, child[4096];
	size_t n = 0;
	struct stat sb;
	int rc;

	if (depth > DIR_DEPTH_MAX)
		return err_set(e, ERR_INPUT, "'%s': directories nested too deep", path);
	rc = list_dir(path, &names, &n, e);
	for (size_t i = 0; !rc && i < n; i++) {
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, names[i]) >= sizeof(child))
			rc = err_set(e, ERR_INPUT, "'%s/%s': path too long", path, names[i]);
		else if (stat(child, &sb) != 0)
			rc = err_set(e, ERR_IO, "cannot stat '%s': %s", child, strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			rc = osv_dir(w, child, depth + 1, b, res, e);
		else if (S_ISREG(sb.st_mode) && has_json_suffix(names[i]))
			rc = osv_file(w, child, b, res, e);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int archive_fail(struct archive *a, const char *path, struct err *e)
{
	const char *msg = archive_error_string(a);

	return err_set(e, ERR_INPUT, "'%s': %s", path, msg ? msg : "unreadable archive");
}

/* Reads the current archive entry into b, refusing entries over max. */
static int read_entry(struct archive *a, const char *path, const char *entry, size_t max,
		      struct buf *b, struct err *e)
{
	char chunk[65536];
	la_ssize_t n;

	buf_reset(b);
	b->max = max;
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0)
		if (buf_append(b, chunk, (size_t)n, e))
			return err_prefix(e, ERR_INPUT, "'%s': entry '%s'", path, entry);
	if (n < 0)
		return archive_fail(a, path, e);
	return b->data ? 0 : buf_append(b, "", 0, e);
}

static int osv_zip(struct advisory_writer *w, const char *path, const char *label,
		   struct buf *b, struct import_result *res, struct err *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	char name[4096];
	int rc = 0, r;

	if (!a)
		return err_set(e, ERR_NOMEM, "out of memory");
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		rc = archive_fail(a, path, e);
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(ent);

		if (archive_entry_filetype(ent) != AE_IFREG || !en || !has_json_suffix(en))
			continue;
		rc = read_entry(a, path, en, OSV_RECORD_MAX, b, e);
		if (rc)
			goto out;
		snprintf(name, sizeof(name), "'%s': entry '%s'", path, en);
		rc = osv_put(w, b->data, b->len, name, label, res, e);
		if (rc)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		rc = archive_fail(a, path, e);
out:
	archive_read_free(a);
	return rc;
}

struct kev_ctx {
	struct upserter u;
	struct import_result *res;
};

static void count_upsert(struct import_result *res, enum upsert_result r)
{
	res->files++;
	if (r == UPSERT_NEW)
		res->counts.new_++;
	else if (r == UPSERT_CHANGED)
		res->counts.updated++;
	else
		res->counts.unchanged++;
}

static int kev_row_cb(const struct kev_entry *k, void *ctx, struct err *e)
{
	struct kev_ctx *c = ctx;
	struct kev_row row = { k->cve, k->date_added, k->due_date, k->vendor, k->product,
			       k->name, k->ransomware };
	enum upsert_result r;
	int rc = kev_upsert(&c->u, &row, &r, e);

	if (!rc)
		count_upsert(c->res, r);
	return rc;
}

static int import_kev(struct store *s, const char *path, struct buf *b,
		      struct import_result *res, struct err *e)
{
	struct kev_ctx c = { .res = res };
	char version[32] = "";
	int rc;

	b->max = KEV_INPUT_MAX;
	rc = buf_read_file(b, path, e);
	if (!rc)
		rc = kev_upserter_init(&c.u, s, e);
	if (!rc)
		rc = kev_parse(b->data, b->len, path, kev_row_cb, &c, version, e);
	upserter_release(&c.u);
	return rc;
}

struct epss_ctx {
	struct upserter u;
	struct epss_parser p;
	struct import_result *res;
};

static int epss_row_cb(const struct epss_row *row, void *ctx, struct err *e)
{
	struct epss_ctx *c = ctx;
	struct epss_score sc = { row->cve, row->epss, row->percentile, c->p.score_date };
	enum upsert_result r;
	int rc = epss_upsert(&c->u, &sc, &r, e);

	if (!rc)
		count_upsert(c->res, r);
	return rc;
}

/* EPSS scores, plain or gzip: libarchive's raw format with every filter
 * decompresses as a stream, so the 360,000 rows never sit in memory. */
static int import_epss(struct store *s, const char *path, struct import_result *res,
		       struct err *e)
{
	struct epss_ctx *c = calloc(1, sizeof(*c));
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	char chunk[65536];
	la_ssize_t n;
	int rc;

	if (!c || !a) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	c->res = res;
	epss_parser_init(&c->p, path, epss_row_cb, c);
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	rc = epss_upserter_init(&c->u, s, e);
	if (rc)
		goto out;
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK) {
		rc = archive_fail(a, path, e);
		goto out;
	}
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		rc = epss_parser_feed(&c->p, chunk, (size_t)n, e);
		if (rc)
			goto out;
	}
	rc = n < 0 ? archive_fail(a, path, e) : epss_parser_finish(&c->p, e);
out:
	if (c)
		upserter_release(&c->u);
	archive_read_free(a);
	free(c);
	return rc;
}

/* Reads the first bytes of a file to recognise its format. */
static int sniff(const char *path, char *ret, size_t len, size_t *ret_n, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return err_set(e, ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
	n = read(fd, ret, len);
	close(fd);
	if (n < 0)
		return err_set(e, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	*ret_n = (size_t)n;
	return 0;
}

static int detect(const char *path, enum feed_format *ret, struct err *e)
{
	char head[SNIFF_LEN];
	size_t n = 0, i = 0;
	int rc = sniff(path, head, sizeof(head), &n, e);

	if (rc)
		return rc;
	if (n >= 4 && !memcmp(head, "PK\x03\x04", 4))
		return *ret = FEED_OSV_ZIP, 0;
	if (n >= 2 && !memcmp(head, "\x1f\x8b", 2))
		return *ret = FEED_EPSS, 0; /* the only gzip feed */
	if (epss_looks_like(head, n))
		return *ret = FEED_EPSS, 0;
	if (kev_looks_like(head, n))
		return *ret = FEED_KEV, 0;
	while (i < n && head[i] && strchr(" \t\r\n", head[i]))
		i++;
	if (i < n && head[i] == '{')
		return *ret = FEED_OSV, 0;
	return err_set(e, ERR_INPUT, "'%s': unknown format (expected an OSV record or a "
		       "directory of them, an OSV all.zip, the CISA KEV JSON catalog or a "
		       "FIRST EPSS CSV); --format names it", path);
}

static int import_osv(struct store *s, const char *path, const char *label, bool zip,
		      bool dir, struct buf *b, struct import_result *res, struct err *e)
{
	struct advisory_writer w;
	int rc = advisory_writer_init(&w, s, e);

	if (rc)
		return rc;
	b->max = OSV_RECORD_MAX;
	if (dir)
		rc = osv_dir(&w, path, 0, b, res, e);
	else if (zip)
		rc = osv_zip(&w, path, label, b, res, e);
	else
		rc = osv_file(&w, path, b, res, e);
	advisory_writer_release(&w);
	return rc;
}

int feed_import_path(struct store *s, const char *path, const char *label,
		     enum feed_format format, struct import_result *ret, struct err *e)
{
	struct import_result res = { 0 };
	struct buf b;
	struct stat sb;
	bool dir;
	int rc;

	if (stat(path, &sb) != 0)
		return err_set(e, ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
	dir = S_ISDIR(sb.st_mode);
	if (dir && format != FEED_AUTO && format != FEED_OSV)
		return err_set(e, ERR_INPUT, "'%s' is a directory: only OSV records can be "
			       "imported from a directory", path);
	if (dir)
		format = FEED_OSV;
	else if (format == FEED_AUTO && (rc = detect(path, &format, e)))
		return rc;
	res.format = format;
	buf_init(&b, OSV_RECORD_MAX);
	if (format == FEED_KEV)
		rc = import_kev(s, path, &b, &res, e);
	else if (format == FEED_EPSS)
		rc = import_epss(s, path, &res, e);
	else
		rc = import_osv(s, path, label, format == FEED_OSV_ZIP, dir, &b, &res, e);
	buf_release(&b);
	if (!rc)
		rc = feed_import_log(s, feed_format_name(format), label, &res.counts, e);
	/* New threat data or vectors: every finding's rank must be recomputed. */
	if (!rc && (res.counts.new_ || res.counts.updated || res.counts.withdrawn))
		rc = rank_store_invalidate(s, e);
	if (!rc)
		*ret = res;
	return rc;
}

int feed_import_audit(struct store *s, const char *actor, const char *label,
		      const struct import_result *r, struct err *e)
{
	const struct import_counts *c = &r->counts;
	json_t *d = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "format",
			      feed_format_name(r->format), "new", (json_int_t)c->new_, "updated",
			      (json_int_t)c->updated, "withdrawn", (json_int_t)c->withdrawn,
			      "unchanged", (json_int_t)c->unchanged, "older", (json_int_t)c->older,
			      "reissued", (json_int_t)c->reissued, "added_packages",
			      (json_int_t)c->added_packages);
	int rc = d ? audit_append(s, actor, "feed.import", label, d, e)
		   : err_set(e, ERR_NOMEM, "out of memory");

	json_decref(d);
	return rc;
}
