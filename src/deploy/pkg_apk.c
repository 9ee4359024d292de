/*
 * The apk backend (Alpine). The argv are in docs/PACKAGE_MANAGERS.md with
 * the reasons for each option; this file only builds them and reads the
 * listing of `apk list --installed`.
 *
 * Not here: running anything, and deciding what to install.
 */
#include "deploy/pkg.h"

#include <string.h>

#include "base/show.h"

#define WHAT "apk list output"

static const char *const apk_query[] = { "apk", "list", "--installed", NULL };

/*
 * apk takes an flock(2) on /lib/apk/db/lock for as long as it changes the
 * system (and fails at once when another apk holds it), so flock(1) tests
 * exactly that; -n is the option BusyBox's flock and util-linux's share.
 * Exit 1 when held.
 */
static const char *const apk_lock_check[] = { "flock", "-n", "/lib/apk/db/lock", "true", NULL };

/*
 * "name=version" asks for exactly that version, older or newer; apk
 * records the constraint in /etc/apk/world, which then holds the package
 * at it (and adds a dependency installed only for another package to the
 * world): a later upgrade of it needs another `apk add`. Configuration
 * files changed on the host are kept, the package's saved as .apk-new.
 * The architecture is the system's: apk cannot choose another.
 */
static int apk_add(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_APK, pkgs, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "apk", "add", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = pkg_argv_addf(a, e, "%s=%s", pkgs[i].name, pkgs[i].version);
	return pkg_argv_end(a, rc, ret);
}

/* Signatures are checked: files from apk fetch carry the repository's,
 * so --allow-untrusted is not needed, and a file that fails the check is
 * not installed. */
static int apk_install_files(const char *const *paths, size_t n, struct pkg_argv *ret,
			     struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_paths_check(paths, n, e)) || (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "apk", "add", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = pkg_argv_add(a, paths[i], e);
	return pkg_argv_end(a, rc, ret);
}

/*
 * apk fetch selects by name only (apk-tools 2 does not read "name=version"
 * there) and takes the repository's newest, written as
 * dir/name-version.apk: the installed version only while the repository
 * still has no other. Alpine keeps one version per branch, so the runner
 * must look for exactly p's file before relying on it.
 */
static int apk_keep_current(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			    struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	if ((rc = pkg_specs_check(PKG_APK, p, 1, e)) || (rc = pkg_path_check(dir, e)) ||
	    (rc = pkg_argv_begin(&a, e)))
		return rc;
	rc = pkg_argv_addv(a, e, "apk", "fetch", "--output", dir, "--", p->name, NULL);
	return pkg_argv_end(a, rc, ret);
}

/*
 * Where "name-version" splits, as apk-tools' apk_pkg_parse_name(): at the
 * last '-' followed by a digit, with at most one other '-' after it (the
 * one of "-rN"). Returns the length of the name, or 0.
 */
static size_t apk_split(const char *s, size_t len)
{
	int dashes = 0;

	for (size_t i = len >= 2 ? len - 1 : 0; i-- > 0;) {
		if (s[i] != '-')
			continue;
		if (s[i + 1] >= '0' && s[i + 1] <= '9')
			return i;
		if (++dashes >= 2)
			return 0;
	}
	return 0;
}

/* A printable byte: the license is free text (spaces, parentheses,
 * UTF-8), but no control characters. */
static bool text_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* "name-version arch {origin} (license) [installed]" */
static int apk_line(const char *line, size_t n, size_t lineno, void *vctx, struct err *e)
{
	static const char tail[] = " [installed]";
	const size_t tl = sizeof(tail) - 1;
	const struct pkg_sink *c = vctx;
	const char *sp1, *sp2, *brace, *end;
	size_t body, nv_len, name_len, arch_len;
	char shown[SHOW_MAX];

	if (n < tl || memcmp(line + n - tl, tail, tl))
		return pkg_line_fail(e, WHAT, lineno, "'%s': does not end with \"%s\"",
				     show_bytes(shown, line, n), tail);
	body = n - tl;
	end = line + body;
	sp1 = memchr(line, ' ', body);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
	brace = sp2 && sp2[1] == '{' ? memchr(sp2 + 2, '}', (size_t)(end - sp2 - 2)) : NULL;
	if (!brace || end - brace < 4 || brace[1] != ' ' || brace[2] != '(' || end[-1] != ')' ||
	    !text_ok(brace + 3, (size_t)(end - brace - 4)))
		return pkg_line_fail(e, WHAT, lineno,
				     "'%s': not \"name-version arch {origin} (license) [installed]\"",
				     show_bytes(shown, line, n));
	if (!pkg_name_valid(PKG_APK, sp2 + 2, (size_t)(brace - sp2 - 2)))
		return pkg_line_fail(e, WHAT, lineno, "origin '%s': not a package name",
				     show_bytes(shown, sp2 + 2, (size_t)(brace - sp2 - 2)));
	nv_len = (size_t)(sp1 - line);
	arch_len = (size_t)(sp2 - sp1 - 1);
	name_len = apk_split(line, nv_len);
	if (!name_len)
		return pkg_line_fail(e, WHAT, lineno, "'%s': not name-version",
				     show_bytes(shown, line, nv_len));
	return pkg_report(PKG_APK, WHAT, lineno, line, name_len, sp1 + 1, arch_len,
			  line + name_len + 1, nv_len - name_len - 1, c->cb, c->ctx, e);
}

static int apk_parse_installed(const char *out, size_t len, pkg_spec_cb cb, void *ctx,
			       struct err *e)
{
	struct pkg_sink c = { cb, ctx };

	return pkg_each_line(out, len, WHAT, apk_line, &c, e);
}

/* Alpine has no record of a pending reboot: needs_reboot is NULL, and
 * hfx's prediction (core/reboot.h) stands. */
const struct pkg_backend pkg_backend_apk = {
	.name = "apk",
	.family = PKG_APK,
	.reboot_yes = -1,
	.reboot_no = -1,
	.query_installed = apk_query,
	.parse_installed = apk_parse_installed,
	.lock_check = apk_lock_check,
	.install = apk_add,
	.downgrade = apk_add,
	.install_files = apk_install_files,
	.keep_current = apk_keep_current,
	.keep_repack = NULL,
	.needs_reboot = NULL,
};
