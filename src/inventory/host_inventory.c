/* Host inventories into the store; see host_inventory.h. */
#include "inventory/host_inventory.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/buf.h"
#include "core/ecosystem.h"
#include "inventory/dpkg_status.h"
#include "inventory/os_release.h"

struct pkg_sink {
	struct host_writer w;
	char arch[64]; /* dpkg's own architecture: the host's native one */
};

static int put_pkg(const struct dpkg_pkg *p, void *ctx, struct err *e)
{
	struct pkg_sink *k = ctx;
	struct host_pkg hp = { p->name, p->name_len, p->version, p->version_len,
			       p->arch, p->arch_len, p->source, p->source_len,
			       p->source_version, p->source_version_len };
	int rc;

	if (p->name_len == 4 && !memcmp(p->name, "dpkg", 4) && p->arch_len < sizeof(k->arch))
		snprintf(k->arch, sizeof(k->arch), "%.*s", (int)p->arch_len, p->arch);
	rc = host_writer_add(&k->w, &hp, e);
	return rc ? err_prefix(e, rc, "line %zu", p->line) : 0;
}

/* Stores h with the packages of the status data, in a transaction. */
static int store_host(struct store *s, struct host *h, const struct buf *status,
		      const char *status_path, struct err *e)
{
	struct pkg_sink k = { .w = { 0 } };
	int rc = store_begin(s, e);

	if (!rc)
		rc = host_writer_begin(&k.w, s, h, e);
	if (!rc)
		rc = dpkg_status_parse(status->data, status->len, status_path, put_pkg, &k, e);
	if (rc == ERR_INPUT && !strstr(e->msg, status_path))
		err_prefix(e, rc, "'%s'", status_path);
	host_writer_release(&k.w);
	/* The architecture dpkg itself is built for is the host's native one. */
	if (!rc && !h->arch[0] && k.arch[0])
		rc = host_set_arch(s, k.w.host_id, k.arch, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	return rc;
}

/* Sets the host's OS; a dpkg status only describes a dpkg-based one. */
static int set_os(struct host *h, const char *id, const char *version_id, struct err *e)
{
	const struct ecosystem *eco = ecosystem_for_os(id, version_id, h->ecosystem,
						       sizeof(h->ecosystem), e);

	if (!eco)
		return ERR_INPUT;
	if (strcmp(eco->packages, "deb"))
		return err_set(e, ERR_INPUT, "%s %s uses %s packages: a dpkg status file cannot "
			       "describe it", id, version_id, eco->packages);
	snprintf(h->os_id, sizeof(h->os_id), "%s", id);
	snprintf(h->os_version, sizeof(h->os_version), "%s", version_id);
	return 0;
}

static int read_os_release(const char *path, struct host *h, struct err *e)
{
	struct os_release osr;
	struct buf b;
	int rc;

	buf_init(&b, OS_RELEASE_MAX);
	rc = buf_read_file(&b, path, e);
	if (!rc)
		rc = os_release_parse(b.data, b.len, path, &osr, e);
	buf_release(&b);
	if (!rc && set_os(h, osr.id, osr.version_id, e))
		return err_prefix(e, ERR_INPUT, "'%s'", path);
	return rc; /* the reader and parser name the file themselves */
}

/* "debian:12" → ID and VERSION_ID. */
static int parse_os_spec(const char *os, struct host *h, struct err *e)
{
	const char *colon = strchr(os, ':');
	char id[64];

	if (!colon || colon == os || !colon[1] || (size_t)(colon - os) >= sizeof(id))
		return err_set(e, ERR_INPUT, "--os '%s': expected ID:VERSION such as debian:12", os);
	snprintf(id, sizeof(id), "%.*s", (int)(colon - os), os);
	return set_os(h, id, colon + 1, e);
}

static int set_name(struct host *h, const char *name, struct err *e)
{
	if (!host_name_valid(name))
		return err_set(e, ERR_INPUT, "host name '%s' is not valid (1-253 characters of "
			       "letters, digits, '.', '_' and '-')", name);
	snprintf(h->name, sizeof(h->name), "%s", name);
	return 0;
}

int inventory_import_dpkg(struct store *s, const char *path, const char *name,
			  const char *os, struct host *ret, struct err *e)
{
	struct host h = { 0 };
	char dir[4096], osr[4200];
	struct buf status;
	int rc;

	rc = set_name(&h, name, e);
	if (rc)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(osr, sizeof(osr), "%s/os-release", dirname(dir));
	if (os)
		rc = parse_os_spec(os, &h, e);
	else if (access(osr, R_OK) == 0)
		rc = read_os_release(osr, &h, e);
	else
		rc = err_set(e, ERR_INPUT, "cannot tell the operating system of '%s': no "
			     "os-release beside it; pass --os ID:VERSION (e.g. debian:12)", path);
	if (rc)
		return rc;
	snprintf(h.source, sizeof(h.source), "dpkg status %s", path);
	buf_init(&status, DPKG_STATUS_MAX);
	rc = buf_read_file(&status, path, e);
	if (!rc)
		rc = store_host(s, &h, &status, path, e);
	buf_release(&status);
	if (!rc)
		rc = host_get(s, h.name, ret, e);
	return rc;
}

static int root_path(char *ret, size_t len, const char *root, const char *rel)
{
	bool slash = root[strlen(root) - 1] == '/';

	return (size_t)snprintf(ret, len, "%s%s%s", root, slash ? "" : "/", rel) >= len;
}

static int collect_identity(struct host *h, const char *root, bool live, const char *name,
			    struct err *e)
{
	char hostname[256] = "", rootcopy[4096];
	struct utsname u;

	if (!name && live) {
		if (gethostname(hostname, sizeof(hostname) - 1) != 0)
			return err_set(e, ERR_IO, "cannot read the host name: %s", strerror(errno));
		name = hostname;
	} else if (!name) {
		snprintf(rootcopy, sizeof(rootcopy), "%s", root);
		name = basename(rootcopy);
	}
	if (set_name(h, name, e))
		return ERR_INPUT;
	if (live && uname(&u) == 0)
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
	return 0;
}

int inventory_collect(struct store *s, const char *root, const char *name,
		      struct host *ret, struct err *e)
{
	char osr[4096], status_path[4096];
	struct host h = { 0 };
	struct buf status;
	struct stat sb;
	bool live;
	int rc;

	if (!*root || stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, ERR_INPUT, "--root '%s' is not a directory", root);
	live = !strcmp(root, "/");
	if (root_path(osr, sizeof(osr), root, "etc/os-release") ||
	    root_path(status_path, sizeof(status_path), root, "var/lib/dpkg/status"))
		return err_set(e, ERR_INPUT, "--root '%s': path too long", root);
	if (access(osr, R_OK) != 0)
		root_path(osr, sizeof(osr), root, "usr/lib/os-release");
	rc = collect_identity(&h, root, live, name, e);
	if (!rc)
		rc = read_os_release(osr, &h, e);
	if (rc)
		return rc;
	snprintf(h.source, sizeof(h.source), "collected from %s", root);
	buf_init(&status, DPKG_STATUS_MAX);
	rc = buf_read_file(&status, status_path, e);
	if (!rc)
		rc = store_host(s, &h, &status, status_path, e);
	buf_release(&status);
	if (!rc)
		rc = host_get(s, h.name, ret, e);
	return rc;
}
