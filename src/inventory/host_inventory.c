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
#include "base/proc.h"
#include "core/ecosystem.h"
#include "inventory/formats.h"
#include "inventory/os_release.h"
#include "transport/ssh.h"

/* What the first pass over an inventory learns: its OS and that it parses. */
struct probe {
	struct inv_os os;
	bool has_os;
	long packages;
};

static int probe_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct probe *p = ctx;

	(void)e;
	p->os = *os;
	p->has_os = os->id[0] != '\0';
	return 0;
}

static int probe_pkg(const struct inv_pkg *pkg, void *ctx, struct err *e)
{
	(void)pkg, (void)e;
	((struct probe *)ctx)->packages++;
	return 0;
}

static int probe_kb(const char *kb, size_t len, void *ctx, struct err *e)
{
	(void)kb, (void)len, (void)ctx, (void)e;
	return 0;
}

struct pkg_sink {
	struct host_writer w;
	char arch[64]; /* the first real architecture seen, when none is known */
};

static int put_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct pkg_sink *k = ctx;
	struct host_pkg hp = { p->name, p->name_len, p->version, p->version_len,
			       p->arch, p->arch_len, p->source, p->source_len,
			       p->source_version, p->source_version_len };
	int rc;

	if (!k->arch[0] && p->arch_len && p->arch_len < sizeof(k->arch) &&
	    !(p->arch_len == 3 && !memcmp(p->arch, "all", 3)) &&
	    !(p->arch_len == 6 && !memcmp(p->arch, "noarch", 6)))
		snprintf(k->arch, sizeof(k->arch), "%.*s", (int)p->arch_len, p->arch);
	rc = host_writer_add(&k->w, &hp, e);
	return rc && p->line ? err_prefix(e, rc, "line %zu", p->line) : rc;
}

static int put_kb(const char *kb, size_t len, void *ctx, struct err *e)
{
	struct pkg_sink *k = ctx;

	return host_writer_add_kb(&k->w, kb, len, e);
}

/* Stores h with the inventory's packages, in one transaction. */
static int store_host(struct store *s, struct host *h, const struct inv_format *f,
		      const struct buf *data, const char *path, struct err *e)
{
	struct pkg_sink k = { .w = { 0 } };
	struct inv_sink sink = { NULL, put_pkg, put_kb, &k };
	int rc = store_begin(s, e);

	if (!rc)
		rc = host_writer_begin(&k.w, s, h, e);
	if (!rc)
		rc = f->parse(data->data, data->len, path, &sink, e);
	if (rc == ERR_INPUT && !strstr(e->msg, path))
		err_prefix(e, rc, "'%s'", path);
	host_writer_release(&k.w);
	if (!rc && !h->arch[0] && k.arch[0])
		rc = host_set_arch(s, k.w.host_id, k.arch, e);
	if (!rc)
		rc = store_commit(s, e);
	if (rc)
		store_rollback(s);
	return rc;
}

/*
 * Sets the host's OS and ecosystem. An OS hfx has no advisory feed for is
 * stored with an empty ecosystem (scans skip it): a fleet's inventory is
 * still worth keeping whole. An inventory in another package format than
 * a known OS uses (a dpkg status for AlmaLinux) is refused.
 */
static int set_os(struct host *h, const char *os_id, const char *os_version,
		  const struct inv_format *f, struct err *e)
{
	char id[sizeof(h->os_id)], version_id[sizeof(h->os_version)];
	struct err ignored;
	const struct ecosystem *eco;

	/* Copies first: the arguments may be h's own fields. */
	snprintf(id, sizeof(id), "%s", os_id);
	snprintf(version_id, sizeof(version_id), "%s", os_version);
	eco = ecosystem_for_os(id, version_id, h->ecosystem, sizeof(h->ecosystem), &ignored);

	if (!id[0])
		return err_set(e, ERR_INPUT, "the operating system has no ID");
	if (!eco)
		h->ecosystem[0] = '\0';
	else if (f && f->packages && strcmp(eco->packages, f->packages))
		return err_set(e, ERR_INPUT, "%s %s uses %s packages: %s cannot describe it",
			       id, version_id, eco->packages, f->what);
	snprintf(h->os_id, sizeof(h->os_id), "%s", id);
	snprintf(h->os_version, sizeof(h->os_version), "%s", version_id);
	return 0;
}

static int read_os_release(const char *path, struct host *h, const struct inv_format *f,
			   struct err *e)
{
	struct os_release osr;
	struct buf b;
	int rc;

	buf_init(&b, OS_RELEASE_MAX);
	rc = buf_read_file(&b, path, e);
	if (!rc)
		rc = os_release_parse(b.data, b.len, path, &osr, e);
	buf_release(&b);
	if (!rc && set_os(h, osr.id, osr.version_id, f, e))
		return err_prefix(e, ERR_INPUT, "'%s'", path);
	return rc; /* the reader and parser name the file themselves */
}

/* "debian:12" → ID and VERSION_ID. */
static int parse_os_spec(const char *os, struct host *h, const struct inv_format *f,
			 struct err *e)
{
	const char *colon = strchr(os, ':');
	char id[64];

	if (!colon || colon == os || !colon[1] || (size_t)(colon - os) >= sizeof(id))
		return err_set(e, ERR_INPUT, "--os '%s': expected ID:VERSION such as debian:12", os);
	snprintf(id, sizeof(id), "%.*s", (int)(colon - os), os);
	return set_os(h, id, colon + 1, f, e);
}

static int set_name(struct host *h, const char *name, struct err *e)
{
	if (!host_name_valid(name))
		return err_set(e, ERR_INPUT, "host name '%s' is not valid (1-253 characters of "
			       "letters, digits, '.', '_' and '-')", name);
	snprintf(h->name, sizeof(h->name), "%.*s", (int)sizeof(h->name) - 1, name);
	return 0;
}

/* The OS: --os, else what the inventory says, else an os-release beside it. */
static int choose_os(struct host *h, const char *os, const struct probe *pr, const char *path,
		     const struct inv_format *f, struct err *e)
{
	char dir[4096], osr[4200];

	if (os)
		return parse_os_spec(os, h, f, e);
	if (pr->has_os) {
		snprintf(h->kernel, sizeof(h->kernel), "%s", pr->os.kernel);
		snprintf(h->arch, sizeof(h->arch), "%s", pr->os.arch);
		return set_os(h, pr->os.id, pr->os.version_id, f, e);
	}
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(osr, sizeof(osr), "%s/os-release", dirname(dir));
	if (access(osr, R_OK) == 0)
		return read_os_release(osr, h, f, e);
	return err_set(e, ERR_INPUT, "cannot tell the operating system of '%s': the file does "
		       "not say and there is no os-release beside it; pass --os ID:VERSION "
		       "(e.g. debian:12)", path);
}

/* Reads, recognises and validates an inventory (the first pass). */
static int load(const char *path, const char *format, struct buf *data,
		const struct inv_format **ret_f, struct probe *pr, struct err *e)
{
	struct inv_sink sink = { probe_os, probe_pkg, probe_kb, pr };
	const struct inv_format *f = NULL;
	int rc = buf_read_file(data, path, e);

	if (rc)
		return rc;
	if (format && !(f = inv_format_find(format)))
		return err_set(e, ERR_INPUT, "--format '%s': unknown inventory format", format);
	if (!f && !(f = inv_format_detect(data->data, data->len, path, e)))
		return ERR_INPUT;
	rc = f->parse(data->data, data->len, path, &sink, e);
	if (rc == ERR_INPUT && !strstr(e->msg, path))
		err_prefix(e, rc, "'%s'", path);
	if (!rc)
		*ret_f = f;
	return rc;
}

int inventory_import(struct store *s, const char *path, const char *name, const char *os,
		     const char *format, struct host *ret, struct err *e)
{
	const struct inv_format *f = NULL;
	struct probe pr = { .has_os = false };
	struct host h = { 0 };
	struct buf data;
	int rc = set_name(&h, name, e);

	if (rc)
		return rc;
	buf_init(&data, INVENTORY_MAX);
	rc = load(path, format, &data, &f, &pr, e);
	if (!rc)
		rc = choose_os(&h, os, &pr, path, f, e);
	if (!rc) {
		snprintf(h.source, sizeof(h.source), "%s %s", f->name, path);
		rc = store_host(s, &h, f, &data, path, e);
	}
	buf_release(&data);
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

#define RPM_QUERYFORMAT "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n"

/* Lists a mounted root's rpm database with this machine's rpm, as the
 * documented rpm -qa command would on the host itself. */
static int root_rpm(const char *root, const char *dbpath, struct buf *data, struct err *e)
{
	const char *argv[] = { "rpm", "--root", root, "--dbpath", dbpath, "-qa", "--qf",
			       RPM_QUERYFORMAT, NULL };
	char errtext[1024];
	int status = 0;
	int rc = proc_run(argv, data, errtext, sizeof(errtext), &status, e);

	if (rc)
		return err_prefix(e, rc, "'%s'", root);
	if (status) {
		errtext[strcspn(errtext, "\n")] = '\0';
		return err_set(e, ERR_IO, "'%s': rpm --root failed: %s", root, errtext);
	}
	return data->data ? 0 : buf_append(data, "", 0, e);
}

/* The package database of a mounted root, read into data: dpkg's or
 * apk's file, or the rpm database listed with rpm. */
static int root_packages(const char *root, struct buf *data, const struct inv_format **ret_f,
			 char *where, size_t where_len, struct err *e)
{
	static const struct { const char *path, *format; } dbs[] = {
		{ "var/lib/dpkg/status", "dpkg" },
		{ "lib/apk/db/installed", "apk" },
		{ "usr/lib/sysimage/rpm", "rpm" },
		{ "var/lib/rpm", "rpm" },
	};
	char dbpath[64];
	struct stat sb;

	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		if (root_path(where, where_len, root, dbs[i].path))
			return err_set(e, ERR_INPUT, "--root '%s': path too long", root);
		if (stat(where, &sb) != 0)
			continue;
		*ret_f = inv_format_find(dbs[i].format);
		if (strcmp(dbs[i].format, "rpm"))
			return buf_read_file(data, where, e);
		if (!S_ISDIR(sb.st_mode))
			continue;
		snprintf(dbpath, sizeof(dbpath), "/%s", dbs[i].path); /* inside the root */
		return root_rpm(root, dbpath, data, e);
	}
	return err_set(e, ERR_INPUT, "'%s': no package database found (dpkg, apk or rpm)", root);
}

int inventory_collect(struct store *s, const char *root, const char *name,
		      struct host *ret, struct err *e)
{
	char osr[4096], db[4096];
	const struct inv_format *f = NULL;
	struct probe pr = { .has_os = false };
	struct inv_sink sink = { probe_os, probe_pkg, probe_kb, &pr };
	struct host h = { 0 };
	struct buf data;
	struct stat sb;
	bool live;
	int rc;

	if (!*root || stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, ERR_INPUT, "--root '%s' is not a directory", root);
	live = !strcmp(root, "/");
	if (root_path(osr, sizeof(osr), root, "etc/os-release"))
		return err_set(e, ERR_INPUT, "--root '%s': path too long", root);
	if (access(osr, R_OK) != 0)
		root_path(osr, sizeof(osr), root, "usr/lib/os-release");
	buf_init(&data, INVENTORY_MAX);
	rc = collect_identity(&h, root, live, name, e);
	if (!rc)
		rc = root_packages(root, &data, &f, db, sizeof(db), e);
	if (!rc)
		rc = read_os_release(osr, &h, f, e);
	if (!rc)
		rc = f->parse(data.data, data.len, db, &sink, e);
	if (!rc) {
		snprintf(h.source, sizeof(h.source), "collected from %s", root);
		rc = store_host(s, &h, f, &data, db, e);
	}
	buf_release(&data);
	if (!rc)
		rc = host_get(s, h.name, ret, e);
	return rc;
}

/*
 * The remote commands of an SSH collection: constants, so nothing from
 * data or the command line ever reaches the remote shell. The package
 * database command says on its first line which format follows.
 */
#define REMOTE_OS_RELEASE "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release"
#define REMOTE_UNAME "uname -r; uname -m"
#define REMOTE_PACKAGES \
	"if [ -r /var/lib/dpkg/status ]; then echo dpkg; exec cat /var/lib/dpkg/status; " \
	"elif [ -r /lib/apk/db/installed ]; then echo apk; exec cat /lib/apk/db/installed; " \
	"elif command -v rpm >/dev/null 2>&1; then echo rpm; exec rpm -qa --qf " \
	"'" RPM_QUERYFORMAT "'; " \
	"else echo none; fi"

/* Kernel release and machine from "uname -r; uname -m". */
static void parse_uname(const struct buf *b, struct host *h)
{
	const char *nl = memchr(b->data, '\n', b->len);
	size_t k = nl ? (size_t)(nl - b->data) : b->len;
	const char *m = nl ? nl + 1 : "";

	snprintf(h->kernel, sizeof(h->kernel), "%.*s", (int)k, b->data);
	snprintf(h->arch, sizeof(h->arch), "%.*s", (int)strcspn(m, "\n"), m);
}

static int remote_os(struct ssh_session *ss, struct host *h, struct buf *b, struct err *e)
{
	struct os_release osr;
	int rc = ssh_run(ss, REMOTE_OS_RELEASE, b, e);

	if (!rc)
		rc = os_release_parse(b->data, b->len, "remote os-release", &osr, e);
	if (!rc)
		rc = set_os(h, osr.id, osr.version_id, NULL, e);
	if (!rc)
		rc = ssh_run(ss, REMOTE_UNAME, b, e);
	if (!rc)
		parse_uname(b, h);
	return rc;
}

/* Splits the package command's output into its format and its data. */
static int remote_packages(struct ssh_session *ss, struct buf *b, const struct inv_format **ret_f,
			   size_t *ret_skip, struct err *e)
{
	int rc = ssh_run(ss, REMOTE_PACKAGES, b, e);
	size_t first;
	char name[8];

	if (rc)
		return rc;
	first = strcspn(b->data, "\n");
	snprintf(name, sizeof(name), "%.*s", (int)(first < 7 ? first : 7), b->data);
	*ret_f = inv_format_find(name);
	if (!*ret_f)
		return err_set(e, ERR_INPUT, "ssh %s: no dpkg, apk or rpm package database found",
			       ss->host);
	*ret_skip = first < b->len ? first + 1 : b->len;
	return 0;
}

int inventory_collect_ssh(struct store *s, const char *target, const char *identity,
			  const char *known_hosts, const char *name, struct host *ret,
			  struct err *e)
{
	struct ssh_session ss = { .user = "" };
	const struct inv_format *f = NULL;
	struct probe pr = { .has_os = false };
	struct inv_sink sink = { probe_os, probe_pkg, probe_kb, &pr };
	struct host h = { 0 };
	struct buf b, data;
	size_t skip = 0;
	char where[300];
	int rc = ssh_target_parse(target, &ss, e);

	if (rc)
		return rc;
	rc = set_name(&h, name ? name : ss.host, e);
	if (rc)
		return rc;
	buf_init(&b, OS_RELEASE_MAX);
	buf_init(&data, INVENTORY_MAX);
	rc = ssh_session_open(&ss, identity, known_hosts, e);
	if (!rc)
		rc = remote_os(&ss, &h, &b, e);
	if (!rc)
		rc = remote_packages(&ss, &data, &f, &skip, e);
	ssh_session_close(&ss);
	snprintf(where, sizeof(where), "ssh %s", target);
	if (!rc && f->packages && (rc = set_os(&h, h.os_id, h.os_version, f, e)) == 0)
		rc = f->parse(data.data + skip, data.len - skip, where, &sink, e);
	if (!rc) {
		struct buf view = { data.data + skip, data.len - skip, data.cap, data.max };

		snprintf(h.source, sizeof(h.source), "collected over ssh from %s", target);
		rc = store_host(s, &h, f, &view, where, e);
	}
	buf_release(&b);
	buf_release(&data);
	if (!rc)
		rc = host_get(s, h.name, ret, e);
	return rc;
}
