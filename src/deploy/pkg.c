/*
 * What the package-manager backends share (see pkg.h): finding a backend
 * by ecosystem, OS or name, the bounded argv builder, the checks every
 * value passes before it enters an argv, and the line reader and
 * reporting of the listing parsers.
 *
 * Not here: any backend's commands (pkg_apt.c, pkg_dnf.c, pkg_zypper.c,
 * pkg_apk.c) and running them.
 */
#include "deploy/pkg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/show.h"
#include "core/version.h"

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* ---- Lookup ---- */

static const struct pkg_backend *const backends[] = {
	&pkg_backend_apt, &pkg_backend_dnf, &pkg_backend_yum, &pkg_backend_zypper,
	&pkg_backend_apk,
};

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/*
 * OSV ecosystem names (before the first ':') and os-release IDs. "el"
 * marks the Red Hat family whose releases 7 and older have yum, not dnf.
 * SUSE's transactional systems (MicroOS, SLE Micro) are left out: they
 * install with transactional-update, not zypper.
 */
static const struct {
	const char *prefix;
	const struct pkg_backend *backend;
	bool el;
} os_table[] = {
	{ "Debian", &pkg_backend_apt, false },
	{ "debian", &pkg_backend_apt, false },
	{ "Ubuntu", &pkg_backend_apt, false },
	{ "ubuntu", &pkg_backend_apt, false },
	{ "AlmaLinux", &pkg_backend_dnf, false },
	{ "almalinux", &pkg_backend_dnf, false },
	{ "Rocky Linux", &pkg_backend_dnf, false },
	{ "Rocky", &pkg_backend_dnf, false }, /* the short name osquery reports */
	{ "rocky", &pkg_backend_dnf, false },
	{ "fedora", &pkg_backend_dnf, false },
	{ "Red Hat", &pkg_backend_dnf, true },
	{ "rhel", &pkg_backend_dnf, true },
	{ "centos", &pkg_backend_dnf, true },
	{ "ol", &pkg_backend_dnf, true },
	{ "openSUSE", &pkg_backend_zypper, false },
	{ "opensuse-leap", &pkg_backend_zypper, false },
	{ "opensuse-tumbleweed", &pkg_backend_zypper, false },
	{ "SUSE", &pkg_backend_zypper, false },
	{ "sles", &pkg_backend_zypper, false },
	{ "sled", &pkg_backend_zypper, false },
	{ "Alpine", &pkg_backend_apk, false },
	{ "alpine", &pkg_backend_apk, false },
};

/*
 * The major release in what follows the name: the first ':'-separated
 * field that starts with a digit ("enterprise_linux:7::server" -> 7, but
 * not the 4 of "rhel_e4s:8.4" -> 8), or -1.
 */
static long major_release(const char *rest)
{
	while (*rest == ':') {
		size_t d = strspn(++rest, DIGITS);

		if (d > 0 && d <= 5)
			return strtol(rest, NULL, 10);
		rest += strcspn(rest, ":");
	}
	return -1;
}

const struct pkg_backend *pkg_backend_for(const char *ecosystem_or_os)
{
	size_t n;

	if (!ecosystem_or_os)
		return NULL;
	n = strcspn(ecosystem_or_os, ":");
	for (size_t i = 0; i < sizeof(os_table) / sizeof(os_table[0]); i++) {
		long major;

		if (strlen(os_table[i].prefix) != n ||
		    memcmp(os_table[i].prefix, ecosystem_or_os, n) != 0)
			continue;
		major = major_release(ecosystem_or_os + n);
		if (os_table[i].el && major >= 0 && major <= 7)
			return &pkg_backend_yum;
		return os_table[i].backend;
	}
	return NULL;
}

const struct pkg_backend *pkg_backend_named(const char *name)
{
	for (size_t i = 0; name && i < NBACKENDS; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

enum pkg_reboot pkg_reboot_from_status(const struct pkg_backend *b, int status)
{
	if (!b->needs_reboot)
		return PKG_REBOOT_UNKNOWN;
	if (status == b->reboot_yes)
		return PKG_REBOOT_YES;
	if (status == b->reboot_no)
		return PKG_REBOOT_NO;
	return PKG_REBOOT_UNKNOWN;
}

/* ---- Checks ---- */

/* True when every byte of s[0..len) is in allowed (a NUL never is). */
static bool only(const char *s, size_t len, const char *allowed)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || !strchr(allowed, s[i]))
			return false;
	return true;
}

static bool starts_with_one_of(const char *s, size_t len, const char *set)
{
	return len > 0 && s[0] != '\0' && strchr(set, s[0]);
}

bool pkg_name_valid(enum pkg_family f, const char *s, size_t len)
{
	if (len == 0 || len > PKG_NAME_MAX)
		return false;
	if (f == PKG_DEB) /* Debian Policy 5.6.1 */
		return len >= 2 && starts_with_one_of(s, len, LOWER DIGITS) &&
		       only(s, len, LOWER DIGITS "+.-");
	return s[0] != '-' && only(s, len, LOWER UPPER DIGITS "._+-");
}

bool pkg_arch_valid(enum pkg_family f, const char *s, size_t len)
{
	if (len == 0 || len > PKG_ARCH_MAX)
		return false;
	if (f == PKG_DEB) /* dpkg-architecture names: amd64, all, hurd-i386 */
		return starts_with_one_of(s, len, LOWER DIGITS) && only(s, len, LOWER DIGITS "-");
	return only(s, len, LOWER UPPER DIGITS "_");
}

/* "[epoch:]version-release": what rpm -qa prints, and what dnf's NEVRA
 * and zypper's "name=edition" take. */
static bool rpm_evr_valid(const char *s, size_t len)
{
	size_t d = 0, dash;
	const char *rest;

	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d > 0 && d < len && s[d] == ':') {
		if (d > 10)
			return false;
		s += d + 1;
		len -= d + 1;
	}
	rest = memchr(s, '-', len);
	if (!rest)
		return false;
	dash = (size_t)(rest - s);
	return dash > 0 && dash + 1 < len &&
	       only(s, dash, LOWER UPPER DIGITS "._+~^") &&
	       only(rest + 1, len - dash - 1, LOWER UPPER DIGITS "._+~^");
}

bool pkg_version_valid(enum pkg_family f, const char *s, size_t len)
{
	if (len == 0 || len > PKG_VERSION_MAX)
		return false;
	switch (f) {
	case PKG_DEB:
		return deb_version_valid(s, len, NULL);
	case PKG_RPM:
		return rpm_evr_valid(s, len);
	case PKG_APK:
		return apk_version_valid(s, len);
	}
	return false;
}

static const char *name_rule(enum pkg_family f)
{
	if (f == PKG_DEB)
		return "not a Debian package name (2 to 255 of a-z 0-9 + - ., "
		       "starting with a letter or digit)";
	return f == PKG_RPM ? "not an rpm package name (up to 255 of A-Z a-z 0-9 . _ + -, "
			      "not starting with '-')" :
			      "not an apk package name (up to 255 of A-Z a-z 0-9 . _ + -, "
			      "not starting with '-')";
}

static const char *arch_rule(enum pkg_family f)
{
	return f == PKG_DEB ? "not a Debian architecture (up to 32 of a-z 0-9 -, "
			      "starting with a letter or digit)" :
			      "not an architecture (up to 32 of A-Z a-z 0-9 _)";
}

static const char *version_rule(enum pkg_family f, const char *s, size_t len)
{
	const char *reason = "invalid";

	if (len > PKG_VERSION_MAX)
		return "longer than 255 bytes";
	switch (f) {
	case PKG_DEB:
		deb_version_valid(s, len, &reason);
		return reason;
	case PKG_RPM:
		return "not an rpm [epoch:]version-release (version and release of "
		       "A-Z a-z 0-9 . _ + ~ ^, neither empty)";
	case PKG_APK:
		return "not an apk version (digits{.digits}[letter]{_suffix}[~hash][-rN])";
	}
	return reason;
}

int pkg_spec_check(enum pkg_family f, const struct pkg_spec *p, struct err *e)
{
	char shown[SHOW_MAX], shown2[SHOW_MAX];
	size_t nl, al, vl;

	if (!p || !p->name)
		return err_set(e, ERR_INPUT, "package name missing");
	nl = strlen(p->name);
	if (!pkg_name_valid(f, p->name, nl))
		return err_set(e, ERR_INPUT, "package name '%s': %s",
			       show_bytes(shown, p->name, nl), name_rule(f));
	show_bytes(shown, p->name, nl);
	al = p->arch ? strlen(p->arch) : 0;
	if (al && !pkg_arch_valid(f, p->arch, al))
		return err_set(e, ERR_INPUT, "package '%s': architecture '%s': %s", shown,
			       show_bytes(shown2, p->arch, al), arch_rule(f));
	if (!p->version)
		return err_set(e, ERR_INPUT, "package '%s': version missing", shown);
	vl = strlen(p->version);
	if (!pkg_version_valid(f, p->version, vl))
		return err_set(e, ERR_INPUT, "package '%s': version '%s': %s", shown,
			       show_bytes(shown2, p->version, vl), version_rule(f, p->version, vl));
	return 0;
}

int pkg_specs_check(enum pkg_family f, const struct pkg_spec *pkgs, size_t n, struct err *e)
{
	int rc;

	if (n == 0 || !pkgs)
		return err_set(e, ERR_INPUT, "no packages given");
	for (size_t i = 0; i < n; i++)
		if ((rc = pkg_spec_check(f, &pkgs[i], e)))
			return rc;
	return 0;
}

int pkg_path_check(const char *path, struct err *e)
{
	char shown[SHOW_MAX];
	size_t len;

	if (!path)
		return err_set(e, ERR_INPUT, "path missing");
	len = strnlen(path, PKG_PATH_MAX + 1);
	show_bytes(shown, path, len);
	if (len > PKG_PATH_MAX)
		return err_set(e, ERR_INPUT, "path '%s': longer than %d bytes", shown,
			       PKG_PATH_MAX);
	if (path[0] != '/')
		return err_set(e, ERR_INPUT, "path '%s': not absolute", shown);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f)
			return err_set(e, ERR_INPUT, "path '%s': holds a control character",
				       shown);
	return 0;
}

int pkg_paths_check(const char *const *paths, size_t n, struct err *e)
{
	int rc;

	if (n == 0 || !paths)
		return err_set(e, ERR_INPUT, "no package files given");
	for (size_t i = 0; i < n; i++)
		if ((rc = pkg_path_check(paths[i], e)))
			return rc;
	return 0;
}

/* ---- The argv builder ---- */

void pkg_argv_release(struct pkg_argv *a)
{
	if (!a)
		return;
	free(a->storage);
	a->storage = NULL;
	a->used = 0;
	for (int i = 0; i <= a->argc && i <= PKG_ARGV_MAX; i++)
		a->argv[i] = NULL;
	a->argc = 0;
}

int pkg_argv_begin(struct pkg_argv **ret, struct err *e)
{
	struct pkg_argv *a = calloc(1, sizeof(*a));

	if (a)
		a->storage = malloc(PKG_ARGV_BYTES);
	if (!a || !a->storage) {
		free(a);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	*ret = a;
	return 0;
}

static int too_many(struct err *e)
{
	return err_set(e, ERR_NOMEM, "more than %d arguments: split the batch", PKG_ARGV_MAX);
}

static int too_long(struct err *e)
{
	return err_set(e, ERR_NOMEM, "arguments longer than %u bytes: split the batch",
		       PKG_ARGV_BYTES);
}

int pkg_argv_add(struct pkg_argv *a, const char *s, struct err *e)
{
	size_t len = strlen(s);

	if (a->argc >= PKG_ARGV_MAX)
		return too_many(e);
	if (len >= PKG_ARGV_BYTES - a->used)
		return too_long(e);
	memcpy(a->storage + a->used, s, len + 1);
	a->argv[a->argc++] = a->storage + a->used;
	a->argv[a->argc] = NULL;
	a->used += len + 1;
	return 0;
}

int pkg_argv_addv(struct pkg_argv *a, struct err *e, ...)
{
	const char *s;
	va_list ap;
	int rc = 0;

	va_start(ap, e);
	while (!rc && (s = va_arg(ap, const char *)))
		rc = pkg_argv_add(a, s, e);
	va_end(ap);
	return rc;
}

int pkg_argv_addf(struct pkg_argv *a, struct err *e, const char *fmt, ...)
{
	size_t room = PKG_ARGV_BYTES - a->used;
	va_list ap;
	int n;

	if (a->argc >= PKG_ARGV_MAX)
		return too_many(e);
	va_start(ap, fmt);
	n = vsnprintf(a->storage + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err_set(e, ERR_INPUT, "cannot format an argument");
	if ((size_t)n >= room)
		return too_long(e);
	a->argv[a->argc++] = a->storage + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)n + 1;
	return 0;
}

int pkg_argv_end(struct pkg_argv *a, int rc, struct pkg_argv *ret)
{
	if (!a)
		return rc;
	if (rc)
		free(a->storage);
	else
		memcpy(ret, a, sizeof(*a));
	free(a);
	return rc;
}

int pkg_argv_fixed(const char *const *words, struct pkg_argv *ret, struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc = pkg_argv_begin(&a, e);

	for (size_t i = 0; !rc && words[i]; i++)
		rc = pkg_argv_add(a, words[i], e);
	return pkg_argv_end(a, rc, ret);
}

/* ---- Reading listings ---- */

int pkg_line_fail(struct err *e, const char *what, size_t lineno, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "%s: line %zu: %s", what, lineno, msg);
}

int pkg_each_line(const char *out, size_t len, const char *what, pkg_line_fn fn, void *ctx,
		  struct err *e)
{
	size_t pos = 0, lineno = 1;
	int rc;

	if (len > PKG_OUTPUT_MAX)
		return err_set(e, ERR_NOMEM, "%s: longer than %u bytes", what, PKG_OUTPUT_MAX);
	for (; pos < len; lineno++) {
		const char *nl = memchr(out + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (out + pos)) : len - pos;

		if (n > PKG_LINE_MAX)
			return pkg_line_fail(e, what, lineno, "longer than %d bytes", PKG_LINE_MAX);
		/* The tools end every line: a last one without '\n' was cut short. */
		if (!nl)
			return pkg_line_fail(e, what, lineno, "no line end (output cut short?)");
		if ((rc = fn(out + pos, n, lineno, ctx, e)))
			return rc;
		pos += n + 1;
	}
	return 0;
}

int pkg_report(enum pkg_family f, const char *what, size_t lineno, const char *name,
	       size_t name_len, const char *arch, size_t arch_len, const char *version,
	       size_t version_len, pkg_spec_cb cb, void *ctx, struct err *e)
{
	char n[PKG_NAME_MAX + 1], a[PKG_ARCH_MAX + 1], v[PKG_VERSION_MAX + 1];
	char shown[SHOW_MAX], shown2[SHOW_MAX];
	struct pkg_spec spec = { n, a, v };

	if (!pkg_name_valid(f, name, name_len))
		return pkg_line_fail(e, what, lineno, "package name '%s': %s",
				     show_bytes(shown, name, name_len), name_rule(f));
	show_bytes(shown, name, name_len);
	if (!pkg_arch_valid(f, arch, arch_len))
		return pkg_line_fail(e, what, lineno, "package '%s': architecture '%s': %s", shown,
				     show_bytes(shown2, arch, arch_len), arch_rule(f));
	if (!pkg_version_valid(f, version, version_len))
		return pkg_line_fail(e, what, lineno, "package '%s': version '%s': %s", shown,
				     show_bytes(shown2, version, version_len),
				     version_rule(f, version, version_len));
	memcpy(n, name, name_len);
	n[name_len] = '\0';
	memcpy(a, arch, arch_len);
	a[arch_len] = '\0';
	memcpy(v, version, version_len);
	v[version_len] = '\0';
	return cb(&spec, ctx, e);
}

/* ---- Services ---- */

bool pkg_unit_valid(const char *s, size_t len)
{
	return len && len <= PKG_UNIT_MAX && s[0] != '-' &&
	       only(s, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_.@-");
}

struct unit_lines {
	const char *prefix, *what;
	pkg_unit_cb cb;
	void *ctx;
};

static int unit_line(const char *line, size_t n, size_t lineno, void *vctx, struct err *e)
{
	const struct unit_lines *u = vctx;
	size_t pl = strlen(u->prefix);
	char unit[PKG_UNIT_MAX + 1], shown[SHOW_MAX];

	if (n < pl || memcmp(line, u->prefix, pl))
		return 0;
	line += pl;
	n -= pl;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
		n--;
	if (!n)
		return 0;
	if (!pkg_unit_valid(line, n))
		return pkg_line_fail(e, u->what, lineno, "'%s': not a unit name",
				     show_bytes(shown, line, n));
	memcpy(unit, line, n);
	unit[n] = '\0';
	return u->cb(unit, u->ctx, e);
}

int pkg_parse_services(const struct pkg_backend *b, const char *out, size_t len,
		       pkg_unit_cb cb, void *ctx, struct err *e)
{
	char what[64];
	struct unit_lines u = { b->services_prefix ? b->services_prefix : "", what, cb, ctx };

	snprintf(what, sizeof(what), "%s services output", b->name);
	return pkg_each_line(out, len, what, unit_line, &u, e);
}

int pkg_restart_units(const char *const *units, size_t n, struct pkg_argv *ret,
		      struct err *e)
{
	struct pkg_argv *a = NULL;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (!pkg_unit_valid(units[i], strlen(units[i])))
			return err_set(e, ERR_INPUT, "unit '%.300s': not a unit name", units[i]);
	if (!n)
		return err_set(e, ERR_INPUT, "no unit to restart");
	rc = pkg_argv_begin(&a, e);
	if (!rc)
		rc = pkg_argv_addv(a, e, "systemctl", "try-restart", "--", NULL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = pkg_argv_add(a, units[i], e);
	return pkg_argv_end(a, rc, ret);
}
