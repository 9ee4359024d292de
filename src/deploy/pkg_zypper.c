/*
 * The zypper backend (openSUSE, SUSE Linux Enterprise). The listing, its
 * parser and the install of kept files are rpm's (pkg_dnf.c); zypper
 * installs from the repositories. The argv are in
 * docs/PACKAGE_MANAGERS.md with the reasons for each option.
 *
 * Not here: running anything, and deciding what to install.
 */
#include "deploy/pkg.h"

#include <stdbool.h>

/* A capability "name.arch=[epoch:]version-release", or "name=..." when
 * arch is not given: zypper reads the ".arch" suffix only when it names an
 * architecture, and "=" as exactly this edition. */
static int add_cap(struct pkg_argv *a, const struct pkg_spec *p, struct err *e)
{
	bool arch = p->arch && p->arch[0];

	return pkg_argv_addf(a, e, "%s%s%s=%s", p->name, arch ? "." : "", arch ? p->arch : "",
			     p->version);
}

/*
 * libzypp's lock is /var/run/zypp.pid: it holds the pid of the process
 * using zypp, and is truncated (not removed) when that process ends. So
 * "absent or empty" is free. A pid left by a crash reads as busy;
 * zypper itself would see the process gone and go on.
 */
static const char *const zypper_lock_check[] = { "test", "!", "-s", "/var/run/zypp.pid", NULL };

/*
 * --non-interactive takes the default answers and fails where there is
 * none (a license to accept: accepting one is not hfx's call).
 * --no-recommends as apt's --no-install-recommends; --oldpackage lets the
 * downgrade go back to an older edition, which install alone refuses.
 * rpm keeps changed configuration files (.rpmnew).
 */
static int zypper_transaction(bool downgrade, const struct pkg_spec *pkgs, size_t n,
			      struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_RPM, pkgs, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "zypper", "--non-interactive", "install", "--no-recommends",
			   NULL);
	if (!rc && downgrade)
		rc = pkg_argv_add(a, "--oldpackage", e);
	if (!rc)
		rc = pkg_argv_add(a, "--", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = add_cap(a, &pkgs[i], e);
	return pkg_argv_end(a, rc, ret);
}

static int zypper_install(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			  struct err *e)
{
	return zypper_transaction(false, pkgs, n, ret, e);
}

static int zypper_downgrade(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			    struct err *e)
{
	return zypper_transaction(true, pkgs, n, ret, e);
}

/*
 * zypper download stores into the package cache; the global
 * --pkg-cache-dir points that at dir, where the file lands as
 * dir/<repository alias>/<arch>/name-version-release.arch.rpm.
 */
static int zypper_keep_current(const struct pkg_spec *p, const char *dir,
			       struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_RPM, p, 1, e)) || (rc = pkg_path_check(dir, e)) ||
	    (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "zypper", "--non-interactive", "--pkg-cache-dir", dir,
			   "download", "--", NULL);
	if (!rc)
		rc = add_cap(a, p, e);
	return pkg_argv_end(a, rc, ret);
}

/* zypper ps -sss: only the names of the services of processes that use
 * deleted files, one a line. */
static const char *const zypper_services[] = { "zypper", "ps", "-sss", NULL };

/* Exit 102 (ZYPPER_EXIT_INF_REBOOT_NEEDED) when a core package changed
 * since boot, 0 when not. */
static const char *const zypper_needs_reboot[] = { "zypper", "needs-rebooting", NULL };

const struct pkg_backend pkg_backend_zypper = {
	.name = "zypper",
	.family = PKG_RPM,
	.reboot_yes = 102,
	.reboot_no = 0,
	.query_installed = pkg_rpm_query,
	.parse_installed = pkg_rpm_parse_installed,
	.lock_check = zypper_lock_check,
	.install = zypper_install,
	.downgrade = zypper_downgrade,
	.install_files = pkg_rpm_install_files,
	.keep_current = zypper_keep_current,
	.keep_repack = NULL,
	.needs_reboot = zypper_needs_reboot,
	.services_query = zypper_services,
	.services_prefix = "",
};
