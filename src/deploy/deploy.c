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

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	rc = j->b->query_installed(&a, e);
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
	int rc = run_ok(j, "lock check", j->b->lock_check(&a, e), &a, e);

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

/* The kept file of u in the listing of dir just read into j->out. */
static void find_kept(struct job *j, struct up *u)
{
	char names[2][PKG_PATH_MAX];
	size_t n = kept_names(j, u, names);
	char *line = j->out.data, *end = line ? line + j->out.len : NULL;

	for (; line && line < end; ) {
		char *nlp = memchr(line, '\n', (size_t)(end - line));
		size_t len = nlp ? (size_t)(nlp - line) : (size_t)(end - line);

		for (size_t i = 0; i < n; i++)
			if (strlen(names[i]) == len && !memcmp(line, names[i], len) &&
			    strlen(j->dir) + len + 2 <= sizeof(u->kept))
				snprintf(u->kept, sizeof(u->kept), "%s/%s", j->dir, names[i]);
		line = nlp ? nlp + 1 : end;
	}
}

static int list_dir(struct job *j, struct err *e)
{
	const char *argv[] = { "ls", "-1", "--", j->dir, NULL };
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

/* Asks the host whether it needs a reboot now, and reports it: hfx does
 * not reboot hosts yet (docs/DEPLOY.md). */
static int reboot(struct job *j, struct err *e)
{
	struct pkg_argv a = { 0 };
	int status = 0, rc = 0;
	enum pkg_reboot r = PKG_REBOOT_UNKNOWN;

	if (j->b->needs_reboot && !(rc = j->b->needs_reboot(&a, e)))
		rc = run(j, "reboot", &a, &status, e);
	pkg_argv_release(&a);
	if (!rc && j->b->needs_reboot && !j->o->dry_run)
		r = pkg_reboot_from_status(j->b, status);
	snprintf(j->detail, sizeof(j->detail), "%s", r == PKG_REBOOT_YES ?
		 "the host needs a reboot: not done by hfx, reboot it in the window" :
		 r == PKG_REBOOT_NO ? "no reboot needed" : "reboot need unknown");
	return rc;
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

	*ret_state = "failed";
	if (resumed && !check_versions(j, true, &why)) {
		*ret_state = "done"; /* the install had completed before the interruption */
		return 0;
	}
	if (!resumed || !changed(j)) {
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
	struct job j = { .s = s, .o = o, .host = pj->host };
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

struct run {
	struct store *s;
	const struct policy *p;
	const struct deploy_opts *o;
	struct deploy_totals *t;
	char now[32];
	int wave;          /* of the jobs seen last */
	long wave_failures;
	const char *wave_ring;
	char ring[64];
	/* the plan's jobs, copied: jobs run outside the read's statement */
	struct job_row *jobs;
	char (*text)[5][96];
	size_t n, cap;
};

static int copy_job(const struct job_row *pj, void *ctx, struct err *e)
{
	struct run *r = ctx;

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct job_row *v = realloc(r->jobs, ncap * sizeof(*v));
		char (*t)[5][96] = realloc(r->text, ncap * sizeof(*t));

		if (v)
			r->jobs = v;
		if (t)
			r->text = t;
		if (!v || !t)
			return err_set(e, ERR_NOMEM, "out of memory");
		r->cap = ncap;
	}
	r->jobs[r->n] = *pj;
	snprintf(r->text[r->n][0], 96, "%s", pj->host);
	snprintf(r->text[r->n][1], 96, "%s", pj->ring);
	snprintf(r->text[r->n][2], 96, "%s", pj->start);
	snprintf(r->text[r->n][3], 96, "%s", pj->end);
	snprintf(r->text[r->n][4], 96, "%s", pj->due ? pj->due : "");
	r->jobs[r->n].host = r->text[r->n][0];
	r->jobs[r->n].ring = r->text[r->n][1];
	r->jobs[r->n].start = r->text[r->n][2];
	r->jobs[r->n].end = r->text[r->n][3];
	r->jobs[r->n].due = r->text[r->n][4];
	r->n++;
	return 0;
}

static int check_approved(const struct plan_info *p, void *ctx, struct err *e)
{
	(void)ctx;
	if (strcmp(p->state, "approved"))
		return err_set(e, ERR_INPUT, "plan %lld is a draft: an approver must approve it first "
			       "(hfx plan approve %lld)", (long long)p->id, (long long)p->id);
	return 0;
}

int deploy_run(struct store *s, const struct policy *p, const struct deploy_opts *o,
	       struct deploy_totals *ret, struct err *e)
{
	struct deploy_totals t = { 0 };
	struct run r = { .s = s, .p = p, .o = o, .t = &t, .wave = -1 };
	int rc = plan_get(s, o->plan_id, check_approved, NULL, e);

	store_now(r.now);
	if (!rc)
		rc = plan_jobs(s, o->plan_id, copy_job, &r, e);
	for (size_t i = 0; !rc && i < r.n; i++) {
		const struct job_row *pj = &r.jobs[i];

		if (pj->wave != r.wave) {
			if (r.wave >= 0 && r.wave_failures >
			    policy_ring_settings(p, r.ring).max_failures) {
				t.halted = true;
				t.halted_wave = r.wave + 1;
				break;
			}
			r.wave = pj->wave;
			r.wave_failures = 0;
			snprintf(r.ring, sizeof(r.ring), "%s", pj->ring);
		}
		if ((o->wave && pj->wave + 1 != o->wave) || (o->host && strcmp(o->host, pj->host)))
			continue;
		if (!o->now && strcmp(pj->start, r.now) > 0) {
			t.waiting++;
			continue;
		}
		{
			bool failed = false;

			rc = run_job(s, o, pj, &t, &failed, e);
			r.wave_failures += failed && !o->dry_run;
		}
	}
	if (!rc && !t.halted && r.wave >= 0 &&
	    r.wave_failures > policy_ring_settings(p, r.ring).max_failures) {
		t.halted = true;
		t.halted_wave = r.wave + 1;
	}
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
