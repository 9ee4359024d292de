/*
 * Unit tests for the package-manager backends (src/deploy/pkg*.c).
 *
 * Golden argv: for every backend and operation, the exact argv, entry by
 * entry, as docs/PACKAGE_MANAGERS.md lists it. Validation: every kind of
 * bad name, architecture, version and path is refused with ERR_INPUT
 * naming the value, with the output untouched; the argv limits hold at
 * their edges. Listings: dpkg-query, rpm and apk outputs written here,
 * parsed from heap copies of exactly their length (AddressSanitizer
 * catches a read past the end), and every kind of broken line refused
 * with its line number.
 *
 * Real tools, where harmless (each skipped with a message when the tool
 * is missing, or needs root and we are not): dpkg-query's real listing
 * of this machine; apt-get's install and downgrade argv simulated (-s)
 * and its download argv with --print-uris; apt-get check against a
 * private dpkg directory, free and then locked by this process; dpkg
 * installing and downgrading two kept .deb files into a private root;
 * rpm's listing and its install of kept files on a private rpmdb; the
 * reboot check. The runner's additions to an argv (-s, --root=...,
 * --dbpath ...) are inserted right after the program; everything else is
 * the backend's argv as built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "base/buf.h"
#include "base/proc.h"
#include "deploy/pkg.h"

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static struct pkg_argv argv_buf; /* 32 KiB: not on the stack */

static const struct pkg_backend *backend(const char *name)
{
	const struct pkg_backend *b = pkg_backend_named(name);

	assert_non_null(b);
	assert_string_equal(b->name, name);
	return b;
}

static void assert_argv(const struct pkg_argv *a, const char *const *want)
{
	int n = 0;

	while (want[n])
		n++;
	for (int i = 0; i < n && i < a->argc; i++)
		if (strcmp(a->argv[i], want[i]))
			fail_msg("argv[%d]: got '%s', want '%s'", i, a->argv[i], want[i]);
	assert_int_equal(a->argc, n);
	assert_null(a->argv[a->argc]);
}

/* Checks a builder's result against want and releases it. */
static void golden(int rc, const struct err *e, const char *const *want)
{
	if (rc)
		fail_msg("builder failed: %s", e->msg);
	assert_argv(&argv_buf, want);
	pkg_argv_release(&argv_buf);
	assert_int_equal(argv_buf.argc, 0);
	assert_null(argv_buf.argv[0]);
	assert_null(argv_buf.storage);
}

/* ---- Golden argv ---- */

static void test_apt_argv(void **state)
{
	const struct pkg_backend *b = backend("apt");
	const struct pkg_spec pkgs[] = {
		{ "openssl", "amd64", "3.0.15-1~deb12u1" },
		{ "libc6", NULL, "2.36-9+deb12u9" },
		{ "bind9", "amd64", "1:9.18.33-1~deb12u2" },
		{ "tzdata", "", "2025b-0+deb12u2" },
	};
	const char *const files[] = { "/var/lib/hfx/keep/openssl_3.0.11-1~deb12u2_amd64.deb",
				      "/var/lib/hfx/keep/bind9_1%3a9.18.28-1~deb12u2_amd64.deb" };
	struct err e = { "" };

	(void)state;
	assert_int_equal(b->family, PKG_DEB);
	golden(pkg_argv_fixed(b->query_installed, &argv_buf, &e), &e,
	       ARGV("dpkg-query", "--show",
		    "--showformat=${Package}\\t${Architecture}\\t${Version}\\t"
		    "${db:Status-Abbrev}\\n"));
	golden(pkg_argv_fixed(b->lock_check, &argv_buf, &e), &e, ARGV("apt-get", "-q", "check"));
	golden(b->install(pkgs, 4, &argv_buf, &e), &e,
	       ARGV("env", "DEBIAN_FRONTEND=noninteractive", "NEEDRESTART_MODE=l", "apt-get", "-y",
		    "-q", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
		    "-o", "Dpkg::Options::=--force-confdef", "-o",
		    "Dpkg::Options::=--force-confold", "--no-install-recommends", "--no-remove",
		    "install", "--", "openssl:amd64=3.0.15-1~deb12u1", "libc6=2.36-9+deb12u9",
		    "bind9:amd64=1:9.18.33-1~deb12u2", "tzdata=2025b-0+deb12u2"));
	golden(b->downgrade(pkgs, 2, &argv_buf, &e), &e,
	       ARGV("env", "DEBIAN_FRONTEND=noninteractive", "NEEDRESTART_MODE=l", "apt-get", "-y",
		    "-q", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
		    "-o", "Dpkg::Options::=--force-confdef", "-o",
		    "Dpkg::Options::=--force-confold", "--no-install-recommends", "--no-remove",
		    "--allow-downgrades", "install", "--", "openssl:amd64=3.0.15-1~deb12u1",
		    "libc6=2.36-9+deb12u9"));
	golden(b->install_files(files, 2, &argv_buf, &e), &e,
	       ARGV("env", "DEBIAN_FRONTEND=noninteractive", "NEEDRESTART_MODE=l", "dpkg",
		    "--force-confdef", "--force-confold", "--install", "--", files[0], files[1]));
	golden(b->keep_current(&pkgs[2], "/var/lib/hfx/keep", &argv_buf, &e), &e,
	       ARGV("env", "--chdir=/var/lib/hfx/keep", "apt-get", "-q", "-o",
		    "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=", "download", "--",
		    "bind9:amd64=1:9.18.33-1~deb12u2"));
	golden(b->keep_current(&pkgs[1], "/k", &argv_buf, &e), &e,
	       ARGV("env", "--chdir=/k", "apt-get", "-q", "-o",
		    "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=", "download", "--", "libc6=2.36-9+deb12u9"));
	assert_non_null(b->keep_repack);
	golden(b->keep_repack(&pkgs[0], "/var/lib/hfx/keep", &argv_buf, &e), &e,
	       ARGV("env", "--chdir=/var/lib/hfx/keep", "dpkg-repack", "--", "openssl:amd64"));
	golden(b->keep_repack(&pkgs[1], "/k", &argv_buf, &e), &e,
	       ARGV("env", "--chdir=/k", "dpkg-repack", "--", "libc6"));
	golden(pkg_argv_fixed(b->needs_reboot, &argv_buf, &e), &e,
	       ARGV("test", "-e", "/var/run/reboot-required"));
	assert_int_equal(pkg_reboot_from_status(b, 0), PKG_REBOOT_YES);
	assert_int_equal(pkg_reboot_from_status(b, 1), PKG_REBOOT_NO);
	assert_int_equal(pkg_reboot_from_status(b, 2), PKG_REBOOT_UNKNOWN);
	assert_int_equal(pkg_reboot_from_status(b, 127), PKG_REBOOT_UNKNOWN);
}

#define RPM_QUERY                                                                         \
	"rpm", "--query", "--all", "--queryformat",                                       \
		"%{NAME}\\t%{ARCH}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\n"
#define RPM_FILES "rpm", "--upgrade", "--verbose", "--oldpackage", "--replacepkgs", "--"

static const struct pkg_spec rpm_pkgs[] = {
	{ "openssl-libs", "x86_64", "1:3.0.7-27.el9" },
	{ "kernel", NULL, "5.14.0-427.13.1.el9_4" },
	{ "python3.11", "noarch", "3.11.5-1.el9_3" },
};
static const char *const rpm_files[] = { "/var/lib/hfx/keep/openssl-libs-3.0.7-25.el9.x86_64.rpm" };

static void test_dnf_argv(void **state)
{
	const struct pkg_backend *b = backend("dnf");
	struct err e = { "" };

	(void)state;
	assert_int_equal(b->family, PKG_RPM);
	golden(pkg_argv_fixed(b->query_installed, &argv_buf, &e), &e, ARGV(RPM_QUERY));
	golden(pkg_argv_fixed(b->lock_check, &argv_buf, &e), &e,
	       ARGV("test", "!", "-s", "/var/lib/dnf/rpmdb_lock.pid"));
	golden(b->install(rpm_pkgs, 3, &argv_buf, &e), &e,
	       ARGV("dnf", "-y", "--setopt=install_weak_deps=False", "install", "--",
		    "openssl-libs-1:3.0.7-27.el9.x86_64", "kernel-5.14.0-427.13.1.el9_4",
		    "python3.11-3.11.5-1.el9_3.noarch"));
	golden(b->downgrade(rpm_pkgs, 1, &argv_buf, &e), &e,
	       ARGV("dnf", "-y", "--setopt=install_weak_deps=False", "downgrade", "--",
		    "openssl-libs-1:3.0.7-27.el9.x86_64"));
	golden(b->install_files(rpm_files, 1, &argv_buf, &e), &e, ARGV(RPM_FILES, rpm_files[0]));
	golden(b->keep_current(&rpm_pkgs[0], "/var/lib/hfx/keep", &argv_buf, &e), &e,
	       ARGV("dnf", "download", "--destdir", "/var/lib/hfx/keep", "--",
		    "openssl-libs-1:3.0.7-27.el9.x86_64"));
	assert_null(b->keep_repack);
	golden(pkg_argv_fixed(b->needs_reboot, &argv_buf, &e), &e,
	       ARGV("dnf", "needs-restarting", "--reboothint"));
	assert_int_equal(pkg_reboot_from_status(b, 1), PKG_REBOOT_YES);
	assert_int_equal(pkg_reboot_from_status(b, 0), PKG_REBOOT_NO);
	assert_int_equal(pkg_reboot_from_status(b, 127), PKG_REBOOT_UNKNOWN);
}

static void test_yum_argv(void **state)
{
	const struct pkg_backend *b = backend("yum");
	struct err e = { "" };

	(void)state;
	assert_int_equal(b->family, PKG_RPM);
	golden(pkg_argv_fixed(b->query_installed, &argv_buf, &e), &e, ARGV(RPM_QUERY));
	golden(pkg_argv_fixed(b->lock_check, &argv_buf, &e), &e,
	       ARGV("test", "!", "-s", "/var/run/yum.pid"));
	golden(b->install(rpm_pkgs, 2, &argv_buf, &e), &e,
	       ARGV("yum", "-y", "install", "--", "openssl-libs-1:3.0.7-27.el9.x86_64",
		    "kernel-5.14.0-427.13.1.el9_4"));
	golden(b->downgrade(&rpm_pkgs[1], 1, &argv_buf, &e), &e,
	       ARGV("yum", "-y", "downgrade", "--", "kernel-5.14.0-427.13.1.el9_4"));
	golden(b->install_files(rpm_files, 1, &argv_buf, &e), &e, ARGV(RPM_FILES, rpm_files[0]));
	golden(b->keep_current(&rpm_pkgs[2], "/k", &argv_buf, &e), &e,
	       ARGV("yumdownloader", "--destdir", "/k", "--", "python3.11-3.11.5-1.el9_3.noarch"));
	assert_null(b->keep_repack);
	golden(pkg_argv_fixed(b->needs_reboot, &argv_buf, &e), &e, ARGV("needs-restarting", "-r"));
	assert_int_equal(pkg_reboot_from_status(b, 1), PKG_REBOOT_YES);
	assert_int_equal(pkg_reboot_from_status(b, 0), PKG_REBOOT_NO);
}

static void test_zypper_argv(void **state)
{
	const struct pkg_backend *b = backend("zypper");
	const struct pkg_spec pkgs[] = {
		{ "libopenssl3", "x86_64", "3.1.4-150600.5.15.1" },
		{ "vim", NULL, "9.1.0836-150500.20.15.1" },
		{ "shadow", "x86_64", "2:4.8.1-150400.10.18.1" },
	};
	struct err e = { "" };

	(void)state;
	assert_int_equal(b->family, PKG_RPM);
	golden(pkg_argv_fixed(b->query_installed, &argv_buf, &e), &e, ARGV(RPM_QUERY));
	golden(pkg_argv_fixed(b->lock_check, &argv_buf, &e), &e,
	       ARGV("test", "!", "-s", "/var/run/zypp.pid"));
	golden(b->install(pkgs, 3, &argv_buf, &e), &e,
	       ARGV("zypper", "--non-interactive", "install", "--no-recommends", "--",
		    "libopenssl3.x86_64=3.1.4-150600.5.15.1", "vim=9.1.0836-150500.20.15.1",
		    "shadow.x86_64=2:4.8.1-150400.10.18.1"));
	golden(b->downgrade(pkgs, 2, &argv_buf, &e), &e,
	       ARGV("zypper", "--non-interactive", "install", "--no-recommends", "--oldpackage",
		    "--", "libopenssl3.x86_64=3.1.4-150600.5.15.1", "vim=9.1.0836-150500.20.15.1"));
	golden(b->install_files(rpm_files, 1, &argv_buf, &e), &e, ARGV(RPM_FILES, rpm_files[0]));
	golden(b->keep_current(&pkgs[0], "/var/lib/hfx/keep", &argv_buf, &e), &e,
	       ARGV("zypper", "--non-interactive", "--pkg-cache-dir", "/var/lib/hfx/keep",
		    "download", "--", "libopenssl3.x86_64=3.1.4-150600.5.15.1"));
	assert_null(b->keep_repack);
	golden(pkg_argv_fixed(b->needs_reboot, &argv_buf, &e), &e,
	       ARGV("zypper", "needs-rebooting"));
	assert_int_equal(pkg_reboot_from_status(b, 102), PKG_REBOOT_YES);
	assert_int_equal(pkg_reboot_from_status(b, 0), PKG_REBOOT_NO);
	assert_int_equal(pkg_reboot_from_status(b, 1), PKG_REBOOT_UNKNOWN);
}

static void test_apk_argv(void **state)
{
	const struct pkg_backend *b = backend("apk");
	const struct pkg_spec pkgs[] = {
		{ "openssl", "x86_64", "3.3.2-r1" },
		{ "musl", NULL, "1.2.5-r1" },
		{ "py3-cryptography", "", "42.0.8-r0" },
	};
	const char *const files[] = { "/var/lib/hfx/keep/openssl-3.3.1-r3.apk" };
	struct err e = { "" };

	(void)state;
	assert_int_equal(b->family, PKG_APK);
	golden(pkg_argv_fixed(b->query_installed, &argv_buf, &e), &e,
	       ARGV("apk", "list", "--installed"));
	golden(pkg_argv_fixed(b->lock_check, &argv_buf, &e), &e,
	       ARGV("flock", "-n", "/lib/apk/db/lock", "true"));
	/* The architecture is checked, and left out. */
	golden(b->install(pkgs, 3, &argv_buf, &e), &e,
	       ARGV("apk", "add", "--", "openssl=3.3.2-r1", "musl=1.2.5-r1",
		    "py3-cryptography=42.0.8-r0"));
	golden(b->downgrade(pkgs, 1, &argv_buf, &e), &e,
	       ARGV("apk", "add", "--", "openssl=3.3.2-r1"));
	golden(b->install_files(files, 1, &argv_buf, &e), &e, ARGV("apk", "add", "--", files[0]));
	golden(b->keep_current(&pkgs[0], "/var/lib/hfx/keep", &argv_buf, &e), &e,
	       ARGV("apk", "fetch", "--output", "/var/lib/hfx/keep", "--", "openssl"));
	assert_null(b->keep_repack);
	assert_null(b->needs_reboot);
	assert_int_equal(pkg_reboot_from_status(b, 0), PKG_REBOOT_UNKNOWN);
	assert_int_equal(pkg_reboot_from_status(b, 1), PKG_REBOOT_UNKNOWN);
}

/* ---- Lookup ---- */

static void test_lookup(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Debian:12", "apt" },
		{ "Debian", "apt" },
		{ "Ubuntu:22.04:LTS", "apt" },
		{ "debian", "apt" },
		{ "ubuntu:24.04", "apt" },
		{ "AlmaLinux:9", "dnf" },
		{ "almalinux:8.10", "dnf" },
		{ "Rocky Linux:9", "dnf" },
		{ "Rocky", "dnf" },
		{ "rocky:9.4", "dnf" },
		{ "fedora:40", "dnf" },
		{ "Red Hat", "dnf" },
		{ "Red Hat:enterprise_linux:9::appstream", "dnf" },
		{ "Red Hat:enterprise_linux:8::baseos", "dnf" },
		{ "Red Hat:enterprise_linux:7::server", "yum" },
		{ "Red Hat:enterprise_linux:6::server", "yum" },
		/* The 4 of e4s is not the release. */
		{ "Red Hat:rhel_e4s:8.4::appstream", "dnf" },
		{ "rhel:7.9", "yum" },
		{ "rhel:9.3", "dnf" },
		{ "rhel", "dnf" },
		{ "centos:7", "yum" },
		{ "centos:8", "dnf" },
		{ "ol:7.9", "yum" },
		{ "ol:10", "dnf" },
		{ "openSUSE:Leap 15.5", "zypper" },
		{ "openSUSE:Tumbleweed", "zypper" },
		{ "opensuse-leap:15.6", "zypper" },
		{ "SUSE:Linux Enterprise Server 15 SP5", "zypper" },
		{ "sles:15.5", "zypper" },
		{ "Alpine:v3.19", "apk" },
		{ "alpine:3.20.1", "apk" },
		/* Exact names only. */
		{ "debian12", NULL },
		{ "DEBIAN:12", NULL },
		{ "Debian 12", NULL },
		{ " Debian:12", NULL },
		{ "Red Hat Enterprise Linux", NULL },
		{ "rhel9", NULL },
		{ "opensuse-microos", NULL },
		{ "Wolfi", NULL },
		{ "npm", NULL },
		{ "", NULL },
		{ ":12", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pkg_backend *b = pkg_backend_for(cases[i].in);

		if (!cases[i].want && b)
			fail_msg("'%s': got %s, want none", cases[i].in, b->name);
		if (cases[i].want && (!b || strcmp(b->name, cases[i].want)))
			fail_msg("'%s': got %s, want %s", cases[i].in, b ? b->name : "none",
				 cases[i].want);
	}
	assert_null(pkg_backend_for(NULL));
	assert_null(pkg_backend_named("rpm"));
	assert_null(pkg_backend_named("APT"));
	assert_null(pkg_backend_named(""));
	assert_null(pkg_backend_named(NULL));
	assert_string_equal(pkg_backend_named("zypper")->name, "zypper");
}

/* ---- Validation ---- */

struct bad_spec {
	const char *name, *arch, *version;
	const char *needle; /* must appear in the message */
};

static char long_name[PKG_NAME_MAX + 2], long_version[PKG_VERSION_MAX + 2];
static char long_arch[PKG_ARCH_MAX + 2], long_path[PKG_PATH_MAX + 2];

static void fill(char *s, size_t n, char c)
{
	memset(s, c, n - 1);
	s[n - 1] = '\0';
}

/* Every builder of b that takes specs refuses s, leaving ret untouched. */
static void assert_refused(const struct pkg_backend *b, const struct bad_spec *s)
{
	static struct pkg_argv sentinel;
	const struct pkg_spec spec = { s->name, s->arch, s->version };
	const struct pkg_spec two[] = { { "zlib1g", NULL, "1:1.2.13.dfsg-1" }, spec };
	int (*const list_ops[])(const struct pkg_spec *, size_t, struct pkg_argv *,
				struct err *) = { b->install, b->downgrade };
	int (*const one_ops[])(const struct pkg_spec *, const char *, struct pkg_argv *,
			       struct err *) = { b->keep_current, b->keep_repack };

	memset(&sentinel, 0xa5, sizeof(sentinel));
	for (size_t k = 0; k < 4; k++) {
		struct err e = { "" };
		int rc;

		memcpy(&argv_buf, &sentinel, sizeof(sentinel));
		if (k < 2) /* the bad spec second: the whole list is checked */
			rc = list_ops[k](b->family == PKG_DEB ? two : &spec,
					 b->family == PKG_DEB ? 2 : 1, &argv_buf, &e);
		else if (one_ops[k - 2])
			rc = one_ops[k - 2](&spec, "/var/lib/hfx/keep", &argv_buf, &e);
		else
			continue;
		if (rc != ERR_INPUT)
			fail_msg("%s op %zu: '%s' '%s' '%s' accepted (%d)", b->name, k,
				 s->name ? s->name : "(null)", s->arch ? s->arch : "(null)",
				 s->version ? s->version : "(null)", rc);
		if (!strstr(e.msg, s->needle))
			fail_msg("%s op %zu: message '%s' lacks '%s'", b->name, k, e.msg, s->needle);
		assert_memory_equal(&argv_buf, &sentinel, sizeof(sentinel));
	}
	memset(&argv_buf, 0, sizeof(argv_buf));
}

static void test_bad_deb(void **state)
{
	const struct bad_spec bad[] = {
		{ "open ssl", NULL, "1.0-1", "package name 'open ssl': not a Debian package name" },
		{ "openssl;reboot", NULL, "1.0-1", "package name 'openssl;reboot'" },
		{ "$(reboot)", NULL, "1.0-1", "package name '$(reboot)'" },
		{ "`id`", NULL, "1.0-1", "package name '`id`'" },
		{ "-oAPT::Get::Trivial-Only=1", NULL, "1.0-1", "package name '-oAPT" },
		{ "--allow-unauthenticated", NULL, "1.0-1", "package name '--allow" },
		{ "openssl\n", NULL, "1.0-1", "package name 'openssl\\x0a'" },
		{ "OpenSSL", NULL, "1.0-1", "package name 'OpenSSL'" },
		{ "a", NULL, "1.0-1", "package name 'a'" },
		{ "", NULL, "1.0-1", "package name ''" },
		{ NULL, NULL, "1.0-1", "package name missing" },
		{ "lib_foo", NULL, "1.0-1", "package name 'lib_foo'" },
		{ long_name, NULL, "1.0-1", "package name 'aaaa" },
		{ "openssl", "amd 64", "1.0-1", "package 'openssl': architecture 'amd 64'" },
		{ "openssl", "-amd64", "1.0-1", "architecture '-amd64'" },
		{ "openssl", "x86_64", "1.0-1", "architecture 'x86_64'" },
		{ "openssl", "amd64;id", "1.0-1", "architecture 'amd64;id'" },
		{ "openssl", long_arch, "1.0-1", "architecture 'bbbb" },
		{ "openssl", NULL, "1.0 rc", "package 'openssl': version '1.0 rc'" },
		{ "openssl", NULL, "-1.0", "version '-1.0'" },
		{ "openssl", NULL, "a1.0", "version 'a1.0'" },
		{ "openssl", NULL, "1.0;reboot", "version '1.0;reboot'" },
		{ "openssl", NULL, "$(id)", "version '$(id)'" },
		{ "openssl", NULL, "1.0\n", "version '1.0\\x0a'" },
		{ "openssl", NULL, "1:", "version '1:'" },
		{ "openssl", NULL, "x:1.0", "version 'x:1.0'" },
		{ "openssl", NULL, "", "version ''" },
		{ "openssl", NULL, NULL, "package 'openssl': version missing" },
		{ "openssl", NULL, long_version, "version '1111" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(backend("apt"), &bad[i]);
}

static void test_bad_rpm(void **state)
{
	const struct bad_spec bad[] = {
		{ "-e", NULL, "1.0-1", "package name '-e': not an rpm package name" },
		{ "--nodeps", NULL, "1.0-1", "package name '--nodeps'" },
		{ "open ssl", NULL, "1.0-1", "package name 'open ssl'" },
		{ "a;b", NULL, "1.0-1", "package name 'a;b'" },
		{ "x$(id)", NULL, "1.0-1", "package name 'x$(id)'" },
		{ "bash\n", NULL, "1.0-1", "package name 'bash\\x0a'" },
		{ "bash/../x", NULL, "1.0-1", "package name 'bash/../x'" },
		{ "", NULL, "1.0-1", "package name ''" },
		{ long_name, NULL, "1.0-1", "package name 'aaaa" },
		{ "bash", "x86-64", "1.0-1", "package 'bash': architecture 'x86-64'" },
		{ "bash", "(none)", "1.0-1", "architecture '(none)'" },
		{ "bash", long_arch, "1.0-1", "architecture 'bbbb" },
		{ "bash", NULL, "5.1.8", "package 'bash': version '5.1.8': not an rpm" },
		{ "bash", NULL, "5.1.8-9-1", "version '5.1.8-9-1'" },
		{ "bash", NULL, "-5.1.8-9", "version '-5.1.8-9'" },
		{ "bash", NULL, "5.1.8-", "version '5.1.8-'" },
		{ "bash", NULL, "a:5.1.8-9", "version 'a:5.1.8-9'" },
		{ "bash", NULL, ":5.1.8-9", "version ':5.1.8-9'" },
		{ "bash", NULL, "1:2:5.1.8-9", "version '1:2:5.1.8-9'" },
		{ "bash", NULL, "12345678901:5.1-9", "version '12345678901:5.1-9'" },
		{ "bash", NULL, "5.1.8-9;reboot", "version '5.1.8-9;reboot'" },
		{ "bash", NULL, "5.1 8-9", "version '5.1 8-9'" },
		{ "bash", NULL, "", "version ''" },
		{ "bash", NULL, NULL, "version missing" },
	};
	const char *const names[] = { "dnf", "yum", "zypper" };

	(void)state;
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_refused(backend(names[k]), &bad[i]);
}

static void test_bad_apk(void **state)
{
	const struct bad_spec bad[] = {
		{ "-X", NULL, "1.0-r0", "package name '-X': not an apk package name" },
		{ "--allow-untrusted", NULL, "1.0-r0", "package name '--allow-untrusted'" },
		{ "a b", NULL, "1.0-r0", "package name 'a b'" },
		{ "a;b", NULL, "1.0-r0", "package name 'a;b'" },
		{ "so:libc.musl-x86_64.so.1", NULL, "1.0-r0", "package name 'so:libc" },
		{ "musl\n", NULL, "1.0-r0", "package name 'musl\\x0a'" },
		{ "musl", "x86 64", "1.0-r0", "architecture 'x86 64'" },
		{ "musl", NULL, "1.0-r", "version '1.0-r': not an apk version" },
		{ "musl", NULL, "v1.0", "version 'v1.0'" },
		{ "musl", NULL, "1.0_foo", "version '1.0_foo'" },
		{ "musl", NULL, "1.0-1", "version '1.0-1'" },
		{ "musl", NULL, "1.0-r0;id", "version '1.0-r0;id'" },
		{ "musl", NULL, "=1.0", "version '=1.0'" },
		{ "musl", NULL, "", "version ''" },
		{ "musl", NULL, NULL, "version missing" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(backend("apk"), &bad[i]);
}

/* Every backend refuses each bad path in install_files (and each bad
 * directory in keep_current), leaving ret untouched. */
static void test_bad_paths(void **state)
{
	static struct pkg_argv sentinel;
	const struct {
		const char *path, *needle;
	} bad[] = {
		{ "relative/openssl.deb", "path 'relative/openssl.deb': not absolute" },
		{ "-rf", "path '-rf': not absolute" },
		{ "--force-all", "path '--force-all': not absolute" },
		{ "", "path '': not absolute" },
		{ "~/x.deb", "not absolute" },
		{ "/tmp/a\nb.deb", "path '/tmp/a\\x0ab.deb': holds a control character" },
		{ "/tmp/a\tb.deb", "holds a control character" },
		{ "/tmp/a\x1b[31m.deb", "holds a control character" },
		{ "/tmp/a\x7f.deb", "holds a control character" },
		{ long_path, "longer than 4095 bytes" },
		{ NULL, "path missing" },
	};
	const char *const names[] = { "apt", "dnf", "yum", "zypper", "apk" };

	(void)state;
	memset(&sentinel, 0xa5, sizeof(sentinel));
	for (size_t k = 0; k < 5; k++) {
		const struct pkg_backend *b = backend(names[k]);
		const struct pkg_spec spec = { "openssl", NULL,
					       b->family == PKG_RPM ? "3.0.7-27.el9" :
					       b->family == PKG_APK ? "3.3.2-r1" : "3.0.15-1" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *const two[] = { "/var/lib/hfx/keep/ok.pkg", bad[i].path };
			struct err e = { "" };

			memcpy(&argv_buf, &sentinel, sizeof(sentinel));
			assert_int_equal(b->install_files(two, 2, &argv_buf, &e), ERR_INPUT);
			if (!strstr(e.msg, bad[i].needle))
				fail_msg("%s: '%s' lacks '%s'", b->name, e.msg, bad[i].needle);
			assert_memory_equal(&argv_buf, &sentinel, sizeof(sentinel));
			assert_int_equal(b->keep_current(&spec, bad[i].path, &argv_buf, &e),
					 ERR_INPUT);
			if (!strstr(e.msg, bad[i].needle))
				fail_msg("%s: '%s' lacks '%s'", b->name, e.msg, bad[i].needle);
			assert_memory_equal(&argv_buf, &sentinel, sizeof(sentinel));
		}
		memset(&argv_buf, 0, sizeof(argv_buf));
		{
			struct err e = { "" };

			assert_int_equal(b->install_files(NULL, 0, &argv_buf, &e), ERR_INPUT);
			assert_string_equal(e.msg, "no package files given");
			assert_int_equal(b->install(&spec, 0, &argv_buf, &e), ERR_INPUT);
			assert_string_equal(e.msg, "no packages given");
			assert_int_equal(b->downgrade(NULL, 0, &argv_buf, &e), ERR_INPUT);
			assert_int_equal(argv_buf.argc, 0);
			assert_null(argv_buf.storage);
		}
	}
}

/* Every value a backend puts in an argv starts with neither '-' nor a
 * blank, whatever was accepted: the fixed options are the only ones. */
static void test_no_option_from_data(void **state)
{
	const char *const names[] = { "apt", "dnf", "yum", "zypper", "apk" };

	(void)state;
	for (size_t k = 0; k < 5; k++) {
		const struct pkg_backend *b = backend(names[k]);
		const struct pkg_spec spec = { "x-y.z+1", NULL,
					       b->family == PKG_RPM ? "0:1-1" :
					       b->family == PKG_APK ? "1-r0" : "0:1-1" };
		const char *const path[] = { "/-x" };
		struct err e = { "" };
		bool dashdash = false;

		assert_int_equal(b->install(&spec, 1, &argv_buf, &e), 0);
		for (int i = 0; i < argv_buf.argc; i++) {
			if (dashdash && argv_buf.argv[i][0] == '-')
				fail_msg("%s: '%s' after --", b->name, argv_buf.argv[i]);
			dashdash |= !strcmp(argv_buf.argv[i], "--");
		}
		assert_true(dashdash);
		pkg_argv_release(&argv_buf);
		assert_int_equal(b->install_files(path, 1, &argv_buf, &e), 0);
		assert_string_equal(argv_buf.argv[argv_buf.argc - 2], "--");
		assert_string_equal(argv_buf.argv[argv_buf.argc - 1], "/-x");
		pkg_argv_release(&argv_buf);
	}
}

/* The limits, exactly at their edges. */
static void test_limits(void **state)
{
	const struct pkg_backend *b = backend("apk");
	struct pkg_spec *pkgs = calloc(PKG_ARGV_MAX + 1, sizeof(*pkgs));
	char (*names)[16] = calloc(PKG_ARGV_MAX + 1, sizeof(*names));
	static char big[3][PKG_NAME_MAX + 1];
	struct err e = { "" };
	size_t n;

	(void)state;
	assert_non_null(pkgs);
	assert_non_null(names);
	for (size_t i = 0; i <= PKG_ARGV_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "p%zu", i);
		pkgs[i] = (struct pkg_spec){ names[i], NULL, "1-r0" };
	}
	/* "apk", "add", "--" and 4093 packages: exactly PKG_ARGV_MAX. */
	n = PKG_ARGV_MAX - 3;
	assert_int_equal(b->install(pkgs, n, &argv_buf, &e), 0);
	assert_int_equal(argv_buf.argc, PKG_ARGV_MAX);
	assert_string_equal(argv_buf.argv[PKG_ARGV_MAX - 1], "p4092=1-r0");
	assert_null(argv_buf.argv[PKG_ARGV_MAX]);
	pkg_argv_release(&argv_buf);
	assert_int_equal(b->install(pkgs, n + 1, &argv_buf, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "more than 4096 arguments: split the batch");
	assert_int_equal(argv_buf.argc, 0);
	assert_null(argv_buf.storage);

	/* Bytes: 255-byte names fill the 96 KiB before the count runs out.
	 * Each entry "name=1-r0" is 255 + 5 + 1 = 261 bytes with its NUL;
	 * the fixed part "apk", "add", "--" 11. */
	for (size_t k = 0; k < 3; k++) {
		fill(big[k], sizeof(big[k]), (char)('a' + k));
		big[k][0] = 'q';
	}
	n = (PKG_ARGV_BYTES - 11) / 261;
	for (size_t i = 0; i <= n; i++)
		pkgs[i] = (struct pkg_spec){ big[i % 3], NULL, "1-r0" };
	assert_int_equal(b->install(pkgs, n, &argv_buf, &e), 0);
	assert_true(argv_buf.used <= PKG_ARGV_BYTES);
	assert_true(argv_buf.used + 261 > PKG_ARGV_BYTES);
	pkg_argv_release(&argv_buf);
	assert_int_equal(b->install(pkgs, n + 1, &argv_buf, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "arguments longer than 98304 bytes: split the batch");
	assert_null(argv_buf.storage);

	/* The longest values pass. */
	{
		char name[PKG_NAME_MAX + 1], arch[PKG_ARCH_MAX + 1];
		const struct pkg_spec p = { name, arch, "1.0-1" };

		fill(name, sizeof(name), 'z');
		fill(arch, sizeof(arch), 'y');
		assert_int_equal(backend("apt")->install(&p, 1, &argv_buf, &e), 0);
		pkg_argv_release(&argv_buf);
	}
	pkg_argv_release(NULL);
	free(pkgs);
	free(names);
}

static void test_validators(void **state)
{
	(void)state;
	/* Names. */
	assert_true(pkg_name_valid(PKG_DEB, "g++", 3));
	assert_true(pkg_name_valid(PKG_DEB, "0ad", 3));
	assert_true(pkg_name_valid(PKG_DEB, "libstdc++6", 10));
	assert_false(pkg_name_valid(PKG_DEB, "+x", 2));
	assert_false(pkg_name_valid(PKG_DEB, ".x", 2));
	assert_false(pkg_name_valid(PKG_DEB, "ab\0c", 4));
	assert_true(pkg_name_valid(PKG_RPM, "NetworkManager", 14));
	assert_true(pkg_name_valid(PKG_RPM, "perl-Net-SSLeay", 15));
	assert_true(pkg_name_valid(PKG_RPM, "x", 1));
	assert_false(pkg_name_valid(PKG_RPM, "a\0", 2));
	assert_true(pkg_name_valid(PKG_APK, ".build-deps", 11));
	assert_false(pkg_name_valid(PKG_APK, "-x", 2));
	/* Architectures. */
	assert_true(pkg_arch_valid(PKG_DEB, "hurd-i386", 9));
	assert_true(pkg_arch_valid(PKG_DEB, "all", 3));
	assert_false(pkg_arch_valid(PKG_DEB, "AMD64", 5));
	assert_true(pkg_arch_valid(PKG_RPM, "x86_64", 6));
	assert_true(pkg_arch_valid(PKG_RPM, "noarch", 6));
	assert_false(pkg_arch_valid(PKG_RPM, "x86-64", 6));
	assert_false(pkg_arch_valid(PKG_APK, "", 0));
	/* Versions. */
	assert_true(pkg_version_valid(PKG_DEB, "1:2.36-9+deb12u9", 16));
	assert_true(pkg_version_valid(PKG_DEB, "2.0~rc1", 7));
	assert_false(pkg_version_valid(PKG_DEB, "2.0\0", 4));
	assert_true(pkg_version_valid(PKG_RPM, "1.2.3^git1-4.el9_3", 18));
	assert_true(pkg_version_valid(PKG_RPM, "0:39~rc1-1+local", 16));
	assert_true(pkg_version_valid(PKG_RPM, "fd431d51-4ae0493b", 17));
	assert_false(pkg_version_valid(PKG_RPM, "1:-1", 4));
	assert_false(pkg_version_valid(PKG_RPM, "1.0-1\0", 6));
	assert_true(pkg_version_valid(PKG_APK, "1.2.5-r1", 8));
	assert_true(pkg_version_valid(PKG_APK, "3.3.2_rc1-r10", 13));
	assert_false(pkg_version_valid(PKG_APK, "1.2.5-r1\0", 9));
}

/* ---- Listings ---- */

#define MAX_SEEN 8192

struct seen {
	enum pkg_family family;
	size_t n, stop_after;
	char name[MAX_SEEN][PKG_NAME_MAX + 1];
	char arch[MAX_SEEN][PKG_ARCH_MAX + 1];
	char version[MAX_SEEN][PKG_VERSION_MAX + 1];
};

static struct seen seen;

static int collect(const struct pkg_spec *p, void *ctx, struct err *e)
{
	struct seen *s = ctx;
	struct err e2 = { "" };

	/* What a parser reports can go straight back into an argv. */
	if (pkg_spec_check(s->family, p, &e2))
		fail_msg("reported package fails the checks: %s", e2.msg);
	assert_non_null(p->arch);
	assert_true(pkg_arch_valid(s->family, p->arch, strlen(p->arch)));
	if (s->n < MAX_SEEN) {
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", p->name);
		snprintf(s->arch[s->n], sizeof(s->arch[0]), "%s", p->arch);
		snprintf(s->version[s->n], sizeof(s->version[0]), "%s", p->version);
	}
	s->n++;
	if (s->stop_after && s->n == s->stop_after)
		return err_set(e, 42, "stopped after %zu", s->n);
	return 0;
}

static int parse_len(const struct pkg_backend *b, const char *text, size_t len, struct err *e)
{
	char *copy = exact_copy(text, len);
	int rc;

	memset(&seen, 0, sizeof(seen));
	seen.family = b->family;
	rc = b->parse_installed(copy, len, collect, &seen, e);
	free(copy);
	return rc;
}

static int parse(const struct pkg_backend *b, const char *text, struct err *e)
{
	return parse_len(b, text, strlen(text), e);
}

/* Package `name` was reported (once), with this arch and version. */
static void assert_has(const char *name, const char *arch, const char *version)
{
	size_t found = 0, at = 0;

	for (size_t i = 0; i < seen.n && i < MAX_SEEN; i++)
		if (!strcmp(seen.name[i], name)) {
			found++;
			at = i;
		}
	if (found != 1)
		fail_msg("'%s' reported %zu times", name, found);
	assert_string_equal(seen.arch[at], arch);
	assert_string_equal(seen.version[at], version);
}

static void assert_seen(size_t i, const char *name, const char *arch, const char *version)
{
	assert_true(i < seen.n);
	assert_string_equal(seen.name[i], name);
	assert_string_equal(seen.arch[i], arch);
	assert_string_equal(seen.version[i], version);
}

/* Each bad line after one good line: refused as line 2, with needle. */
static void assert_bad_lines(const struct pkg_backend *b, const char *good,
			     const char *const *bad, const char *const *needles)
{
	char text[8192];

	for (size_t i = 0; bad[i]; i++) {
		struct err e = { "" };
		int n = snprintf(text, sizeof(text), "%s%s", good, bad[i]);

		assert_true(n > 0 && (size_t)n < sizeof(text));
		if (parse(b, text, &e) != ERR_INPUT)
			fail_msg("%s: line '%s' accepted", b->name, bad[i]);
		if (!strstr(e.msg, ": line 2: ") || !strstr(e.msg, needles[i]))
			fail_msg("%s: message '%s' lacks line 2 or '%s'", b->name, e.msg, needles[i]);
		assert_int_equal(seen.n, 1);
	}
}

static void test_parse_dpkg(void **state)
{
	const struct pkg_backend *b = backend("apt");
	static const char text[] = "adduser\tall\t3.134\tii \n"
				   "libc6\tamd64\t2.36-9+deb12u9\tii \n"
				   "libc6\ti386\t2.36-9+deb12u9\tii \n"
				   "oldpkg\tamd64\t1.0-1\trc \n"  /* config-files: skipped */
				   "gone\t\t\tun \n"              /* not installed: skipped */
				   "purged\tamd64\t\tpn \n"
				   "bind9\tamd64\t1:9.18.33-1~deb12u2\thi \n" /* held */
				   "removing\tamd64\t2.0\tri \n"  /* marked for removal */
				   "hurd-only\thurd-i386\t0.9.git20230520-1\tii \n";
	static const char good[] = "adduser\tall\t3.134\tii \n";
	static const char *const bad[] = {
		"foo\tamd64\t1.0\n",
		"foo\tamd64\t1.0\tii \textra\n",
		"foo amd64 1.0 ii \n",
		"\n",
		"foo\tamd64\t1.0\tii\n",
		"foo\tamd64\t1.0\txi \n",
		"foo\tamd64\t1.0\tiX \n",
		"foo\tamd64\t1.0\tiiX\n",
		"foo\tamd64\t1.0\tiU \n",
		"foo\tamd64\t1.0\tiF \n",
		"foo\tamd64\t1.0\tiH \n",
		"foo\tamd64\t1.0\tit \n",
		"foo\tamd64\t1.0\tiW \n",
		"foo\tamd64\t1.0\tiiR\n",
		"Foo\tamd64\t1.0\tii \n",
		"-foo\tamd64\t1.0\tii \n",
		"foo\tamd 64\t1.0\tii \n",
		"foo\t\t1.0\tii \n",
		"foo\tamd64\tx1.0\tii \n",
		"foo\tamd64\t\tii \n",
		"foo\tamd64\t1.0\tii \r\n",
		"foo\tamd64\t1.0\tii ",
		"bad name\t\t\trc \n",
		NULL,
	};
	static const char *const needles[] = {
		"'foo\\x09amd64\\x091.0': not 4 tab-separated fields",
		"not 4 tab-separated fields",
		"not 4 tab-separated fields",
		"'': not 4 tab-separated fields",
		"status 'ii': not a dpkg status abbreviation",
		"status 'xi '",
		"status 'iX '",
		"status 'iiX'",
		"package 'foo' is unpacked but not configured (status 'iU '): finish dpkg's work",
		"is half-configured",
		"is half-installed",
		"is waiting for its triggers to run",
		"is awaiting triggers",
		"is marked reinst-required",
		"package name 'Foo': not a Debian package name",
		"package name '-foo'",
		"package 'foo': architecture 'amd 64'",
		"package 'foo': architecture ''",
		"package 'foo': version 'x1.0'",
		"package 'foo': version ''",
		"status 'ii \\x0d'",
		"no line end (output cut short?)",
		"package name 'bad name': invalid",
	};
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse(b, text, &e), 0);
	assert_int_equal(seen.n, 6);
	assert_seen(0, "adduser", "all", "3.134");
	assert_seen(1, "libc6", "amd64", "2.36-9+deb12u9");
	assert_seen(2, "libc6", "i386", "2.36-9+deb12u9");
	assert_seen(3, "bind9", "amd64", "1:9.18.33-1~deb12u2");
	assert_seen(4, "removing", "amd64", "2.0");
	assert_seen(5, "hurd-only", "hurd-i386", "0.9.git20230520-1");
	assert_bad_lines(b, good, bad, needles);

	/* Empty output: no packages, no error. */
	assert_int_equal(parse_len(b, "", 0, &e), 0);
	assert_int_equal(seen.n, 0);
	/* A NUL inside a field (explicit length). */
	{
		static const char nul[] = "adduser\tall\t3.134\tii \nfoo\0bar\tamd64\t1.0\tii \n";

		assert_int_equal(parse_len(b, nul, sizeof(nul) - 1, &e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "dpkg-query output: line 2: package name 'foo\\x00bar'"));
	}
}

static void test_parse_rpm(void **state)
{
	static const char text[] = "openssl-libs\tx86_64\t1:3.0.7-27.el9\n"
				   "bash\tx86_64\t(none):5.1.8-9.el9\n"
				   "gpg-pubkey\t(none)\t(none):fd431d51-4ae0493b\n" /* a key */
				   "tzdata\tnoarch\t(none):2024a-1.el9\n"
				   "python3.9-demo\tnoarch\t3:1.2.3^git1-4.el9_3\n"
				   "hfx-native\tx86_64\t0:2.0~rc1-1+local.el9\n";
	static const char good[] = "bash\tx86_64\t(none):5.1.8-9.el9\n";
	static const char *const bad[] = {
		"bash\tx86_64\n",
		"bash\tx86_64\t(none):5.1.8-9.el9\textra\n",
		"bash x86_64 (none):5.1.8-9.el9\n",
		"\n",
		"bash\tx86_64\t(none):5.1.8\n",
		"bash\tx86_64\t5.1.8-9.el9-1\n",
		"bash\tx86_64\t(none)::5.1.8-9\n",
		"bash\tx86_64\t(none):\n",
		"bash\tx86_64\t(NONE):5.1.8-9\n",
		"bash\t(none)\t(none):5.1.8-9\n",
		"bash\t\t(none):5.1.8-9\n",
		"-bash\tx86_64\t(none):5.1.8-9\n",
		"ba sh\tx86_64\t(none):5.1.8-9\n",
		"gpg-pubkey\tnoarch\t(none):zz\n",
		"bash\tx86_64\t(none):5.1.8-9\r\n",
		"bash\tx86_64\t(none):5.1.8-9",
		NULL,
	};
	static const char *const needles[] = {
		"'bash\\x09x86_64': not 3 tab-separated fields",
		"not 3 tab-separated fields",
		"not 3 tab-separated fields",
		"not 3 tab-separated fields",
		"package 'bash': version '5.1.8': not an rpm [epoch:]version-release",
		"version '5.1.8-9.el9-1'",
		"version ':5.1.8-9'",
		"version ''",
		"version '(NONE):5.1.8-9'",
		"package 'bash': architecture '(none)'",
		"architecture ''",
		"package name '-bash'",
		"package name 'ba sh'",
		"package 'gpg-pubkey': version 'zz'",
		"version '5.1.8-9\\x0d'",
		"no line end",
	};
	const char *const names[] = { "dnf", "yum", "zypper" };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		const struct pkg_backend *b = backend(names[k]);
		struct err e = { "" };

		assert_int_equal(parse(b, text, &e), 0);
		assert_int_equal(seen.n, 5);
		assert_seen(0, "openssl-libs", "x86_64", "1:3.0.7-27.el9");
		/* (none): no epoch in the version. */
		assert_seen(1, "bash", "x86_64", "5.1.8-9.el9");
		assert_seen(2, "tzdata", "noarch", "2024a-1.el9");
		assert_seen(3, "python3.9-demo", "noarch", "3:1.2.3^git1-4.el9_3");
		/* An explicit epoch 0 stays. */
		assert_seen(4, "hfx-native", "x86_64", "0:2.0~rc1-1+local.el9");
		assert_bad_lines(b, good, bad, needles);
	}
}

static void test_parse_apk(void **state)
{
	const struct pkg_backend *b = backend("apk");
	static const char text[] =
		"alpine-baselayout-3.6.5-r0 x86_64 {alpine-baselayout} (GPL-2.0-only) [installed]\n"
		"musl-1.2.5-r1 x86_64 {musl} (MIT) [installed]\n"
		"py3-cryptography-42.0.8-r0 x86_64 {py3-cryptography} (Apache-2.0 OR "
		"BSD-3-Clause) [installed]\n"
		".build-deps-20240101.120000 noarch {.build-deps} () [installed]\n"
		"libcrypto3-3.3.2-r1 x86_64 {openssl} (Apache-2.0) [installed]\n"
		"libfoo-2-1.0_rc1-r3 aarch64 {libfoo} (MIT AND (BSD-2-Clause OR GPL-2.0+)) "
		"[installed]\n";
	static const char good[] = "musl-1.2.5-r1 x86_64 {musl} (MIT) [installed]\n";
	static const char *const bad[] = {
		"musl-1.2.5-r1 x86_64 {musl} (MIT)\n",
		"musl-1.2.5-r1 x86_64 {musl} (MIT) [upgradable from: musl-1.2.4-r0]\n",
		"musl-1.2.5-r1\n",
		"musl x86_64 {musl} (MIT) [installed]\n",
		"musl-r1 x86_64 {musl} (MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 musl (MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 {musl} MIT [installed]\n",
		"musl-1.2.5-r1 x86_64 {musl}(MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 {musl} (MIT\x1b[31m) [installed]\n",
		"musl-1.2.5-rx x86_64 {musl} (MIT) [installed]\n",
		"musl-1.2.5-r1  x86_64 {musl} (MIT) [installed]\n",
		"musl-1.2.5-r1 x86-64 {musl} (MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 {mu sl} (MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 {} (MIT) [installed]\n",
		"-musl-1.2.5-r1 x86_64 {musl} (MIT) [installed]\n",
		"musl-1.2.5-r1 x86_64 {musl} (MIT) [installed]\r\n",
		"musl-1.2.5-r1 x86_64 {musl} (MIT) [installed]",
		NULL,
	};
	static const char *const needles[] = {
		"'musl-1.2.5-r1 x86_64 {musl} (MIT)': does not end with \" [installed]\"",
		"does not end with",
		"does not end with",
		"'musl': not name-version",
		"'musl-r1': not name-version",
		"not \"name-version arch {origin} (license) [installed]\"",
		"not \"name-version arch",
		"not \"name-version arch",
		"not \"name-version arch",
		"package 'musl': version '1.2.5-rx': not an apk version",
		"not \"name-version arch",
		"architecture 'x86-64'",
		"origin 'mu sl': not a package name",
		"origin '': not a package name",
		"package name '-musl'",
		"does not end with",
		"no line end",
	};
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse(b, text, &e), 0);
	assert_int_equal(seen.n, 6);
	assert_seen(0, "alpine-baselayout", "x86_64", "3.6.5-r0");
	assert_seen(1, "musl", "x86_64", "1.2.5-r1");
	assert_seen(2, "py3-cryptography", "x86_64", "42.0.8-r0");
	assert_seen(3, ".build-deps", "noarch", "20240101.120000");
	assert_seen(4, "libcrypto3", "x86_64", "3.3.2-r1");
	assert_seen(5, "libfoo-2", "aarch64", "1.0_rc1-r3");
	assert_bad_lines(b, good, bad, needles);
}

/* Line limits, the callback's stop, and one odd line among many. */
static void test_parse_limits(void **state)
{
	const struct pkg_backend *b = backend("dnf");
	char *text = malloc(PKG_LINE_MAX + 64);
	struct err e = { "" };
	size_t n;

	(void)state;
	assert_non_null(text);
	/* A line of exactly PKG_LINE_MAX bytes is read (and refused for its
	 * name: names are shorter); one byte more is too long. */
	memset(text, 'a', PKG_LINE_MAX);
	text[PKG_LINE_MAX] = '\n';
	assert_int_equal(parse_len(b, text, PKG_LINE_MAX + 1, &e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "not 3 tab-separated fields"));
	memset(text, 'a', PKG_LINE_MAX + 1);
	text[PKG_LINE_MAX + 1] = '\n';
	assert_int_equal(parse_len(b, text, PKG_LINE_MAX + 2, &e), ERR_INPUT);
	assert_string_equal(e.msg, "rpm output: line 1: longer than 4096 bytes");
	free(text);

	/* The callback stops the parse: its code comes back. */
	{
		static const char two[] = "bash\tx86_64\t(none):5.1.8-9.el9\n"
					  "tzdata\tnoarch\t(none):2024a-1.el9\n";
		char *copy = exact_copy(two, sizeof(two) - 1);

		memset(&seen, 0, sizeof(seen));
		seen.family = PKG_RPM;
		seen.stop_after = 1;
		assert_int_equal(b->parse_installed(copy, sizeof(two) - 1, collect, &seen, &e), 42);
		assert_string_equal(e.msg, "stopped after 1");
		assert_int_equal(seen.n, 1);
		free(copy);
	}

	/* The line number counts every line. */
	{
		static char many[64 * 40];

		n = 0;
		for (int i = 0; i < 39; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n,
					      "p%d\tx86_64\t(none):1.%d-1\n", i, i);
		n += (size_t)snprintf(many + n, sizeof(many) - n, "p\tx86_64\t(none):1\n");
		assert_int_equal(parse_len(b, many, n, &e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "rpm output: line 40: package 'p': version '1'"));
		assert_int_equal(seen.n, 39);
	}
}

/* ---- Services to restart ---- */

static char units_seen[1024];

static int collect_unit(const char *unit, void *ctx, struct err *e)
{
	size_t n = strlen(units_seen);

	(void)ctx, (void)e;
	snprintf(units_seen + n, sizeof(units_seen) - n, "%s ", unit);
	return 0;
}

/* Each backend's listing argv, the lines it reads (needrestart's batch
 * output as documented in its README.batch, one unit a line for the
 * others), and the restart argv; a unit name from the output that could
 * be an option or holds a shell character is refused. */
static void test_services(void **state)
{
	static const char needrestart[] =
		"NEEDRESTART-VER: 3.6\nNEEDRESTART-KCUR: 6.1.0-18-amd64\n"
		"NEEDRESTART-KEXP: 6.1.0-18-amd64\nNEEDRESTART-KSTA: 1\n"
		"NEEDRESTART-SVC: cron.service\nNEEDRESTART-SVC: ssh.service\n";
	static const char dnf[] = "sshd.service\nchronyd.service\n";
	static const char bad[] = "NEEDRESTART-SVC: -x;rm\n";
	const struct pkg_backend *apt = backend("apt"), *d = backend("dnf");
	const char *const units[] = { "cron.service", "ssh" };
	const char *const badunit[] = { "--now" };
	struct err e = { "" };

	(void)state;
	golden(pkg_argv_fixed(apt->services_query, &argv_buf, &e), &e,
	       ARGV("needrestart", "-b", "-r", "l"));
	golden(pkg_argv_fixed(d->services_query, &argv_buf, &e), &e,
	       ARGV("dnf", "needs-restarting", "--services"));
	golden(pkg_argv_fixed(backend("yum")->services_query, &argv_buf, &e), &e,
	       ARGV("needs-restarting", "-s"));
	golden(pkg_argv_fixed(backend("zypper")->services_query, &argv_buf, &e), &e,
	       ARGV("zypper", "ps", "-sss"));
	assert_null(backend("apk")->services_query);
	units_seen[0] = '\0';
	assert_int_equal(pkg_parse_services(apt, needrestart, sizeof(needrestart) - 1,
					    collect_unit, NULL, &e), 0);
	assert_string_equal(units_seen, "cron.service ssh.service ");
	units_seen[0] = '\0';
	assert_int_equal(pkg_parse_services(d, dnf, sizeof(dnf) - 1, collect_unit, NULL, &e), 0);
	assert_string_equal(units_seen, "sshd.service chronyd.service ");
	assert_int_equal(pkg_parse_services(apt, bad, sizeof(bad) - 1, collect_unit, NULL, &e),
			 ERR_INPUT);
	assert_non_null(strstr(e.msg, "apt services output: line 1: '-x;rm': not a unit name"));
	golden(pkg_restart_units(units, 2, &argv_buf, &e), &e,
	       ARGV("systemctl", "try-restart", "--", "cron.service", "ssh"));
	assert_int_equal(pkg_restart_units(badunit, 1, &argv_buf, &e), ERR_INPUT);
	assert_false(pkg_unit_valid("a b", 3));
	assert_true(pkg_unit_valid("getty@tty1.service", 18));
}

/* ---- Real tools ---- */

static bool have(const char *prog)
{
	const char *path = getenv("PATH");
	char full[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(full, sizeof(full), "%.*s/%s", (int)n, path, prog);
		if (access(full, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static struct buf out;
static char errtext[4096];

/* Runs argv; returns its exit status (output in out, stderr in errtext). */
static int run(const char *const *argv)
{
	struct err e = { "" };
	int status = -1;

	buf_reset(&out);
	if (proc_run(argv, &out, errtext, sizeof(errtext), &status, &e))
		fail_msg("%s", e.msg);
	return status;
}

/* a's argv with extra inserted after entry `after` (the program). */
static const char **spliced(const struct pkg_argv *a, int after, const char *const *extra)
{
	static const char *v[64];
	int n = 0, k = 0;

	assert_true(a->argc < 48);
	for (int i = 0; i < a->argc; i++) {
		v[n++] = a->argv[i];
		if (i == after)
			while (extra[k])
				v[n++] = extra[k++];
	}
	v[n] = NULL;
	return v;
}

static int index_of(const struct pkg_argv *a, const char *word)
{
	for (int i = 0; i < a->argc; i++)
		if (!strcmp(a->argv[i], word))
			return i;
	fail_msg("'%s' not in the argv", word);
	return -1;
}

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hfx-pkg-test.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	assert_int_equal(run(ARGV("rm", "-rf", "--", tmpdir)), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static const char *path_in(const char *rel)
{
	static char p[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, rel);
	return p[k];
}

/* dpkg-query's own listing of this machine, read by our parser: every
 * package dpkg calls installed ("ii"/"hi"), and dpkg among them. */
static void test_real_dpkg_query(void **state)
{
	const struct pkg_backend *b = backend("apt");
	struct err e = { "" };
	size_t want = 0, dpkg_at = SIZE_MAX;
	char version[PKG_VERSION_MAX + 1];

	(void)state;
	if (!have("dpkg-query")) {
		print_message("SKIP: dpkg-query not installed\n");
		skip();
	}
	assert_int_equal(pkg_argv_fixed(b->query_installed, &argv_buf, &e), 0);
	assert_int_equal(run((const char *const *)argv_buf.argv), 0);
	pkg_argv_release(&argv_buf);
	memset(&seen, 0, sizeof(seen));
	seen.family = PKG_DEB;
	assert_int_equal(b->parse_installed(out.data, out.len, collect, &seen, &e), 0);
	assert_true(seen.n > 0 && seen.n <= MAX_SEEN);
	/* Independently: count the installed ones and read dpkg's version. */
	assert_int_equal(run(ARGV("dpkg-query", "--show", "--showformat=${db:Status-Status}\\n")), 0);
	for (const char *p = out.data; (p = strstr(p, "installed\n")); p += 10)
		if (p == out.data || p[-1] == '\n')
			want++;
	assert_int_equal(seen.n, want);
	assert_int_equal(run(ARGV("dpkg-query", "--show", "--showformat=${Version}", "dpkg")), 0);
	snprintf(version, sizeof(version), "%s", out.data);
	for (size_t i = 0; i < seen.n; i++)
		if (!strcmp(seen.name[i], "dpkg"))
			dpkg_at = i;
	assert_true(dpkg_at != SIZE_MAX);
	assert_string_equal(seen.version[dpkg_at], version);
	print_message("dpkg-query: %zu installed packages read\n", seen.n);
}

/* apt-get simulates (-s) our install and downgrade of dpkg's installed
 * version, and refuses a version that does not exist. Debug::NoLocking:
 * a simulation must not take this machine's dpkg lock. */
static void test_real_apt_simulate(void **state)
{
	const struct pkg_backend *b = backend("apt");
	const char *const sim[] = { "-s", "-o", "Debug::NoLocking=1", NULL };
	char version[PKG_VERSION_MAX + 1], arch[PKG_ARCH_MAX + 1];
	struct pkg_spec p = { "dpkg", arch, version };
	struct err e = { "" };

	(void)state;
	if (!have("apt-get") || !have("dpkg-query")) {
		print_message("SKIP: apt-get or dpkg-query not installed\n");
		skip();
	}
	assert_int_equal(run(ARGV("dpkg-query", "--show", "--showformat=${Version}", "dpkg")), 0);
	snprintf(version, sizeof(version), "%s", out.data);
	assert_int_equal(run(ARGV("dpkg-query", "--show", "--showformat=${Architecture}", "dpkg")), 0);
	snprintf(arch, sizeof(arch), "%s", out.data);
	for (int down = 0; down < 2; down++) {
		assert_int_equal((down ? b->downgrade : b->install)(&p, 1, &argv_buf, &e), 0);
		if (run(spliced(&argv_buf, index_of(&argv_buf, "apt-get"), sim)))
			fail_msg("apt-get -s: %s", errtext);
		assert_non_null(strstr(out.data, "0 newly installed"));
		pkg_argv_release(&argv_buf);
	}
	p.version = "0.0-hfx-no-such-version";
	assert_int_equal(b->install(&p, 1, &argv_buf, &e), 0);
	assert_int_equal(run(spliced(&argv_buf, index_of(&argv_buf, "apt-get"), sim)), 100);
	assert_non_null(strstr(errtext, "Version '0.0-hfx-no-such-version' for 'dpkg' was not found"));
	pkg_argv_release(&argv_buf);
}

/*
 * keep_current's argv, with --print-uris (nothing is downloaded): env
 * --chdir and the pinned version reach apt-get. The archive may have
 * moved on from an installed version ("Can't find a source to download
 * version"): that answer also shows apt read the argv as meant; any other
 * error fails.
 */
static void test_real_apt_download(void **state)
{
	const struct pkg_backend *b = backend("apt");
	const char *const uris[] = { "--print-uris", NULL };
	static const char *const names[] = { "coreutils", "libc6", "dpkg", "tar", "bash" };
	char version[PKG_VERSION_MAX + 1], arch[PKG_ARCH_MAX + 1], file[512];
	int printed = 0;

	(void)state;
	if (!have("apt-get") || !have("dpkg-query") || !have("env")) {
		print_message("SKIP: apt-get, dpkg-query or env not installed\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct pkg_spec p = { names[i], arch, version };
		struct err e = { "" };
		int status;

		if (run(ARGV("dpkg-query", "--show", "--showformat=${Version}", names[i])))
			continue;
		snprintf(version, sizeof(version), "%s", out.data);
		assert_int_equal(run(ARGV("dpkg-query", "--show", "--showformat=${Architecture}",
					  names[i])), 0);
		snprintf(arch, sizeof(arch), "%s", out.data);
		assert_int_equal(b->keep_current(&p, "/", &argv_buf, &e), 0);
		status = run(spliced(&argv_buf, index_of(&argv_buf, "apt-get"), uris));
		pkg_argv_release(&argv_buf);
		if (status == 0) {
			snprintf(file, sizeof(file), " %s_", names[i]);
			assert_non_null(strstr(out.data, file));
			assert_non_null(strstr(out.data, ".deb "));
			printed++;
		} else if (!strstr(errtext, "Can't find a source to download version")) {
			fail_msg("apt-get download %s: exit %d: %s", names[i], status, errtext);
		}
	}
	print_message("apt-get download: %d of 5 installed versions still in the archive\n",
		      printed);
}

/*
 * lock_check's argv against a private dpkg directory (Dir::State::status
 * moves the locks with it; no cache files are written): exit 0 while
 * free; non-zero while this process holds the fcntl lock on its
 * lock-frontend, as apt-get install would find it; non-zero when dpkg's
 * journal says it was interrupted. Needs root (apt locks only as root).
 */
static void test_real_apt_lock(void **state)
{
	const struct pkg_backend *b = backend("apt");
	const char *extra[8];
	char status_opt[256];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct err e = { "" };
	int fd;

	(void)state;
	if (!have("apt-get") || geteuid() != 0) {
		print_message("SKIP: apt-get not installed, or not root\n");
		skip();
	}
	make_tmpdir();
	assert_int_equal(mkdir(path_in("updates"), 0755), 0);
	assert_int_equal(mkdir(path_in("info"), 0755), 0);
	write_file(path_in("status"), "");
	snprintf(status_opt, sizeof(status_opt), "Dir::State::status=%s", path_in("status"));
	extra[0] = "-o";
	extra[1] = status_opt;
	extra[2] = "-o";
	extra[3] = "Dir::Cache::pkgcache=";
	extra[4] = "-o";
	extra[5] = "Dir::Cache::srcpkgcache=";
	extra[6] = NULL;
	assert_int_equal(pkg_argv_fixed(b->lock_check, &argv_buf, &e), 0);
	if (run(spliced(&argv_buf, 0, extra)))
		fail_msg("apt-get check on a free directory: %s", errtext);

	fd = open(path_in("lock-frontend"), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_SETLK, &fl), 0);
	assert_int_equal(run(spliced(&argv_buf, 0, extra)), 100);
	assert_non_null(strstr(errtext, "lock-frontend"));
	assert_int_equal(close(fd), 0); /* releases the lock */
	assert_int_equal(run(spliced(&argv_buf, 0, extra)), 0);

	write_file(path_in("updates/0001"), "");
	assert_int_equal(run(spliced(&argv_buf, 0, extra)), 100);
	assert_non_null(strstr(errtext, "dpkg was interrupted"));
	pkg_argv_release(&argv_buf);
	remove_tmpdir();
}

static void build_deb(const char *version)
{
	char control[512], dir[64], sub[96], deb[64];

	snprintf(dir, sizeof(dir), "pkg-%s", version);
	snprintf(deb, sizeof(deb), "hfx-pkgtest_%s_all.deb", version);
	assert_int_equal(mkdir(path_in(dir), 0755), 0);
	snprintf(sub, sizeof(sub), "%s/DEBIAN", dir);
	assert_int_equal(mkdir(path_in(sub), 0755), 0);
	snprintf(sub, sizeof(sub), "%s/DEBIAN/control", dir);
	snprintf(control, sizeof(control),
		 "Package: hfx-pkgtest\nVersion: %s\nArchitecture: all\n"
		 "Maintainer: hfx tests <hfx@example.org>\nDescription: hfx test package\n",
		 version);
	write_file(path_in(sub), control);
	if (run(ARGV("dpkg-deb", "--root-owner-group", "--build", path_in(dir), path_in(deb))))
		fail_msg("dpkg-deb: %s", errtext);
}

/* The version dpkg's database in the private root holds for
 * hfx-pkgtest, read with our query argv and parser. */
static const char *private_version(const struct pkg_backend *b, const char *admindir_opt)
{
	const char *const extra[] = { admindir_opt, NULL };
	struct err e = { "" };

	assert_int_equal(pkg_argv_fixed(b->query_installed, &argv_buf, &e), 0);
	assert_int_equal(run(spliced(&argv_buf, 0, extra)), 0);
	pkg_argv_release(&argv_buf);
	memset(&seen, 0, sizeof(seen));
	seen.family = b->family;
	assert_int_equal(b->parse_installed(out.data, out.len, collect, &seen, &e), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.name[0], "hfx-pkgtest");
	assert_string_equal(seen.arch[0], "all");
	return seen.version[0];
}

/*
 * install_files' argv installs two kept .deb files for real, into a
 * private root (--root moves dpkg's database there; --log keeps this
 * machine's dpkg.log clean): 1:2.0, then back to 1:1.0~rc1 from its file.
 */
static void test_real_dpkg_files(void **state)
{
	const struct pkg_backend *b = backend("apt");
	char root_opt[128], admin_opt[160], log_opt[] = "--log=/dev/null";
	const char *extra[] = { root_opt, log_opt, NULL };
	const char *files[1];
	struct err e = { "" };

	(void)state;
	if (!have("dpkg") || !have("dpkg-deb") || !have("env") || geteuid() != 0) {
		print_message("SKIP: dpkg or dpkg-deb not installed, or not root\n");
		skip();
	}
	make_tmpdir();
	build_deb("1:2.0");
	build_deb("1:1.0~rc1");
	assert_int_equal(mkdir(path_in("root"), 0755), 0);
	assert_int_equal(mkdir(path_in("root/var"), 0755), 0);
	assert_int_equal(mkdir(path_in("root/var/lib"), 0755), 0);
	assert_int_equal(mkdir(path_in("root/var/lib/dpkg"), 0755), 0);
	assert_int_equal(mkdir(path_in("root/var/lib/dpkg/updates"), 0755), 0);
	assert_int_equal(mkdir(path_in("root/var/lib/dpkg/info"), 0755), 0);
	write_file(path_in("root/var/lib/dpkg/status"), "");
	snprintf(root_opt, sizeof(root_opt), "--root=%s", path_in("root"));
	snprintf(admin_opt, sizeof(admin_opt), "--admindir=%s", path_in("root/var/lib/dpkg"));

	files[0] = path_in("hfx-pkgtest_1:2.0_all.deb");
	assert_int_equal(b->install_files(files, 1, &argv_buf, &e), 0);
	if (run(spliced(&argv_buf, index_of(&argv_buf, "dpkg"), extra)))
		fail_msg("dpkg --install 1:2.0: %s", errtext);
	pkg_argv_release(&argv_buf);
	assert_string_equal(private_version(b, admin_opt), "1:2.0");

	files[0] = path_in("hfx-pkgtest_1:1.0~rc1_all.deb");
	assert_int_equal(b->install_files(files, 1, &argv_buf, &e), 0);
	if (run(spliced(&argv_buf, index_of(&argv_buf, "dpkg"), extra)))
		fail_msg("dpkg --install 1:1.0~rc1: %s", errtext);
	pkg_argv_release(&argv_buf);
	assert_string_equal(private_version(b, admin_opt), "1:1.0~rc1");
	remove_tmpdir();
}

static void build_rpm(const char *name, const char *epoch, const char *version)
{
	char spec[512], topdir[128], specfile[128];

	snprintf(spec, sizeof(spec),
		 "Name: %s\n%s%s%sVersion: %s\nRelease: 1.el9\nSummary: hfx test\n"
		 "License: MIT\nBuildArch: noarch\n%%description\nhfx test package.\n%%files\n",
		 name, epoch ? "Epoch: " : "", epoch ? epoch : "", epoch ? "\n" : "", version);
	snprintf(specfile, sizeof(specfile), "%s/%s-%s.spec", tmpdir, name, version);
	write_file(specfile, spec);
	snprintf(topdir, sizeof(topdir), "_topdir %s", tmpdir);
	if (run(ARGV("rpmbuild", "--define", topdir, "--define", "_build_id_links none", "-bb",
		     specfile)))
		fail_msg("rpmbuild: %s", errtext);
}

/* rpm's listing of a private rpmdb, through our query argv and parser. */
static void rpm_listing(const struct pkg_backend *b, const char *db)
{
	const char *const extra[] = { "--dbpath", db, NULL };
	struct err e = { "" };

	assert_int_equal(pkg_argv_fixed(b->query_installed, &argv_buf, &e), 0);
	if (run(spliced(&argv_buf, 0, extra)))
		fail_msg("rpm --query: %s", errtext);
	pkg_argv_release(&argv_buf);
	memset(&seen, 0, sizeof(seen));
	seen.family = PKG_RPM;
	assert_int_equal(b->parse_installed(out.data, out.len, collect, &seen, &e), 0);
}

/*
 * The real rpm (Debian's rpm package; nothing touches this machine: a
 * private rpmdb, --justdb). Three packages, one with an epoch: the query
 * argv's format reads them back, "(none)" epoch dropped; install_files'
 * argv takes the epoch package from 2.0 back to 1.0 from its file.
 */
static void test_real_rpm(void **state)
{
	const struct pkg_backend *b = backend("dnf");
	const char *justdb[] = { "--dbpath", NULL, "--justdb", "--nodeps", "--noscripts",
				 "--ignorearch", NULL };
	const char *files[2];
	char db[128];
	struct err e = { "" };

	(void)state;
	if (!have("rpm") || !have("rpmbuild")) {
		print_message("SKIP: rpm or rpmbuild not installed\n");
		skip();
	}
	make_tmpdir();
	snprintf(db, sizeof(db), "%s/db", tmpdir);
	justdb[1] = db;
	build_rpm("hfx-epoch", "3", "1.0");
	build_rpm("hfx-epoch", "3", "2.0");
	build_rpm("hfx-plain", NULL, "2.0~rc1");
	if (run(ARGV("rpm", "--dbpath", db, "--initdb")))
		fail_msg("rpm --initdb: %s", errtext);

	files[0] = path_in("RPMS/noarch/hfx-epoch-2.0-1.el9.noarch.rpm");
	files[1] = path_in("RPMS/noarch/hfx-plain-2.0~rc1-1.el9.noarch.rpm");
	assert_int_equal(b->install_files(files, 2, &argv_buf, &e), 0);
	if (run(spliced(&argv_buf, 0, justdb)))
		fail_msg("rpm --upgrade: %s", errtext);
	pkg_argv_release(&argv_buf);
	rpm_listing(b, db);
	assert_int_equal(seen.n, 2);
	assert_has("hfx-epoch", "noarch", "3:2.0-1.el9");
	assert_has("hfx-plain", "noarch", "2.0~rc1-1.el9");

	/* Back to 1.0 from the kept file; again: --replacepkgs makes the
	 * second run succeed. */
	files[0] = path_in("RPMS/noarch/hfx-epoch-1.0-1.el9.noarch.rpm");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(b->install_files(files, 1, &argv_buf, &e), 0);
		if (run(spliced(&argv_buf, 0, justdb)))
			fail_msg("rpm --upgrade --oldpackage: %s", errtext);
		pkg_argv_release(&argv_buf);
	}
	rpm_listing(b, db);
	assert_int_equal(seen.n, 2);
	assert_has("hfx-epoch", "noarch", "3:1.0-1.el9");
	assert_has("hfx-plain", "noarch", "2.0~rc1-1.el9");
	remove_tmpdir();
}

/* The reboot check runs and its status reads as yes or no, agreeing with
 * the file it tests. */
static void test_real_reboot(void **state)
{
	const struct pkg_backend *b = backend("apt");
	struct err e = { "" };
	int status;

	(void)state;
	if (!have("test")) {
		print_message("SKIP: test not installed\n");
		skip();
	}
	assert_int_equal(pkg_argv_fixed(b->needs_reboot, &argv_buf, &e), 0);
	status = run((const char *const *)argv_buf.argv);
	pkg_argv_release(&argv_buf);
	assert_int_equal(pkg_reboot_from_status(b, status),
			 access("/var/run/reboot-required", F_OK) == 0 ? PKG_REBOOT_YES :
									  PKG_REBOOT_NO);
}

static int setup(void **state)
{
	(void)state;
	fill(long_name, sizeof(long_name), 'a');
	fill(long_arch, sizeof(long_arch), 'b');
	fill(long_version, sizeof(long_version), '1');
	fill(long_path, sizeof(long_path), 'c');
	long_path[0] = '/';
	buf_init(&out, 64u << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	buf_release(&out);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apt_argv),
		cmocka_unit_test(test_dnf_argv),
		cmocka_unit_test(test_yum_argv),
		cmocka_unit_test(test_zypper_argv),
		cmocka_unit_test(test_apk_argv),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_bad_deb),
		cmocka_unit_test(test_bad_rpm),
		cmocka_unit_test(test_bad_apk),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_no_option_from_data),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_parse_dpkg),
		cmocka_unit_test(test_parse_rpm),
		cmocka_unit_test(test_parse_apk),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_real_dpkg_query),
		cmocka_unit_test(test_real_apt_simulate),
		cmocka_unit_test(test_real_apt_download),
		cmocka_unit_test(test_real_apt_lock),
		cmocka_unit_test(test_real_dpkg_files),
		cmocka_unit_test(test_real_rpm),
		cmocka_unit_test(test_real_reboot),
		cmocka_unit_test(test_services),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
