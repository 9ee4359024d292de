/*
 * The apt backend (Debian, Ubuntu): apt-get for installs from the
 * repositories, dpkg for kept .deb files, dpkg-query for the listing.
 * The argv are in docs/PACKAGE_MANAGERS.md with the reasons for each
 * option; this file only builds them and reads the listing.
 *
 * Not here: running anything, and deciding what to install.
 */
#include "deploy/pkg.h"

#include <stdio.h>
#include <string.h>

#include "base/show.h"

#define WHAT "dpkg-query output"

/*
 * The environment of every command that may run maintainer scripts:
 * debconf asks nothing (its default answers), and needrestart (Ubuntu
 * runs it after apt) only lists what to restart: restarting services is
 * the runner's decision, not a side effect of the install.
 */
#define APT_ENV "env", "DEBIAN_FRONTEND=noninteractive", "NEEDRESTART_MODE=l"

/*
 * No binary cache files: apt rebuilds its cache only when the dpkg status
 * file's size or mtime changed, so right after `dpkg --install` of an
 * older version of the same length (a rollback within the same second) a
 * cached view says the newer version is still installed, and apt-get
 * "upgrades" nothing. Building the cache in memory each time costs a
 * fraction of a second.
 */
#define APT_NO_CACHE "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache="

/* "name:arch=version", or "name=version" when arch is not given. */
static int add_spec(struct pkg_argv *a, const struct pkg_spec *p, bool version,
		    struct err *e)
{
	bool arch = p->arch && p->arch[0];

	if (version)
		return pkg_argv_addf(a, e, "%s%s%s=%s", p->name, arch ? ":" : "",
				     arch ? p->arch : "", p->version);
	return pkg_argv_addf(a, e, "%s%s%s", p->name, arch ? ":" : "", arch ? p->arch : "");
}

/* The '\t' and '\n' are dpkg-query's escapes, passed as backslashes. */
static const char *const apt_query[] = {
	"dpkg-query", "--show",
	"--showformat=${Package}\\t${Architecture}\\t${Version}\\t${db:Status-Abbrev}\\n",
	NULL,
};

/*
 * apt-get check takes dpkg's locks the way apt-get install does (fcntl
 * record locks on lock-frontend and lock, which flock(1) cannot see) and
 * fails with 100 when another process holds them, when dpkg was
 * interrupted (its journal in updates/ is not empty) or when installed
 * packages have broken dependencies: each a reason not to start.
 */
static const char *const apt_lock_check[] = { "apt-get", "-q", "check", NULL };

static int apt_get_install(const struct pkg_spec *pkgs, size_t n, bool downgrade,
			   struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_DEB, pkgs, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	/* confdef then confold: take the package's default when it has one,
	 * else keep the changed file; never ask. --no-remove: a hotfix that
	 * would remove a package stops instead. */
	rc = pkg_argv_addv(a, e, APT_ENV, "apt-get", "-y", "-q", APT_NO_CACHE,
			   "-o", "Dpkg::Options::=--force-confdef",
			   "-o", "Dpkg::Options::=--force-confold",
			   "--no-install-recommends", "--no-remove", NULL);
	if (!rc && downgrade)
		rc = pkg_argv_add(a, "--allow-downgrades", e);
	if (!rc)
		rc = pkg_argv_addv(a, e, "install", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = add_spec(a, &pkgs[i], true, e);
	return pkg_argv_end(a, rc, ret);
}

static int apt_install(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
		       struct err *e)
{
	return apt_get_install(pkgs, n, false, ret, e);
}

static int apt_downgrade(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			 struct err *e)
{
	return apt_get_install(pkgs, n, true, ret, e);
}

/* dpkg downgrades from a file with a warning, no option needed. */
static int apt_install_files(const char *const *paths, size_t n, struct pkg_argv *ret,
			     struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_paths_check(paths, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, APT_ENV, "dpkg", "--force-confdef", "--force-confold",
			   "--install", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = pkg_argv_add(a, paths[i], e);
	return pkg_argv_end(a, rc, ret);
}

/*
 * apt-get download and dpkg-repack write into the current directory and
 * have no option for another one: env --chdir sets it, no shell needed.
 */
static int apt_keep(const struct pkg_spec *p, const char *dir, bool repack,
		    struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_DEB, p, 1, e)) || (rc = pkg_path_check(dir, e)) ||
	    (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_add(a, "env", e);
	if (!rc)
		rc = pkg_argv_addf(a, e, "--chdir=%s", dir);
	if (!rc && repack)
		rc = pkg_argv_addv(a, e, "dpkg-repack", "--", NULL);
	else if (!rc)
		rc = pkg_argv_addv(a, e, "apt-get", "-q", APT_NO_CACHE, "download", "--", NULL);
	if (!rc)
		rc = add_spec(a, p, !repack, e);
	return pkg_argv_end(a, rc, ret);
}

static int apt_keep_current(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			    struct err *e)
{
	return apt_keep(p, dir, false, ret, e);
}

static int apt_keep_repack(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			   struct err *e)
{
	return apt_keep(p, dir, true, ret, e);
}

/* needrestart in batch mode, listing only (-r l): the services that
 * still map replaced files; hfx restarts them itself. */
static const char *const apt_services[] = { "needrestart", "-b", "-r", "l", NULL };

/* Written by the packages that need a reboot (update-notifier-common's
 * hooks on Ubuntu, the kernel and libc packages that call them). */
static const char *const apt_needs_reboot[] = { "test", "-e", "/var/run/reboot-required", NULL };

/* ---- The listing: "name\tarch\tversion\tSTATUS\n", STATUS three letters
 * (wanted, state, error flag), as dpkg-query -l shows them. ---- */

static const char *state_name(char state, char flag)
{
	if (flag == 'R')
		return "marked reinst-required";
	switch (state) {
	case 'H': return "half-installed";
	case 'U': return "unpacked but not configured";
	case 'F': return "half-configured";
	case 'W': return "awaiting triggers";
	case 't': return "waiting for its triggers to run";
	}
	return "in an unknown state";
}

static int apt_line(const char *line, size_t n, size_t lineno, void *vctx, struct err *e)
{
	const struct pkg_sink *c = vctx;
	const char *f[4], *p = line, *end = line + n;
	char shown[SHOW_MAX];
	size_t len[4];

	for (int i = 0; i < 4; i++) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));

		if ((i < 3 && !tab) || (i == 3 && tab))
			return pkg_line_fail(e, WHAT, lineno, "'%s': not 4 tab-separated fields",
					     show_bytes(shown, line, n));
		f[i] = p;
		len[i] = (size_t)((tab ? tab : end) - p);
		p = tab ? tab + 1 : end;
	}
	/* (memchr over the letters only: a NUL is not among them.) */
	if (len[3] != 3 || !memchr("uihrp", f[3][0], 5) || !memchr("ncHUFWti", f[3][1], 8) ||
	    !memchr(" R", f[3][2], 2))
		return pkg_line_fail(e, WHAT, lineno, "status '%s': not a dpkg status abbreviation",
				     show_bytes(shown, f[3], len[3]));
	/* dpkg remembers removed packages (not-installed, config-files): skip. */
	if (f[3][1] == 'n' || f[3][1] == 'c') {
		if (!pkg_name_valid(PKG_DEB, f[0], len[0]))
			return pkg_line_fail(e, WHAT, lineno, "package name '%s': invalid",
					     show_bytes(shown, f[0], len[0]));
		return 0;
	}
	/* Anything between installed and not is an operation dpkg left
	 * unfinished; apt refuses to work on top of it, and so do we. */
	if (f[3][1] != 'i' || f[3][2] != ' ')
		return pkg_line_fail(e, WHAT, lineno,
				     "package '%s' is %s (status '%.3s'): finish dpkg's work "
				     "on the host first (dpkg --configure -a)",
				     show_bytes(shown, f[0], len[0]), state_name(f[3][1], f[3][2]),
				     f[3]);
	return pkg_report(PKG_DEB, WHAT, lineno, f[0], len[0], f[1], len[1], f[2], len[2],
			  c->cb, c->ctx, e);
}

static int apt_parse_installed(const char *out, size_t len, pkg_spec_cb cb, void *ctx,
			       struct err *e)
{
	struct pkg_sink c = { cb, ctx };

	return pkg_each_line(out, len, WHAT, apt_line, &c, e);
}

const struct pkg_backend pkg_backend_apt = {
	.name = "apt",
	.family = PKG_DEB,
	.reboot_yes = 0,
	.reboot_no = 1,
	.query_installed = apt_query,
	.parse_installed = apt_parse_installed,
	.lock_check = apt_lock_check,
	.install = apt_install,
	.downgrade = apt_downgrade,
	.install_files = apt_install_files,
	.keep_current = apt_keep_current,
	.keep_repack = apt_keep_repack,
	.needs_reboot = apt_needs_reboot,
	.services_query = apt_services,
	.services_prefix = "NEEDRESTART-SVC: ",
};
