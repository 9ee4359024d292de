/*
 * One host's job, step by step; see deploy.h and docs/DEPLOY.md.
 *
 * The job knows each package's planned from and to versions. Preflight
 * compares them with what the host has installed now: a package already
 * at or past `to` (a later update fixed it) is skipped and logged, one at
 * `from` is to do, anything else means the host changed and the job stops
 * before touching it. Keep stores each to-do package's installed version
 * as a file on the host (the repository's copy, else a repack of the
 * installed files) and records it; install upgrades exactly the planned
 * versions; verify reads the installed versions back. From the install
 * on, any failure rolls back: the kept files are installed again and
 * verified.
 */
#include "deploy/deploy.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/ecosystem.h"
#include "deploy/pkg.h"
#include "deploy/transport.h"
#include "store/deploy_store.h"
#include "store/host_store.h"
#include "store/plan_store.h"

#define OUT_MAX (64u << 20)
#define ROLLBACK_DIR "/var/cache/hfx/rollback"

struct up {
	char name[PKG_NAME_MAX + 1], arch[PKG_ARCH_MAX + 1];
	char from[PKG_VERSION_MAX + 1], to[PKG_VERSION_MAX + 1];
	char now[PKG_VERSION_MAX + 1];  /* installed, as last read */
	bool todo;                      /* at `from`: to be upgraded */
	char kept[PKG_PATH_MAX + 1];    /* its kept file, "" none */
};

struct job {
	struct store *s;
	const struct deploy_opts *o;
	sqlite3_int64 id;               /* deploy job; 0 in a dry run */
	const char *host;
	struct transport *t;
	const struct pkg_backend *b;
	const struct ecosystem *eco;
	struct up *ups;
	size_t n;
	const struct policy_group *group; /* its hooks; NULL: none */
	char dir[128];
	bool planned_reboot;            /* the plan predicted a reboot */
	struct buf out;
	char errtext[512], detail[1024];
};

/* ---- running commands ---- */

/* Runs argv (or, in a dry run, shows it); *ret_status its exit status. */
static int run(struct job *j, const char *step, const struct pkg_argv *a, int *ret_status,
	       struct err *e)
{
	buf_reset(&j->out);
	j->errtext[0] = '\0';
	if (j->o->dry_run) {
		if (j->o->cmd)
			j->o->cmd(j->host, step, (const char *const *)a->argv, j->o->ctx);
		*ret_status = 0;
		return 0;
	}
	return transport_run(j->t, (const char *const *)a->argv, &j->out, ret_status,
			     j->errtext, sizeof(j->errtext), e);
}

/* Runs an argv built by a backend; a non-zero status fails the step. */
static int run_ok(struct job *j, const char *step, int built, struct pkg_argv *a,
		  struct err *e)
{
	int status = 0, rc = built ? built : run(j, step, a, &status, e);

	pkg_argv_release(a);
	if (!rc && status)
		rc = err_set(e, ERR_IO, "%s: the command exited with %d%s%.300s", step, status,
			     j->errtext[0] ? ": " : "", j->errtext);
	return rc;
}

/* ---- the journal ---- */

static void progress(struct job *j, const char *step, const char *state)
{
	if (j->o->progress)
		j->o->progress(j->host, step, state, j->detail, j->o->ctx);
}

typedef int (*step_fn)(struct job *j, struct err *e);

/* Journals the step before and after it runs, each in a transaction of
 * its own, so the journal survives a kill at any point. */
static int step(struct job *j, const char *name, step_fn fn, struct err *e)
{
	sqlite3_int64 seq = 0;
	int rc = 0, rc2;

	j->detail[0] = '\0';
	progress(j, name, "started");
	if (!j->o->dry_run) {
		rc = store_begin(j->s, e);
		if (!rc)
			rc = deploy_step_begin(j->s, j->id, name, &seq, e);
		if (!rc)
			rc = deploy_job_set(j->s, j->id, "running", name, NULL, e);
		rc = rc ? rc : store_commit(j->s, e);
		if (rc)
			return rc;
	}
	rc = fn(j, e);
	if (rc && !j->detail[0])
		snprintf(j->detail, sizeof(j->detail), "%s", e->msg);
	progress(j, name, rc ? "failed" : "done");
	if (j->o->dry_run)
		return rc;
	{
		struct err e2;

		char action[48];
		json_t *d = json_pack("{s:I, s:I, s:s, s:s}", "deploy_job", (json_int_t)j->id,
				      "seq", (json_int_t)seq, "state", rc ? "failed" : "done",
				      "detail", j->detail);

		snprintf(action, sizeof(action), "deploy.step.%s", name);
		rc2 = store_begin(j->s, &e2);
		if (!rc2)
			rc2 = deploy_step_end(j->s, j->id, seq, rc ? "failed" : "done",
					      j->detail[0] ? j->detail : NULL, &e2);
		if (!rc2)
			rc2 = audit_append(j->s, j->o->actor, action, j->host, d, &e2);
		rc2 = rc2 ? (store_rollback(j->s), rc2) : store_commit(j->s, &e2);
		json_decref(d);
		if (rc2 && !rc) {
			*e = e2;
			rc = rc2;
		}
	}
	return rc;
}

/* ---- hooks ---- */

/*
 * Runs a group's hook command on the host under `timeout` (coreutils):
 * the command's words become the argv, no shell. A non-zero status, or
 * the time limit (status 124), fails.
 */
static int run_hook(struct job *j, const char *what, const char *command, struct err *e)
{
	char words[POLICY_COMMAND_MAX + 1], secs[16];
	const char *argv[POLICY_COMMAND_MAX / 2 + 8];
	size_t n = 0;
	int status = 0, rc;

	snprintf(words, sizeof(words), "%s", command);
	snprintf(secs, sizeof(secs), "%d", j->group->hook_seconds);
	argv[n++] = "timeout";
	argv[n++] = "--kill-after=10";
	argv[n++] = secs;
	/* The policy stores words separated by single spaces (core/policy.h). */
	for (char *w = words; *w; ) {
		char *sp = strchr(w, ' ');

		argv[n++] = w;
		if (!sp)
			break;
		*sp = '\0';
		w = sp + 1;
	}
	argv[n] = NULL;
	buf_reset(&j->out);
	if (j->o->dry_run) {
		if (j->o->cmd)
			j->o->cmd(j->host, what, argv, j->o->ctx);
		return 0;
	}
	rc = transport_run(j->t, argv, &j->out, &status, j->errtext, sizeof(j->errtext), e);
	if (!rc && status)
		rc = err_set(e, ERR_IO, "%s '%s' %s%s%.300s", what, command, status == 124 ?
			     "timed out" : "failed", j->errtext[0] ? ": " : "", j->errtext);
	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "%s '%s' succeeded", what, command);
	return rc;
}

static int pre_hook(struct job *j, struct err *e)
{
	return run_hook(j, "pre-hook", j->group->pre_hook, e);
}

static int health(struct job *j, struct err *e)
{
	return run_hook(j, "health check", j->group->health_check, e);
}

static int post_hook(struct job *j, struct err *e)
{
	return run_hook(j, "post-hook", j->group->post_hook, e);
}

static int revert_hook(struct job *j, struct err *e)
{
	return run_hook(j, "revert-hook", j->group->revert_hook, e);
}

static bool has(const struct job *j, size_t offset)
{
	return j->group && ((const char *)j->group)[offset];
}

#define HOOK(j, field) has(j, offsetof(struct policy_group, field))

/* ---- the installed versions ---- */

static struct up *find_up(struct job *j, const char *name, const char *arch)
{
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->ups[i].name, name) &&
		    (!strcmp(j->ups[i].arch, arch) || !strcmp(j->ups[i].arch, "all") ||
		     !strcmp(arch, "all")))
			return &j->ups[i];
	return NULL;
}

static int note_installed(const struct pkg_spec *p, void *ctx, struct err *e)
{
	struct up *u = find_up(ctx, p->name, p->arch);

	(void)e;
	if (u)
		snprintf(u->now, sizeof(u->now), "%s", p->version);
	return 0;
}

/* Reads every planned package's installed version into ups[].now. */
static int read_installed(struct job *j, struct err *e)
{
	struct pkg_argv a = { 0 };
	int status = 0, rc;

	for (size_t i = 0; i < j->n; i++)
		j->ups[i].now[0] = '\0';
	rc = pkg_argv_fixed(j->b->query_installed, &a, e);
	if (!rc)
		rc = run(j, "query", &a, &status, e);
	pkg_argv_release(&a);
	if (!rc && status)
		return err_set(e, ERR_IO, "listing the installed packages failed (exit %d): %.300s",
			       status, j->errtext);
	if (rc || j->o->dry_run)
		return rc;
	return j->b->parse_installed(j->out.data ? j->out.data : "", j->out.len, note_installed,
				     j, e);
}

static int vcmp(const struct job *j, const char *a, const char *b)
{
	return j->eco->cmp(a, strlen(a), b, strlen(b));
}

/* ---- the steps ---- */

/* Free space the install and the kept packages may need, in KiB. */
#define DISK_FREE_MIN (100 * 1024)

/* Reads `df -Pk /var` ("Filesystem 1024-blocks Used Available ..."). */
static int check_disk(struct job *j, struct err *e)
{
	const char *argv[] = { "df", "-Pk", "/var", NULL };
	long long avail = -1;
	int status = 0, rc;
	char *line;

	if (j->o->dry_run) {
		if (j->o->cmd)
			j->o->cmd(j->host, "preflight", argv, j->o->ctx);
		return 0;
	}
	buf_reset(&j->out);
	rc = transport_run(j->t, argv, &j->out, &status, j->errtext, sizeof(j->errtext), e);
	if (rc || status)
		return rc ? rc : err_set(e, ERR_IO, "df failed (exit %d)", status);
	if (buf_append(&j->out, "", 1, e))
		return ERR_NOMEM;
	line = strchr(j->out.data, '\n');
	if (!line || sscanf(line + 1, "%*s %*s %*s %lld", &avail) != 1 || avail < 0)
		return err_set(e, ERR_IO, "cannot read the free space of /var from df");
	if (avail < DISK_FREE_MIN)
		return err_set(e, ERR_STATE, "only %lld KiB free on /var, less than %d",
			       avail, DISK_FREE_MIN);
	return 0;
}

static int preflight(struct job *j, struct err *e)
{
	struct pkg_argv a = { 0 };
	size_t todo = 0, skipped = 0;
	int rc = run_ok(j, "lock check", pkg_argv_fixed(j->b->lock_check, &a, e), &a, e);

	if (rc)
		return err_prefix(e, rc, "the package manager is busy or cannot be checked");
	rc = check_disk(j, e);
	if (!rc)
		rc = read_installed(j, e);
	for (size_t i = 0; !rc && i < j->n; i++) {
		struct up *u = &j->ups[i];

		if (j->o->dry_run || !strcmp(u->now, u->from)) {
			u->todo = true;
			todo++;
		} else if (u->now[0] && vcmp(j, u->now, u->to) >= 0) {
			skipped++; /* a later update fixed it already */
		} else {
			rc = err_set(e, ERR_STATE, "the host changed: %s %s is %s, the plan expected %s",
				     u->name, u->arch, u->now[0] ? u->now : "not installed", u->from);
		}
	}
	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "%zu to upgrade, %zu already fixed by a later "
			 "update", todo, skipped);
	return rc;
}

/*
 * The file names a kept package can have, by format: Debian
 * "name_version_arch.deb" (apt-get download writes the epoch's ':' as
 * "%3a", dpkg-repack leaves the epoch out), rpm "name-version.arch.rpm"
 * (no epoch), apk "name-version.apk". Exact names: a prefix would take
 * "hfx-demo-lib_..." for "hfx-demo".
 */
static size_t kept_names(const struct job *j, const struct up *u, char names[2][PKG_PATH_MAX])
{
	const char *colon = strchr(u->from, ':');
	const char *plain = colon ? colon + 1 : u->from;

	switch (j->b->family) {
	case PKG_DEB:
		snprintf(names[0], PKG_PATH_MAX, "%s_%.*s%s%s_%s.deb", u->name,
			 colon ? (int)(colon - u->from) : 0, u->from, colon ? "%3a" : "", plain,
			 u->arch);
		snprintf(names[1], PKG_PATH_MAX, "%s_%s_%s.deb", u->name, plain, u->arch);
		return 2;
	case PKG_RPM:
		snprintf(names[0], PKG_PATH_MAX, "%s-%s.%s.rpm", u->name, plain, u->arch);
		return 1;
	case PKG_APK:
		snprintf(names[0], PKG_PATH_MAX, "%s-%s.apk", u->name, u->from);
		return 1;
	}
	return 0;
}

/* The kept file of u among the paths of the files under dir just read
 * into j->out (zypper files them in <repository>/<arch>/ below dir). */
static void find_kept(struct job *j, struct up *u)
{
	char names[2][PKG_PATH_MAX];
	size_t n = kept_names(j, u, names), dlen = strlen(j->dir);
	char *line = j->out.data, *end = line ? line + j->out.len : NULL;

	for (; line && line < end; ) {
		char *nlp = memchr(line, '\n', (size_t)(end - line));
		size_t len = nlp ? (size_t)(nlp - line) : (size_t)(end - line);
		const char *base = memrchr(line, '/', len);

		base = base ? base + 1 : line;
		for (size_t i = 0; i < n; i++)
			if (len > dlen && !memcmp(line, j->dir, dlen) && line[dlen] == '/' &&
			    strlen(names[i]) == (size_t)(line + len - base) &&
			    !memcmp(base, names[i], strlen(names[i])) && len < sizeof(u->kept))
				snprintf(u->kept, sizeof(u->kept), "%.*s", (int)len, line);
		line = nlp ? nlp + 1 : end;
	}
}

/* Every file under dir, one path a line (dir is absolute: checked by
 * pkg_path_check(), so find cannot read it as an option). */
static int list_dir(struct job *j, struct err *e)
{
	const char *argv[] = { "find", j->dir, "-type", "f", NULL };
	int status = 0;
	int rc;

	buf_reset(&j->out);
	if (j->o->dry_run) {
		if (j->o->cmd)
			j->o->cmd(j->host, "keep", argv, j->o->ctx);
		return 0;
	}
	rc = transport_run(j->t, argv, &j->out, &status, j->errtext, sizeof(j->errtext), e);
	return rc ? rc : status ? err_set(e, ERR_IO, "cannot list %s", j->dir) : 0;
}

static int keep_one(struct job *j, struct up *u, struct err *e)
{
	struct pkg_spec sp = { u->name, u->arch, u->from };
	struct pkg_argv a = { 0 };
	int status = 1, rc = j->b->keep_current(&sp, j->dir, &a, e);

	if (!rc)
		rc = run(j, "keep", &a, &status, e);
	pkg_argv_release(&a);
	if (!rc && status && j->b->keep_repack) {
		rc = j->b->keep_repack(&sp, j->dir, &a, e);
		if (!rc)
			rc = run(j, "keep", &a, &status, e);
		pkg_argv_release(&a);
	}
	if (!rc && !status)
		rc = list_dir(j, e);
	if (!rc && !j->o->dry_run)
		find_kept(j, u);
	if (!rc && !u->kept[0] && !j->o->dry_run && !j->o->accept_no_rollback)
		rc = err_set(e, ERR_STATE, "no way back for %s %s: the repository no longer has it "
			     "and it cannot be repacked (--accept-no-rollback to go on)", u->name,
			     u->from);
	if (!rc && !j->o->dry_run)
		rc = deploy_keep(j->s, j->id, u->name, u->arch, u->from, u->kept[0] ? u->kept : NULL,
				 e);
	return rc;
}

static int keep(struct job *j, struct err *e)
{
	const char *argv[] = { "mkdir", "-p", "--", j->dir, NULL };
	int status = 0, rc;
	size_t kept = 0;

	if (j->o->dry_run && j->o->cmd)
		j->o->cmd(j->host, "keep", argv, j->o->ctx);
	rc = j->o->dry_run ? 0 : transport_run(j->t, argv, &j->out, &status, j->errtext,
					       sizeof(j->errtext), e);
	if (!rc && status)
		rc = err_set(e, ERR_IO, "cannot create %s: %.300s", j->dir, j->errtext);
	if (!rc && !j->o->dry_run && (rc = store_begin(j->s, e)))
		return rc;
	for (size_t i = 0; !rc && i < j->n; i++) {
		if (!j->ups[i].todo)
			continue;
		rc = keep_one(j, &j->ups[i], e);
		kept += j->ups[i].kept[0] != '\0';
	}
	if (!j->o->dry_run)
		rc = rc ? (store_rollback(j->s), rc) : store_commit(j->s, e);
	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "%zu version%s kept in %s", kept,
			 kept == 1 ? "" : "s", j->dir);
	return rc;
}

/* The to-do packages as specs at their `to` (upgrade) or `from` versions. */
static size_t specs(const struct job *j, bool to, struct pkg_spec *ret)
{
	size_t n = 0;

	for (size_t i = 0; i < j->n; i++)
		if (j->ups[i].todo)
			ret[n++] = (struct pkg_spec){ j->ups[i].name, j->ups[i].arch,
						      to ? j->ups[i].to : j->ups[i].from };
	return n;
}

static int install(struct job *j, struct err *e)
{
	struct pkg_spec *sp = calloc(j->n ? j->n : 1, sizeof(*sp));
	struct pkg_argv a = { 0 };
	size_t n;
	int rc;

	if (!sp)
		return err_set(e, ERR_NOMEM, "out of memory");
	n = specs(j, true, sp);
	rc = n ? run_ok(j, "install", j->b->install(sp, n, &a, e), &a, e) : 0;
	free(sp);
	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "%zu package%s upgraded", n,
			 n == 1 ? "" : "s");
	return rc;
}

/* Every to-do package at `to` (after install) or `from` (after rollback). */
static int check_versions(struct job *j, bool to, struct err *e)
{
	int rc = read_installed(j, e);

	for (size_t i = 0; !rc && !j->o->dry_run && i < j->n; i++) {
		const struct up *u = &j->ups[i];
		const char *want = to ? u->to : u->from;

		if (u->todo && strcmp(u->now, want))
			rc = err_set(e, ERR_STATE, "%s %s is %s, expected %s", u->name, u->arch,
				     u->now[0] ? u->now : "not installed", want);
	}
	return rc;
}

static int verify(struct job *j, struct err *e)
{
	int rc = check_versions(j, true, e);

	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "every planned version is installed");
	return rc;
}

/* Back to the kept versions: their files where kept, else the repository. */
static int rollback(struct job *j, struct err *e)
{
	const char **paths = calloc(j->n ? j->n : 1, sizeof(*paths));
	struct pkg_spec *sp = calloc(j->n ? j->n : 1, sizeof(*sp));
	struct pkg_argv a = { 0 };
	size_t np = 0, ns = 0;
	int rc = 0;

	if (!paths || !sp) {
		free(paths);
		free(sp);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct up *u = &j->ups[i];

		if (!u->todo)
			continue;
		if (u->kept[0])
			paths[np++] = u->kept;
		else
			sp[ns++] = (struct pkg_spec){ u->name, u->arch, u->from };
	}
	if (np)
		rc = run_ok(j, "rollback", j->b->install_files(paths, np, &a, e), &a, e);
	if (!rc && ns)
		rc = run_ok(j, "rollback", j->b->downgrade(sp, ns, &a, e), &a, e);
	free(paths);
	free(sp);
	if (!rc)
		rc = check_versions(j, false, e);
	if (!rc)
		snprintf(j->detail, sizeof(j->detail), "back to the kept versions, verified");
	return rc;
}

/* ---- reboot, or restart services ---- */

#define BOOT_ID_LEN 36 /* a UUID: a new one every boot */
#define UNITS_MAX 256

/* The kernel's boot id; *ret_ok false when it could not be read (the host
 * is down, or the id looks wrong). Errors of the attempt are dropped. */
static void boot_id(struct job *j, char ret[BOOT_ID_LEN + 1], bool *ret_ok)
{
	static const char *const argv[] = { "cat", "/proc/sys/kernel/random/boot_id", NULL };
	struct err ignored = { "" };
	int status = 1;

	buf_reset(&j->out);
	*ret_ok = !transport_run(j->t, argv, &j->out, &status, j->errtext, sizeof(j->errtext),
				 &ignored) && !status && j->out.len >= BOOT_ID_LEN;
	for (size_t i = 0; *ret_ok && i < BOOT_ID_LEN; i++)
		*ret_ok = strchr("0123456789abcdef-", j->out.data[i]) && j->out.data[i];
	if (*ret_ok) {
		memcpy(ret, j->out.data, BOOT_ID_LEN);
		ret[BOOT_ID_LEN] = '\0';
	}
}

/* Reboots the host over ssh and waits until it answers with another boot
 * id (it has really been down), polling every REBOOT_POLL seconds up to
 * the timeout. */
static int reboot_and_wait(struct job *j, struct err *e)
{
	static const char *const argv[] = { "reboot", NULL };
	char before[BOOT_ID_LEN + 1], after[BOOT_ID_LEN + 1];
	struct err dropped = { "" };
	int status = 0, timeout = j->o->reboot_timeout > 0 ? j->o->reboot_timeout : 900;
	time_t start;
	bool ok;

	boot_id(j, before, &ok);
	if (!ok)
		return err_set(e, ERR_IO, "cannot read the host's boot id before the reboot: %.300s",
			       j->errtext);
	/* The connection may drop before reboot returns: only "not found"
	 * (127) means it did not start. */
	if (!transport_run(j->t, argv, &j->out, &status, j->errtext, sizeof(j->errtext),
			   &dropped) && status == 127)
		return err_set(e, ERR_IO, "cannot reboot: %.300s", j->errtext);
	start = time(NULL);
	for (;;) {
		int poll = j->o->reboot_poll > 0 ? j->o->reboot_poll : 5;

		sleep((unsigned)poll);
		boot_id(j, after, &ok);
		if (ok && strcmp(after, before)) {
			snprintf(j->detail, sizeof(j->detail), "rebooted (boot id %.8s -> %.8s), back "
				 "after %lld s", before, after, (long long)(time(NULL) - start));
			return 0;
		}
		if (time(NULL) - start >= timeout)
			return err_set(e, ERR_IO, "the host did not come back with a new boot id "
				       "within %d s of the reboot", timeout);
	}
}

struct units {
	char names[UNITS_MAX][PKG_UNIT_MAX + 1];
	const char *list[UNITS_MAX];
	size_t n;
};

static int add_unit(const char *unit, void *ctx, struct err *e)
{
	struct units *u = ctx;

	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->names[i], unit))
			return 0;
	if (u->n == UNITS_MAX)
		return err_set(e, ERR_INPUT, "more than %d services to restart", UNITS_MAX);
	snprintf(u->names[u->n], sizeof(u->names[u->n]), "%s", unit);
	u->list[u->n] = u->names[u->n];
	u->n++;
	return 0;
}

/* Restarts the services that still run replaced code, as the backend's
 * tool lists them; a service that fails to restart fails the step. */
static int restart_services(struct job *j, struct err *e)
{
	struct units *u = NULL;
	struct pkg_argv a = { 0 };
	size_t used = strlen(j->detail);
	int status = 0, rc;

	if (!j->b->services_query || (j->t && !transport_live(j->t))) {
		snprintf(j->detail + used, sizeof(j->detail) - used, "; %s", j->b->services_query ?
			 "a chroot runs no services" : "no tool lists the services to restart "
			 "(restart them yourself)");
		return 0;
	}
	rc = pkg_argv_fixed(j->b->services_query, &a, e);
	if (!rc)
		rc = run(j, "reboot", &a, &status, e);
	pkg_argv_release(&a);
	if (rc || j->o->dry_run)
		return rc;
	if (status) {
		snprintf(j->detail + used, sizeof(j->detail) - used, "; services not restarted: "
			 "%s exited %d%s", j->b->name, status, status == 127 ?
			 " (the tool is not installed: needrestart, dnf needs-restarting, zypper ps)" :
			 "");
		return 0;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return err_set(e, ERR_NOMEM, "out of memory");
	rc = pkg_parse_services(j->b, j->out.data ? j->out.data : "", j->out.len, add_unit, u, e);
	if (!rc && u->n)
		rc = run_ok(j, "reboot", pkg_restart_units(u->list, u->n, &a, e), &a, e);
	if (!rc) {
		used = strlen(j->detail);
		snprintf(j->detail + used, sizeof(j->detail) - used, "; %zu service%s restarted",
			 u->n, u->n == 1 ? "" : "s");
		for (size_t i = 0; i < u->n; i++) {
			used = strlen(j->detail);
			snprintf(j->detail + used, sizeof(j->detail) - used, "%s%s", i ? ", " : ": ",
				 u->list[i]);
		}
	}
	free(u);
	return rc;
}

/*
 * One reboot when it is needed - the host says so, or cannot tell and the
 * plan predicted it - over ssh, waiting for the host to come back; else
 * the services that run replaced code are restarted. hfx does not reboot
 * the machine it runs on (local) or an image (chroot): it says so.
 */
static int reboot(struct job *j, struct err *e)
{
	static const char *const argv[] = { "reboot", NULL };
	struct pkg_argv a = { 0 };
	int status = 0, rc = 0;
	enum pkg_reboot r = PKG_REBOOT_UNKNOWN;
	bool need;

	if (j->b->needs_reboot && !(rc = pkg_argv_fixed(j->b->needs_reboot, &a, e)))
		rc = run(j, "reboot", &a, &status, e);
	pkg_argv_release(&a);
	if (rc)
		return rc;
	if (j->b->needs_reboot && !j->o->dry_run)
		r = pkg_reboot_from_status(j->b, status);
	need = r == PKG_REBOOT_YES || (r == PKG_REBOOT_UNKNOWN && j->planned_reboot);
	if (j->o->dry_run) {
		if (j->o->cmd && j->planned_reboot && !j->o->no_reboot)
			j->o->cmd(j->host, "reboot", argv, j->o->ctx);
		snprintf(j->detail, sizeof(j->detail), "reboot when the host says it needs one");
		return restart_services(j, e);
	}
	if (!need) {
		snprintf(j->detail, sizeof(j->detail), "%s", r == PKG_REBOOT_NO ?
			 "no reboot needed" : "reboot need unknown, none predicted");
		return restart_services(j, e);
	}
	if (j->o->no_reboot || !transport_rebootable(j->t)) {
		snprintf(j->detail, sizeof(j->detail), "the host needs a reboot: not done (%s), "
			 "reboot it in the window", j->o->no_reboot ? "--no-reboot" :
			 "hfx reboots hosts over ssh only");
		return 0;
	}
	return reboot_and_wait(j, e);
}

/* ---- one job ---- */

static int add_up(const struct package_row *p, void *ctx, struct err *e)
{
	struct job *j = ctx;
	struct up *v = realloc(j->ups, (j->n + 1) * sizeof(*v)), *u;

	if (!v)
		return err_set(e, ERR_NOMEM, "out of memory");
	j->ups = v;
	u = &v[j->n++];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", p->name);
	snprintf(u->arch, sizeof(u->arch), "%s", p->arch);
	snprintf(u->from, sizeof(u->from), "%s", p->from);
	snprintf(u->to, sizeof(u->to), "%s", p->to);
	return 0;
}

static int mark_kept(const struct kept_row *k, void *ctx, struct err *e)
{
	struct up *u = find_up(ctx, k->name, k->arch);

	(void)e;
	if (u) {
		u->todo = true;
		snprintf(u->kept, sizeof(u->kept), "%s", k->path ? k->path : "");
	}
	return 0;
}

/* The host's backend, comparator and transport. */
static int job_open(struct job *j, const struct job_row *pj, struct err *e)
{
	struct host h;
	char spec[512];
	int rc = host_get(j->s, pj->host, &h, e);

	if (rc)
		return rc;
	j->b = pkg_backend_for(h.ecosystem);
	j->eco = ecosystem_find(h.ecosystem);
	if (j->o->policy && h.attr[HOST_ATTR_GROUP][0])
		j->group = policy_group_find(j->o->policy, h.attr[HOST_ATTR_GROUP]);
	if (!j->b || !j->eco)
		return err_set(e, ERR_STATE, "host %s: no package manager backend for '%s'", h.name,
			       h.ecosystem);
	if (j->o->transport)
		snprintf(spec, sizeof(spec), "%s", j->o->transport);
	else if (h.attr[HOST_ATTR_TRANSPORT][0])
		snprintf(spec, sizeof(spec), "%s", h.attr[HOST_ATTR_TRANSPORT]);
	else
		snprintf(spec, sizeof(spec), "ssh:%s", h.name);
	rc = plan_packages(j->s, pj->id, add_up, j, e);
	if (!rc && !j->o->dry_run)
		rc = transport_open(spec, j->o->identity, j->o->known_hosts, &j->t, e);
	return rc;
}

static int finish(struct job *j, const char *state, const char *reason, struct err *e)
{
	char action[48];
	json_t *d = json_pack("{s:I, s:s, s:s?}", "deploy_job", (json_int_t)j->id, "state", state,
			      "reason", reason);
	int rc = store_begin(j->s, e);

	snprintf(action, sizeof(action), "deploy.%s", state);
	if (!rc)
		rc = deploy_job_set(j->s, j->id, state, "end", reason, e);
	if (!rc)
		rc = audit_append(j->s, j->o->actor, action, j->host, d, e);
	rc = rc ? (store_rollback(j->s), rc) : store_commit(j->s, e);
	json_decref(d);
	return rc;
}

/* Whether the install began: some to-do package is no longer at `from`. */
static bool changed(const struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->ups[i].todo && j->ups[i].now[0] && strcmp(j->ups[i].now, j->ups[i].from))
			return true;
	return false;
}

static size_t todo_count(const struct job *j)
{
	size_t n = 0;

	for (size_t i = 0; i < j->n; i++)
		n += j->ups[i].todo;
	return n;
}

/* Runs the steps; *ret_state gets the job's final state. */
static int steps(struct job *j, bool resumed, const char **ret_state, char *reason,
		 size_t rlen, struct err *e)
{
	struct err why = { "" };
	int rc = 0;
	/* Resumed after the install had completed: on from the reboot. */
	bool installed = resumed && !check_versions(j, true, &why);

	*ret_state = "failed";
	if (!installed && (!resumed || !changed(j))) {
		rc = step(j, "preflight", preflight, &why);
		if (rc) {
			snprintf(reason, rlen, "%s", why.msg);
			return 0;
		}
		if (!todo_count(j) && !j->o->dry_run) {
			*ret_state = "skipped";
			snprintf(reason, rlen, "every package was fixed by a later update");
			return 0;
		}
		if (HOOK(j, pre_hook) && step(j, "pre-hook", pre_hook, &why)) {
			snprintf(reason, rlen, "%s", why.msg);
			return 0;
		}
		rc = step(j, "keep", keep, &why);
		if (rc) {
			snprintf(reason, rlen, "%s", why.msg);
			return 0;
		}
		rc = step(j, "install", install, &why);
	}
	if (!rc)
		rc = step(j, "reboot", reboot, &why);
	if (!rc)
		rc = step(j, "verify", verify, &why);
	if (!rc && HOOK(j, health_check))
		rc = step(j, "health", health, &why);
	if (!rc) {
		*ret_state = "done";
		if (HOOK(j, post_hook) && step(j, "post-hook", post_hook, &why))
			snprintf(reason, rlen, "%.900s (the fixes stay)", why.msg);
		return 0;
	}
	snprintf(reason, rlen, "%.900s; rolled back", why.msg);
	*ret_state = "rolled-back";
	if (step(j, "rollback", rollback, &why)) {
		*ret_state = "rollback-failed";
		snprintf(reason, rlen, "rollback failed: %.900s", why.msg);
		if (HOOK(j, revert_hook) && !step(j, "revert-hook", revert_hook, &why)) {
			*ret_state = "rolled-back";
			snprintf(reason, rlen, "rollback failed, reverted by the revert-hook");
		}
	}
	(void)e;
	return 0;
}

static void job_release(struct job *j)
{
	transport_close(j->t);
	free(j->ups);
	buf_release(&j->out);
}

/* Starts (or resumes, from the journal) one plan job; *ret_failed says
 * whether it failed, now or in an earlier run (for the wave's count). */
static int run_job(struct store *s, const struct deploy_opts *o, const struct job_row *pj,
		   struct deploy_totals *t, bool *ret_failed, struct err *e)
{
	struct job j = { .s = s, .o = o, .host = pj->host, .planned_reboot = pj->reboot };
	const char *state = "failed";
	char reason[1024] = "";
	sqlite3_int64 existing = 0;
	int rc;

	buf_init(&j.out, OUT_MAX);
	rc = deploy_job_find(s, pj->id, &existing, e);
	if (!rc && existing && !o->dry_run) {
		/* A job already run stays as it ended; a running one resumes. */
		bool running = false;

		rc = deploy_job_running(s, existing, &running, e);
		if (!rc && !running) {
			rc = deploy_job_failed(s, existing, ret_failed, e);
			job_release(&j);
			return rc;
		}
		j.id = existing;
	}
	if (!rc)
		rc = job_open(&j, pj, e);
	if (!rc && !o->dry_run && !j.id) {
		rc = store_begin(s, e);
		if (!rc)
			rc = deploy_job_start(s, o->plan_id, pj->id, pj->host, j.t ?
					      transport_describe(j.t) : "", &j.id, e);
		rc = rc ? (store_rollback(s), rc) : store_commit(s, e);
	}
	snprintf(j.dir, sizeof(j.dir), "%s/%lld", ROLLBACK_DIR, (long long)j.id);
	if (!rc && existing)
		rc = deploy_kept_list(s, j.id, mark_kept, &j, e);
	if (!rc)
		rc = steps(&j, existing != 0, &state, reason, sizeof(reason), e);
	if (!rc && !o->dry_run)
		rc = finish(&j, state, reason[0] ? reason : NULL, e);
	if (!rc) {
		*ret_failed = strcmp(state, "done") && strcmp(state, "skipped");
		t->jobs++;
		t->done += !strcmp(state, "done");
		t->failed += !strcmp(state, "failed");
		t->rolled_back += !strcmp(state, "rolled-back");
		t->rollback_failed += !strcmp(state, "rollback-failed");
		t->skipped += !strcmp(state, "skipped");
	}
	job_release(&j);
	return rc;
}

/* ---- the run ---- */

#define TEXT_MAX 256 /* a host name: at most 253 bytes */

struct run {
	struct store *s;
	const struct policy *p;
	const struct deploy_opts *o;
	/* the plan's jobs, copied: jobs run outside the read's statement */
	struct job_row *jobs;
	char (*text)[5][TEXT_MAX];
	size_t n, cap;
};

static int copy_job(const struct job_row *pj, void *ctx, struct err *e)
{
	struct run *r = ctx;
	const char *src[5] = { pj->host, pj->ring, pj->start, pj->end, pj->due ? pj->due : "" };

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct job_row *v = realloc(r->jobs, ncap * sizeof(*v));
		char (*t)[5][TEXT_MAX] = realloc(r->text, ncap * sizeof(*t));

		if (v)
			r->jobs = v;
		if (t)
			r->text = t;
		if (!v || !t)
			return err_set(e, ERR_NOMEM, "out of memory");
		r->cap = ncap;
	}
	r->jobs[r->n] = *pj; /* its strings point into text once all are read */
	for (int i = 0; i < 5; i++)
		snprintf(r->text[r->n][i], TEXT_MAX, "%s", src[i]);
	r->n++;
	return 0;
}

/* Points the copied jobs at their own text (which realloc may have moved
 * while they were read). */
static void point_text(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		r->jobs[i].host = r->text[i][0];
		r->jobs[i].ring = r->text[i][1];
		r->jobs[i].start = r->text[i][2];
		r->jobs[i].end = r->text[i][3];
		r->jobs[i].due = r->text[i][4];
	}
}

static int check_approved(const struct plan_info *p, void *ctx, struct err *e)
{
	(void)ctx;
	if (strcmp(p->state, "approved"))
		return err_set(e, ERR_INPUT, "plan %lld is a draft: an approver must approve it first "
			       "(hfx plan approve %lld)", (long long)p->id, (long long)p->id);
	return 0;
}

/*
 * One wave's jobs, run by up to opts->jobs threads, each on a database
 * connection of its own (the journal and audit writes are transactions:
 * SQLite serializes them). Jobs run together only when their planned
 * times overlap pairwise: intervals that overlap pairwise share a moment
 * (Helly, in one dimension), and at every moment the plan keeps each
 * group's max-unavailable, so running them together keeps it too, even
 * with --now. Once the wave's failures exceed its ring's max-failures no
 * further job starts; the running ones finish.
 */
struct wave {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct run *r;
	const struct job_row **todo;
	bool *started;
	size_t n, left;
	const struct job_row *running[DEPLOY_JOBS_MAX];
	size_t nrunning;
	long failures, max_failures;
	struct deploy_totals *t;
	int rc;
	struct err e;
};

static void add_totals(struct deploy_totals *to, const struct deploy_totals *t)
{
	to->jobs += t->jobs;
	to->done += t->done;
	to->failed += t->failed;
	to->rolled_back += t->rolled_back;
	to->rollback_failed += t->rollback_failed;
	to->skipped += t->skipped;
}

static bool overlaps(const struct job_row *a, const struct job_row *b)
{
	return strcmp(a->start, b->end) < 0 && strcmp(b->start, a->end) < 0;
}

/* The first job not started that overlaps every running one. */
static const struct job_row *startable(struct wave *w, size_t *ret)
{
	for (size_t i = 0; i < w->n; i++) {
		size_t k = 0;

		if (w->started[i])
			continue;
		while (k < w->nrunning && overlaps(w->todo[i], w->running[k]))
			k++;
		if (k == w->nrunning) {
			*ret = i;
			return w->todo[i];
		}
	}
	return NULL;
}

/* The next job to start (waiting until one may), or NULL when the wave
 * is done or stopped. Called with w->mu held. */
static const struct job_row *next_job(struct wave *w)
{
	const struct job_row *pj = NULL;
	size_t i = 0;

	const volatile sig_atomic_t *stop = w->r->o->stop;

	while (!w->rc && w->failures <= w->max_failures && w->left && !(stop && *stop) &&
	       !(pj = startable(w, &i)))
		pthread_cond_wait(&w->cv, &w->mu);
	if (!pj || w->rc || w->failures > w->max_failures || (stop && *stop))
		return NULL;
	w->started[i] = true;
	w->left--;
	w->running[w->nrunning++] = pj;
	return pj;
}

static void job_ended(struct wave *w, const struct job_row *pj)
{
	for (size_t k = 0; k < w->nrunning; k++)
		if (w->running[k] == pj) {
			w->running[k] = w->running[--w->nrunning];
			break;
		}
	pthread_cond_broadcast(&w->cv);
}

static void *wave_worker(void *arg)
{
	struct wave *w = arg;
	struct store *own = NULL;
	struct err e = { "" };
	const struct job_row *pj;
	int rc = w->r->o->dry_run ? 0 : store_open(w->r->s->path, false, &own, &e);

	pthread_mutex_lock(&w->mu);
	while (!rc && (pj = next_job(w))) {
		struct deploy_totals mine = { 0 };
		bool failed = false;

		pthread_mutex_unlock(&w->mu);
		rc = run_job(own ? own : w->r->s, w->r->o, pj, &mine, &failed, &e);
		pthread_mutex_lock(&w->mu);
		add_totals(w->t, &mine);
		w->failures += failed && !w->r->o->dry_run;
		job_ended(w, pj);
	}
	if (rc && !w->rc) {
		w->rc = rc;
		w->e = e;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	store_close(own);
	return NULL;
}

static int run_wave(struct run *r, const struct job_row **todo, size_t n, const char *ring,
		    struct deploy_totals *t, bool *ret_halted, struct err *e)
{
	struct wave w = { .r = r, .todo = todo, .n = n, .left = n, .t = t,
			  .max_failures = policy_ring_settings(r->p, ring).max_failures };
	pthread_t th[DEPLOY_JOBS_MAX];
	size_t nth = r->o->dry_run || r->o->jobs < 1 ? 1 : (size_t)r->o->jobs, started = 0;

	if (nth > DEPLOY_JOBS_MAX)
		nth = DEPLOY_JOBS_MAX;
	if (nth > n)
		nth = n;
	w.started = calloc(n, sizeof(*w.started));
	if (!w.started)
		return err_set(e, ERR_NOMEM, "out of memory");
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	if (nth == 1) {
		wave_worker(&w);
	} else {
		for (; started < nth; started++)
			if (pthread_create(&th[started], NULL, wave_worker, &w))
				break;
		if (!started)
			wave_worker(&w);
		for (size_t i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	free(w.started);
	if (w.rc) {
		*e = w.e;
		return w.rc;
	}
	*ret_halted = w.failures > w.max_failures;
	return 0;
}

int deploy_run(struct store *s, const struct policy *p, const struct deploy_opts *o,
	       struct deploy_totals *ret, struct err *e)
{
	struct deploy_totals t = { 0 };
	struct run r = { .s = s, .p = p, .o = o };
	const struct job_row **todo = NULL;
	char now[32];
	int rc = plan_get(s, o->plan_id, check_approved, NULL, e);

	store_now(now);
	if (!rc)
		rc = plan_jobs(s, o->plan_id, copy_job, &r, e);
	point_text(&r);
	if (!rc && r.n && !(todo = calloc(r.n, sizeof(*todo))))
		rc = err_set(e, ERR_NOMEM, "out of memory");
	/* Wave by wave (the jobs come ordered by wave): the jobs of this run,
	 * then the wave's failures decide whether the next one starts. */
	for (size_t i = 0; !rc && !t.halted && i < r.n; ) {
		size_t end = i, n = 0;

		while (end < r.n && r.jobs[end].wave == r.jobs[i].wave)
			end++;
		for (size_t k = i; k < end; k++) {
			const struct job_row *pj = &r.jobs[k];

			if ((o->wave && pj->wave + 1 != o->wave) || (o->host && strcmp(o->host, pj->host)))
				continue;
			if (!o->now && strcmp(pj->start, now) > 0)
				t.waiting++;
			else
				todo[n++] = pj;
		}
		if (n)
			rc = run_wave(&r, todo, n, r.jobs[i].ring, &t, &t.halted, e);
		if (t.halted)
			t.halted_wave = r.jobs[i].wave + 1;
		i = end;
	}
	free(todo);
	free(r.jobs);
	free(r.text);
	if (!rc)
		*ret = t;
	return rc;
}

struct rb {
	sqlite3_int64 plan_job_id;
	char host[256], state[32];
};

static int copy_rb(const struct deploy_job_row *d, void *ctx, struct err *e)
{
	struct rb *rb = ctx;

	(void)e;
	rb->plan_job_id = d->plan_job_id;
	snprintf(rb->host, sizeof(rb->host), "%s", d->host);
	snprintf(rb->state, sizeof(rb->state), "%s", d->state);
	return 0;
}

/* The way back for every kept package, or a clear refusal. */
static int rollback_ready(const struct job *j, struct err *e)
{
	size_t n = 0;

	for (size_t i = 0; i < j->n; i++) {
		if (!j->ups[i].todo)
			continue;
		if (!j->ups[i].kept[0])
			return err_set(e, ERR_STATE, "no way back for %s: its version %s was not kept "
				       "(the job ran with --accept-no-rollback)", j->ups[i].name,
				       j->ups[i].from);
		n++;
	}
	return n ? 0 : err_set(e, ERR_STATE, "deploy job %lld changed nothing to roll back",
			       (long long)j->id);
}

int deploy_rollback(struct store *s, sqlite3_int64 deploy_job_id, const struct deploy_opts *o,
		    struct err *e)
{
	struct rb rb = { 0 };
	struct job_row pj = { 0 };
	struct job j = { .s = s, .o = o, .id = deploy_job_id };
	struct err why = { "" };
	int rc = deploy_job_get(s, deploy_job_id, copy_rb, &rb, e);

	buf_init(&j.out, OUT_MAX);
	j.host = rb.host;
	pj.id = rb.plan_job_id;
	pj.host = rb.host;
	if (!rc && strcmp(rb.state, "done"))
		rc = err_set(e, ERR_STATE, "deploy job %lld is %s: only a finished job is rolled "
			     "back", (long long)deploy_job_id, rb.state);
	if (!rc)
		rc = job_open(&j, &pj, e);
	if (!rc)
		rc = deploy_kept_list(s, j.id, mark_kept, &j, e);
	if (!rc)
		rc = rollback_ready(&j, e);
	if (!rc) {
		const char *state = step(&j, "rollback", rollback, &why) ? "rollback-failed"
									   : "rolled-back";

		rc = finish(&j, state, why.msg[0] ? why.msg : "rolled back on request", e);
		if (!rc && !strcmp(state, "rollback-failed"))
			rc = err_set(e, ERR_IO, "rollback of deploy job %lld failed: %s",
				     (long long)deploy_job_id, why.msg);
	}
	job_release(&j);
	return rc;
}
