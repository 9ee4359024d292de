/*
 * Package-manager backends for deployment: the exact argv of each
 * operation (list installed packages, check the lock, install or
 * downgrade exact versions, install kept package files, keep the
 * installed version for a way back, ask whether a reboot is needed) and a
 * strict parser of the listing. One file per backend (pkg_apt.c,
 * pkg_dnf.c for dnf and yum, pkg_zypper.c, pkg_apk.c) behind struct
 * pkg_backend; pkg.c holds the lookup, the argv builder and the checks
 * every backend shares.
 *
 * Nothing here runs a program. A runner hands the argv to a transport,
 * which executes it on the host. Every argv is fixed text apart from
 * values checked first against the ecosystem's characters (a name, an
 * architecture, a version, an absolute path), so none of them can start
 * with '-' where a tool reads options, and "--" ends the options wherever
 * the tool accepts it. Environment variables are part of the argv: it
 * starts with `env NAME=VALUE ...` when a tool needs them, because over
 * ssh an environment of our own would not reach the remote command
 * (sshd accepts only AcceptEnv names). A transport that passes the argv
 * to a remote shell as one command line (ssh does) must quote every
 * element: some hold '$', '{', '\\' or spaces literally (the dpkg-query
 * and rpm formats).
 *
 * docs/PACKAGE_MANAGERS.md lists every argv and the reasons for each
 * option.
 */
#ifndef HFX_DEPLOY_PKG_H
#define HFX_DEPLOY_PKG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/*
 * Limits of one argv: entries, and bytes of all entries with their NULs.
 * 96 KiB leaves room for quoting under Linux's MAX_ARG_STRLEN (128 KiB),
 * the most a single argument may hold: ssh hands the whole command line
 * to the remote shell as one argument of `sh -c`. A batch over either
 * limit fails with ERR_NOMEM; split it.
 */
#define PKG_ARGV_MAX 4096
#define PKG_ARGV_BYTES (96u << 10)

/* Longest accepted value (bytes, without the NUL). */
#define PKG_NAME_MAX 255
#define PKG_ARCH_MAX 32
#define PKG_VERSION_MAX 255
#define PKG_PATH_MAX 4095

/* Largest listing parse_installed() reads, and longest line. */
#define PKG_OUTPUT_MAX (256u << 20)
#define PKG_LINE_MAX 4096

/*
 * One argv, owned: argv[0..argc) point into storage, one block of
 * PKG_ARGV_BYTES, and argv[argc] is NULL. A zeroed struct is empty;
 * pkg_argv_release() frees it.
 */
struct pkg_argv {
	int argc;
	char *argv[PKG_ARGV_MAX + 1];
	char *storage;
	size_t used;
};

/* Frees the strings and leaves *a empty (argc 0, argv[0] NULL); a may be
 * NULL. */
void pkg_argv_release(struct pkg_argv *a);

/*
 * One package at an exact version. arch may be NULL (or "") to let the
 * package manager choose (the native architecture); apk has one
 * architecture per system, so its backend checks arch and leaves it out.
 */
struct pkg_spec {
	const char *name, *arch, *version;
};

/* The package formats, each with its own rules for names and versions. */
enum pkg_family {
	PKG_DEB,
	PKG_RPM,
	PKG_APK,
};

/*
 * Receives one installed package from parse_installed(): NUL-terminated
 * strings valid during the call only, each passing the family's checks
 * below (arch included: never NULL). A non-zero return stops the parse
 * and is returned; the callback fills e.
 */
typedef int (*pkg_spec_cb)(const struct pkg_spec *p, void *ctx, struct err *e);

/* What an exit status of needs_reboot's argv means. */
enum pkg_reboot {
	PKG_REBOOT_UNKNOWN, /* any other status: the check failed */
	PKG_REBOOT_NO,
	PKG_REBOOT_YES,
};

/*
 * A backend. Operations without data are constant argv arrays
 * (NULL-terminated words; pkg_argv_fixed() builds them). Every builder
 * fills *ret with the argv of one operation and
 * returns 0; it first checks every name, architecture, version and path
 * and fails with ERR_INPUT naming the bad value, or ERR_NOMEM past the
 * argv limits (or when memory runs out). *ret must be empty (zeroed or
 * released); it is untouched on failure, and the caller releases it
 * after success.
 */
struct pkg_backend {
	const char *name;          /* "apt", "dnf", "yum", "zypper", "apk" */
	enum pkg_family family;
	/* needs_reboot's exit status when a reboot is needed, and when not */
	int reboot_yes, reboot_no;

	/* Lists the installed packages (dpkg-query, rpm, apk list), in the
	 * format parse_installed() reads. */
	const char *const *query_installed;
	/*
	 * Parses the standard output of query_installed's argv, out[0..len)
	 * (need not be NUL-terminated), calling cb for each installed package
	 * in order; packages that are not installed (dpkg's config-files
	 * state) and rpm's signing keys (gpg-pubkey) are skipped. Every line
	 * must end with '\n' and match the format exactly; a line that does
	 * not fails with ERR_INPUT, "<tool> output: line N: ...". Output over
	 * PKG_OUTPUT_MAX fails with ERR_NOMEM. Nothing is allocated.
	 */
	int (*parse_installed)(const char *out, size_t len, pkg_spec_cb cb, void *ctx,
			       struct err *e);
	/* A check that exits 0 when no other package operation holds the
	 * package manager's lock; any other status means busy, or that the
	 * check could not tell. Advisory: the lock can be taken between the
	 * check and the install, which then waits or fails as the tool does. */
	const char *const *lock_check;
	/* Installs (upgrades to) exactly these versions, without prompts,
	 * keeping changed configuration files; never downgrades or removes. */
	int (*install)(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
		       struct err *e);
	/* As install, but allowed to go back to older versions. */
	int (*downgrade)(const struct pkg_spec *pkgs, size_t n, struct pkg_argv *ret,
			 struct err *e);
	/* Installs package files kept on the host (absolute paths), older
	 * versions included: the way back when the repository no longer has
	 * them. */
	int (*install_files)(const char *const *paths, size_t n, struct pkg_argv *ret,
			     struct err *e);
	/*
	 * Downloads the package p (installed now) from the host's
	 * repositories into the existing directory dir (absolute), to be
	 * installed with install_files() later. The runner must then find the
	 * file of exactly p's version in dir: apk fetch takes no version and
	 * brings the repository's newest. File names per tool are in
	 * docs/PACKAGE_MANAGERS.md.
	 */
	int (*keep_current)(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			    struct err *e);
	/* NULL, or rebuilds the installed package p from the files on the
	 * host into dir, when the repository no longer has it (apt:
	 * dpkg-repack, where installed). p's version is not passed: the
	 * installed one is packed; the runner checks it is still p's. */
	int (*keep_repack)(const struct pkg_spec *p, const char *dir, struct pkg_argv *ret,
			   struct err *e);
	/* NULL, or a check whose exit status is reboot_yes or reboot_no;
	 * see pkg_reboot_from_status(). */
	const char *const *needs_reboot;
	/* NULL (apk: OpenRC has no such tool), or lists the systemd services
	 * still running replaced code, one per line, each line starting with
	 * services_prefix; pkg_parse_services() reads it. */
	const char *const *services_query;
	const char *services_prefix;
};

/* Longest systemd unit name (systemd's UNIT_NAME_MAX). */
#define PKG_UNIT_MAX 255

/* True for a unit name: [A-Za-z0-9:_.@-], not starting with '-', at most
 * PKG_UNIT_MAX bytes; a name without a '.' means NAME.service. */
bool pkg_unit_valid(const char *s, size_t len);

typedef int (*pkg_unit_cb)(const char *unit, void *ctx, struct err *e);

/*
 * Reads the output of b->services_query's argv: lines starting with
 * b->services_prefix name one unit each (other lines, such as
 * needrestart's other NEEDRESTART-* lines, are skipped); cb gets each
 * unit. A unit that is not valid fails with ERR_INPUT naming the line.
 */
int pkg_parse_services(const struct pkg_backend *b, const char *out, size_t len,
		       pkg_unit_cb cb, void *ctx, struct err *e);

/* `systemctl try-restart -- UNIT...`: restarts the units that are
 * running, each checked with pkg_unit_valid(). */
int pkg_restart_units(const char *const *units, size_t n, struct pkg_argv *ret,
		      struct err *e);

/*
 * The backend for an OSV ecosystem ("Debian:12", "Ubuntu:22.04:LTS",
 * "AlmaLinux:9", "Rocky Linux:9", "Red Hat:enterprise_linux:9::appstream",
 * "openSUSE:Leap 15.5", "SUSE:Linux Enterprise Server 15", "Alpine:v3.19")
 * or an os-release ID, optionally followed by ":VERSION_ID" ("debian",
 * "rhel:9.3", "centos:7", "opensuse-leap", "sles", "alpine"): the part
 * before the first ':' must match exactly. Red Hat, RHEL, CentOS and
 * Oracle Linux releases 7 and older get yum, later ones dnf. NULL for
 * anything else.
 */
const struct pkg_backend *pkg_backend_for(const char *ecosystem_or_os);

/* The backend called name ("apt", "dnf", "yum", "zypper", "apk"), or NULL. */
const struct pkg_backend *pkg_backend_named(const char *name);

/* Reads an exit status of b->needs_reboot's argv. */
enum pkg_reboot pkg_reboot_from_status(const struct pkg_backend *b, int status);

/*
 * The checks every argv value passes, on s[0..len) (need not be
 * NUL-terminated; a NUL inside is invalid). Lengths as PKG_*_MAX.
 *  - names: Debian [a-z0-9][a-z0-9+.-]+; rpm and apk [A-Za-z0-9._+-]+
 *    not starting with '-'.
 *  - architectures: Debian [a-z0-9][a-z0-9-]* (amd64, all, hurd-i386);
 *    rpm and apk [A-Za-z0-9_]+ (x86_64, noarch).
 *  - versions: Debian as deb_version_valid(); rpm "[epoch:]version-
 *    release" (epoch digits, version and release of [A-Za-z0-9._+~^],
 *    neither empty); apk as apk_version_valid().
 */
bool pkg_name_valid(enum pkg_family f, const char *s, size_t len);
bool pkg_arch_valid(enum pkg_family f, const char *s, size_t len);
bool pkg_version_valid(enum pkg_family f, const char *s, size_t len);

/* Checks a spec (name and version required, arch optional); ERR_INPUT
 * naming the bad value. */
int pkg_spec_check(enum pkg_family f, const struct pkg_spec *p, struct err *e);

/* Checks a path: absolute, no control characters, at most PKG_PATH_MAX
 * bytes; ERR_INPUT naming it. */
int pkg_path_check(const char *path, struct err *e);

/*
 * For the backends (pkg_*.c) only: building an argv and reading listings.
 *
 * pkg_argv_begin() allocates a builder; each add appends one entry
 * (ERR_NOMEM past the limits); pkg_argv_end() moves the result into ret
 * when rc is 0, else frees it, and returns rc.
 */
int pkg_argv_begin(struct pkg_argv **ret, struct err *e);
int pkg_argv_add(struct pkg_argv *a, const char *s, struct err *e);
int pkg_argv_addv(struct pkg_argv *a, struct err *e, ...) __attribute__((sentinel));
int pkg_argv_addf(struct pkg_argv *a, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pkg_argv_end(struct pkg_argv *a, int rc, struct pkg_argv *ret);
/* A constant argv: words, NULL-terminated. */
int pkg_argv_fixed(const char *const *words, struct pkg_argv *ret, struct err *e);

/* Checks n (at least one) specs of family f. */
int pkg_specs_check(enum pkg_family f, const struct pkg_spec *pkgs, size_t n,
		    struct err *e);
/* Checks n (at least one) paths. */
int pkg_paths_check(const char *const *paths, size_t n, struct err *e);

/* A parser's callback and its context, handed to its line function. */
struct pkg_sink {
	pkg_spec_cb cb;
	void *ctx;
};

/* Calls fn for each line of out (without its '\n'), numbered from 1;
 * what names the output in messages ("dpkg-query output"). */
typedef int (*pkg_line_fn)(const char *line, size_t n, size_t lineno, void *ctx,
			   struct err *e);
int pkg_each_line(const char *out, size_t len, const char *what, pkg_line_fn fn, void *ctx,
		  struct err *e);

/* Fails with ERR_INPUT: "<what>: line N: <message>". */
int pkg_line_fail(struct err *e, const char *what, size_t lineno, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Checks name, arch and version (spans of a listing line) as family f
 * wants them and calls cb with NUL-terminated copies. */
int pkg_report(enum pkg_family f, const char *what, size_t lineno, const char *name,
	       size_t name_len, const char *arch, size_t arch_len, const char *version,
	       size_t version_len, pkg_spec_cb cb, void *ctx, struct err *e);

/* rpm itself, for every rpm backend (pkg_dnf.c; zypper uses them too). */
extern const char *const pkg_rpm_query[];
int pkg_rpm_parse_installed(const char *out, size_t len, pkg_spec_cb cb, void *ctx,
			    struct err *e);
int pkg_rpm_install_files(const char *const *paths, size_t n, struct pkg_argv *ret,
			  struct err *e);

extern const struct pkg_backend pkg_backend_apt, pkg_backend_dnf, pkg_backend_yum,
	pkg_backend_zypper, pkg_backend_apk;

#endif
