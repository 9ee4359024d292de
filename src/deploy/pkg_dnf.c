/*
 * The dnf and yum backends (AlmaLinux, Rocky Linux, RHEL, Fedora; yum for
 * Red Hat 7 and its rebuilds), and what every rpm system shares: the rpm
 * listing and its parser, and rpm for kept package files (zypper uses
 * those three too). The argv are in docs/PACKAGE_MANAGERS.md with the
 * reasons for each option.
 *
 * yum here means EL7's yum (yum-utils' yumdownloader and needs-restarting,
 * /var/run/yum.pid); on EL8 and later `yum` is dnf, and pkg_backend_for()
 * picks dnf.
 *
 * Not here: running anything, and deciding what to install.
 */
#include "deploy/pkg.h"

#include <stdbool.h>
#include <string.h>

#include "base/show.h"

#define WHAT "rpm output"

/* ---- rpm itself ---- */

/* %{EPOCH} is "(none)" for a package without one: kept apart from an
 * explicit epoch 0, and dropped by the parser. */
/* The '\t' and '\n' are rpm's escapes, passed as backslashes. */
const char *const pkg_rpm_query[] = {
	"rpm", "--query", "--all", "--queryformat",
	"%{NAME}\\t%{ARCH}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\n", NULL,
};

static int rpm_line(const char *line, size_t n, size_t lineno, void *vctx, struct err *e)
{
	const struct pkg_sink *c = vctx;
	const char *t1 = memchr(line, '\t', n), *t2, *arch, *evr;
	size_t name_len, arch_len, evr_len;
	char shown[SHOW_MAX];

	t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line + n - t1 - 1)) : NULL;
	if (!t2 || memchr(t2 + 1, '\t', (size_t)(line + n - t2 - 1)))
		return pkg_line_fail(e, WHAT, lineno, "'%s': not 3 tab-separated fields",
				     show_bytes(shown, line, n));
	name_len = (size_t)(t1 - line);
	arch = t1 + 1;
	arch_len = (size_t)(t2 - arch);
	evr = t2 + 1;
	evr_len = (size_t)(line + n - evr);
	/* rpm keeps its signing keys as packages without an architecture. */
	if (name_len == 10 && !memcmp(line, "gpg-pubkey", 10) && arch_len == 6 &&
	    !memcmp(arch, "(none)", 6))
		return 0;
	if (evr_len >= 7 && !memcmp(evr, "(none):", 7)) {
		evr += 7;
		evr_len -= 7;
	}
	return pkg_report(PKG_RPM, WHAT, lineno, line, name_len, arch, arch_len, evr, evr_len,
			  c->cb, c->ctx, e);
}

int pkg_rpm_parse_installed(const char *out, size_t len, pkg_spec_cb cb, void *ctx,
			    struct err *e)
{
	struct pkg_sink c = { cb, ctx };

	return pkg_each_line(out, len, WHAT, rpm_line, &c, e);
}

/*
 * rpm -U installs kept files whatever the repositories hold:
 * --oldpackage allows going back, --replacepkgs makes a second run (after
 * a rollback that stopped halfway) reinstall what is already back instead
 * of failing. rpm itself never asks about configuration files: changed
 * ones are kept, the package's saved as .rpmnew.
 */
int pkg_rpm_install_files(const char *const *paths, size_t n, struct pkg_argv *ret,
			  struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_paths_check(paths, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "rpm", "--upgrade", "--verbose", "--oldpackage",
			   "--replacepkgs", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = pkg_argv_add(a, paths[i], e);
	return pkg_argv_end(a, rc, ret);
}

/* ---- dnf and yum ---- */

/* "name-[epoch:]version-release.arch" (NEVRA), the form both read
 * unambiguously; without an arch, "name-[epoch:]version-release". */
static int add_nevra(struct pkg_argv *a, const struct pkg_spec *p, struct err *e)
{
	bool arch = p->arch && p->arch[0];

	return pkg_argv_addf(a, e, "%s-%s%s%s", p->name, p->version, arch ? "." : "",
			     arch ? p->arch : "");
}

/*
 * dnf's rpmdb lock (/var/lib/dnf/rpmdb_lock.pid) and yum's
 * (/var/run/yum.pid) are pid files, held while they hold a pid and
 * removed at exit; the flock dnf takes on its file lasts only while it
 * writes it, so flock(1) cannot test it. "test ! -s" is true when the
 * file is absent or empty. A file left by a crash reads as busy until
 * the next dnf or yum run replaces it.
 */
static const char *const dnf_lock_check[] = {
	"test", "!", "-s", "/var/lib/dnf/rpmdb_lock.pid", NULL,
};

static const char *const yum_lock_check[] = { "test", "!", "-s", "/var/run/yum.pid", NULL };

/* -y answers yes; install_weak_deps=False is apt's --no-install-recommends
 * (EL7's yum has no weak dependencies, nor the option). */
static int rpm_transaction(bool yum, const char *verb, const struct pkg_spec *pkgs, size_t n,
			   struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_RPM, pkgs, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	if (yum)
		rc = pkg_argv_addv(a, e, "yum", "-y", NULL);
	else
		rc = pkg_argv_addv(a, e, "dnf", "-y", "--setopt=install_weak_deps=False", NULL);
	if (!rc)
		rc = pkg_argv_addv(a, e, verb, "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = add_nevra(a, &pkgs[i], e);
	return pkg_argv_end(a, rc, ret);
}

static int dnf_install(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
		       struct err *e)
{
	return rpm_transaction(false, "install", pkgs, n, ret, e);
}

static int dnf_downgrade(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			 struct err *e)
{
	return rpm_transaction(false, "downgrade", pkgs, n, ret, e);
}

static int yum_install(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
		       struct err *e)
{
	return rpm_transaction(true, "install", pkgs, n, ret, e);
}

static int yum_downgrade(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			 struct err *e)
{
	return rpm_transaction(true, "downgrade", pkgs, n, ret, e);
}

/* dnf download (dnf-plugins-core) and EL7's yumdownloader (yum-utils)
 * write "name-version-release.arch.rpm" into --destdir. */
static int rpm_download(bool yum, const struct pkg_spec *p, const char *dir,
			struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_RPM, p, 1, e)) || (rc = pkg_path_check(dir, e)) ||
	    (rc = pkg_argv_begin(&a, e)))
		return rc;
	if (yum)
		rc = pkg_argv_add(a, "yumdownloader", e);
	else
		rc = pkg_argv_addv(a, e, "dnf", "download", NULL);
	if (!rc)
		rc = pkg_argv_addv(a, e, "--destdir", dir, "--", NULL);
	if (!rc)
		rc = add_nevra(a, p, e);
	return pkg_argv_end(a, rc, ret);
}

static int dnf_keep_current(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			    struct err *e)
{
	return rpm_download(false, p, dir, ret, e);
}

static int yum_keep_current(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			    struct err *e)
{
	return rpm_download(true, p, dir, ret, e);
}

/* Exit 1 when the kernel, glibc, systemd or another core package changed
 * since boot, 0 when not; dnf's own errors exit 1 too, which reads as
 * "reboot": the safe side. */
/* The systemd units of processes that use replaced files, one a line. */
static const char *const dnf_services[] = { "dnf", "needs-restarting", "--services", NULL };

static const char *const yum_services[] = { "needs-restarting", "-s", NULL };

static const char *const dnf_needs_reboot[] = { "dnf", "needs-restarting", "--reboothint", NULL };

static const char *const yum_needs_reboot[] = { "needs-restarting", "-r", NULL };

const struct pkg_backend pkg_backend_dnf = {
	.name = "dnf",
	.family = PKG_RPM,
	.reboot_yes = 1,
	.reboot_no = 0,
	.query_installed = pkg_rpm_query,
	.parse_installed = pkg_rpm_parse_installed,
	.lock_check = dnf_lock_check,
	.install = dnf_install,
	.downgrade = dnf_downgrade,
	.install_files = pkg_rpm_install_files,
	.keep_current = dnf_keep_current,
	.keep_repack = NULL,
	.needs_reboot = dnf_needs_reboot,
	.services_query = dnf_services,
	.services_prefix = "",
};

const struct pkg_backend pkg_backend_yum = {
	.name = "yum",
	.family = PKG_RPM,
	.reboot_yes = 1,
	.reboot_no = 0,
	.query_installed = pkg_rpm_query,
	.parse_installed = pkg_rpm_parse_installed,
	.lock_check = yum_lock_check,
	.install = yum_install,
	.downgrade = yum_downgrade,
	.install_files = pkg_rpm_install_files,
	.keep_current = yum_keep_current,
	.keep_repack = NULL,
	.needs_reboot = yum_needs_reboot,
	.services_query = yum_services,
	.services_prefix = "",
};
