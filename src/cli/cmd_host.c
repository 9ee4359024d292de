/* hfx host import / collect / list / show / remove. */
#include "cli/cli.h"

#include <string.h>

#include "assess/rank.h"
#include "audit/audit.h"
#include "base/buf.h"
#include "base/tz.h"
#include "inventory/host_inventory.h"
#include "inventory/hosts_csv.h"
#include "store/host_store.h"

/* The audit record of an inventory stored for h. */
static int audit_inventory(struct store *s, const char *actor, const char *action,
			   const struct host *h, struct err *e)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:I}", "os", h->os_id, "version",
			      h->os_version, "ecosystem", h->ecosystem, "source", h->source,
			      "packages", (json_int_t)h->packages);
	int rc = d ? audit_append(s, actor, action, h->name, d, e)
		   : err_set(e, ERR_NOMEM, "out of memory");

	json_decref(d);
	return rc;
}

/* Ends the command's transaction: commit on success, else roll back. */
static int finish(struct store *s, int rc, struct err *e)
{
	if (!rc)
		return store_commit(s, e);
	if (s)
		store_rollback(s);
	return rc;
}

static void print_host_line(const struct host *h)
{
	printf("%s: %s %s (%s), %ld packages", h->name, h->os_id, h->os_version,
	       h->ecosystem[0] ? h->ecosystem : "no advisory feed", h->packages);
	if (h->kbs)
		printf(", %ld updates", h->kbs);
	printf(", arch %s\n", h->arch[0] ? h->arch : "unknown");
	if (!h->ecosystem[0])
		fprintf(stderr, "hfx: warning: hfx has no advisory feed for %s %s: the host is "
			"stored, but scans skip it\n", h->os_id, h->os_version);
}

static const struct cli_option import_options[] = {
	{ "name", "NAME", "the host's name (required)" },
	{ "os", "ID:VERSION", "its OS, e.g. debian:12 (default: what FILE says, else the "
	  "os-release beside FILE)" },
	{ "format", "FORMAT", "the inventory format (default: detected from content; see "
	  "docs/INVENTORIES.md)" },
	{ NULL, NULL, NULL },
};

static int import_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct host h;
	int rc;

	if (!a->values[0])
		return err_set(e, ERR_INPUT, "host import: --name NAME is required");
	rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = inventory_import(s, a->pos[0], a->values[0], a->values[1], a->values[2], &h, e);
	if (!rc)
		rc = audit_inventory(s, a->actor, "host.import", &h, e);
	rc = finish(s, rc, e);
	if (!rc) {
		printf("imported ");
		print_host_line(&h);
	}
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_import = {
	.name = "host import",
	.role = ROLE_OPERATOR,
	.args = "FILE",
	.summary = "import a host's inventory (dpkg status, apk database, rpm listing, ...)",
	.details = "Every installed package is recorded with its version, architecture, and "
		   "source package and source version. The formats, and the exact command that "
		   "produces an rpm listing, are in docs/INVENTORIES.md. Importing a host again "
		   "replaces its package list; a bad file changes nothing.",
	.min_pos = 1, .max_pos = 1,
	.options = import_options,
	.run = import_run,
};

static const struct cli_option collect_options[] = {
	{ "name", "NAME", "the host's name (default: this machine's host name)" },
	{ "root", "DIR", "inventory the system mounted at DIR instead of this one" },
	{ "ssh", "[USER@]HOST[:PORT]", "inventory a remote host over SSH" },
	{ "identity", "FILE", "with --ssh: the private key to log in with" },
	{ "known-hosts", "FILE", "with --ssh: the known_hosts file holding the host's key" },
	{ NULL, NULL, NULL },
};

static int collect_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct host h;
	int rc;

	if (a->values[1] && a->values[2])
		return err_set(e, ERR_INPUT, "host collect: --root and --ssh exclude each other");
	rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc && a->values[2])
		rc = inventory_collect_ssh(s, a->values[2], a->values[3], a->values[4], a->values[0],
					   &h, e);
	else if (!rc)
		rc = inventory_collect(s, a->values[1] ? a->values[1] : "/", a->values[0], &h, e);
	if (!rc)
		rc = audit_inventory(s, a->actor, "host.collect", &h, e);
	rc = finish(s, rc, e);
	if (!rc) {
		printf("collected ");
		print_host_line(&h);
	}
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_collect = {
	.name = "host collect",
	.role = ROLE_OPERATOR,
	.summary = "inventory this machine, a mounted root, or a host over SSH",
	.details = "Reads the os-release, the package database (dpkg, apk, or rpm over SSH), "
		   "the architecture and the running kernel. Nothing is installed or changed on "
		   "the host. --ssh runs the system's ssh client in batch mode with strict host "
		   "key checking: the host's key must already be known.",
	.max_pos = 0,
	.options = collect_options,
	.run = collect_run,
};

static int list_one(const struct host *h, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	printf("%-24s %-16s %6ld  %-20s %s\n", h->name, h->ecosystem[0] ? h->ecosystem : "-",
	       h->packages,
	       h->scanned_at[0] ? h->scanned_at : "never", h->updated_at);
	return 0;
}

static int list_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	if (!rc) {
		printf("%-24s %-16s %6s  %-20s %s\n", "HOST", "ECOSYSTEM", "PKGS", "SCANNED",
		       "INVENTORY");
		rc = host_list(s, list_one, NULL, e);
	}
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_list = {
	.name = "host list",
	.summary = "list the known hosts",
	.max_pos = 0,
	.run = list_run,
};

static int print_kb(const char *kb, void *ctx, struct err *e)
{
	(void)e;
	printf("%s%s", *(bool *)ctx ? " " : "updates:    ", kb);
	*(bool *)ctx = true;
	return 0;
}

static int show_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	bool any = false;
	struct host h;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = host_get(s, a->pos[0], &h, e);
	if (!rc)
		printf("name:       %s\nos:         %s %s\necosystem:  %s\narch:       %s\n"
		       "kernel:     %s\npackages:   %ld\ninventory:  %s (%s)\nscanned:    %s\n",
		       h.name, h.os_id, h.os_version,
		       h.ecosystem[0] ? h.ecosystem : "none (no advisory feed)",
		       h.arch[0] ? h.arch : "unknown", h.kernel[0] ? h.kernel : "unknown",
		       h.packages, h.source, h.updated_at, h.scanned_at[0] ? h.scanned_at : "never");
	for (int i = 0; !rc && i < HOST_ATTR_N; i++) {
		char label[24];

		snprintf(label, sizeof(label), "%s:", host_attr_info((enum host_attr)i)->name);
		printf("%-12s%s\n", label, h.attr[i][0] ? h.attr[i] : "-");
	}
	if (!rc)
		rc = host_kb_list(s, h.id, print_kb, &any, e);
	if (!rc && any)
		printf("\n");
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_show = {
	.name = "host show",
	.args = "NAME",
	.summary = "show one host",
	.min_pos = 1, .max_pos = 1,
	.run = show_run,
};

static int remove_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	int rc = cli_open_store(a, &s, e);

	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = host_remove(s, a->pos[0], e);
	if (!rc)
		rc = audit_append(s, a->actor, "host.remove", a->pos[0], NULL, e);
	rc = finish(s, rc, e);
	if (!rc)
		printf("removed host %s and its findings\n", a->pos[0]);
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_remove = {
	.name = "host remove",
	.role = ROLE_OPERATOR,
	.args = "NAME",
	.summary = "forget a host, its packages and its findings",
	.min_pos = 1, .max_pos = 1,
	.run = remove_run,
};

/* Sets h's attributes with the audit record saying which. */
static int set_audited(struct store *s, const char *actor, const char *name,
		       const struct host_attrs *attrs, sqlite3_int64 *ret_id, struct err *e)
{
	json_t *d = json_object();
	struct host h;
	int rc = d ? host_get(s, name, &h, e) : err_set(e, ERR_NOMEM, "out of memory");

	if (!rc && attrs->set[HOST_ATTR_TZ] && attrs->value[HOST_ATTR_TZ][0]) {
		struct tz *z = NULL;

		rc = tz_load(attrs->value[HOST_ATTR_TZ], &z, e);
		tz_free(z);
	}
	for (int i = 0; !rc && i < HOST_ATTR_N; i++)
		if (attrs->set[i])
			json_object_set_new(d, host_attr_info((enum host_attr)i)->name,
					    json_string(attrs->value[i]));
	if (!rc)
		rc = host_set_attrs(s, h.id, attrs, e);
	if (!rc)
		rc = audit_append(s, actor, "host.set", name, d, e);
	if (!rc && ret_id)
		*ret_id = h.id;
	json_decref(d);
	return rc;
}

/* Rows of a hosts.csv: each host must exist; all rows or none are stored. */
struct set_file {
	struct store *s;
	const char *path, *actor;
	long hosts;
};

static int set_row(const char *name, const struct host_attrs *attrs, long line, void *ctx,
		   struct err *e)
{
	struct set_file *f = ctx;
	int rc = set_audited(f->s, f->actor, name, attrs, NULL, e);

	if (rc)
		return err_prefix(e, rc, "%s:%ld", f->path, line);
	f->hosts++;
	return 0;
}

static int set_from_file(struct store *s, const char *path, const char *actor, long *ret_hosts,
			 struct err *e)
{
	struct set_file f = { s, path, actor, 0 };
	struct buf b;
	int rc;

	buf_init(&b, HOSTS_CSV_MAX);
	rc = buf_read_file(&b, path, e);
	if (!rc) {
		rc = hosts_csv_parse(b.data, b.len, set_row, &f, e);
		if (rc && strncmp(e->msg, path, strlen(path)))
			err_prefix(e, rc, "%s", path);
	}
	buf_release(&b);
	*ret_hosts = f.hosts;
	return rc;
}

static int set_attrs_args(struct store *s, const struct cli_args *a, const struct policy *p,
			  long *ret_changed, struct err *e)
{
	struct host_attrs attrs = { 0 };
	sqlite3_int64 id = 0;
	int rc = 0;

	if (a->npos < 2)
		return err_set(e, ERR_INPUT, "host set: give NAME and KEY=VALUE..., or --file");
	for (int i = 1; i < a->npos && !rc; i++)
		rc = host_attr_parse(&attrs, a->pos[i], strlen(a->pos[i]), e);
	if (!rc)
		rc = set_audited(s, a->actor, a->pos[0], &attrs, &id, e);
	if (!rc)
		rc = assess_refresh_host(s, p, a->actor, id, ret_changed, e);
	return rc;
}

static const struct cli_option set_options[] = {
	{ "file", "CSV", "set many hosts from a CSV file: a header 'name,<key>,...', one row "
	  "per host" },
	{ NULL, NULL, NULL },
};

static int set_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct policy p;
	long hosts = 1, changed = 0;
	int rc;

	if (a->values[0] && a->npos)
		return err_set(e, ERR_INPUT, "host set: --file excludes NAME KEY=VALUE...");
	rc = cli_load_policy(a, &p, NULL, 0, e);
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc && a->values[0]) {
		rc = set_from_file(s, a->values[0], a->actor, &hosts, e);
		if (!rc)
			rc = assess_refresh(s, &p, a->actor, ASSESS_ALL, &changed, e);
	} else if (!rc) {
		rc = set_attrs_args(s, a, &p, &changed, e);
	}
	if (!rc)
		rc = store_commit(s, e);
	if (!rc)
		printf("set %ld host%s; %ld finding%s ranked anew\n", hosts, hosts == 1 ? "" : "s",
		       changed, changed == 1 ? "" : "s");
	store_close(s);
	return rc;
}

const struct cli_command cmd_host_set = {
	.name = "host set",
	.role = ROLE_OPERATOR,
	.args = "[NAME KEY=VALUE...]",
	.summary = "set hosts' context: exposure, criticality, group, ring, tags",
	.details = "Keys: exposure (internet, dmz, internal, isolated; unset counts as "
		   "internet), criticality (low, medium, high, critical; unset counts as "
		   "medium), group and ring (names), tags (KEY or KEY=VALUE, comma-separated), "
		   "window (weekly maintenance windows, e.g. 'sat 02:00-06:00, wed 22:00-01:00'; "
		   "docs/WINDOWS.md), tz (their IANA time zone, default UTC), transport (how "
		   "deploy reaches the host: local, chroot:DIR or ssh:[USER@]HOST[:PORT]; "
		   "default ssh:NAME). An empty value clears a key. With --file, each row of "
		   "the CSV sets its host's columns (an empty cell clears one); every host must "
		   "exist, and a bad row changes nothing. The hosts' findings are ranked again "
		   "at once.",
	.max_pos = -1,
	.options = set_options,
	.run = set_run,
};
