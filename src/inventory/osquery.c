/*
 * Parser of osquery's JSON results; the forms read and the contract are
 * in osquery.h.
 *
 * jansson loads the whole input (it is at most OSQUERY_MAX, and jansson
 * bounds nesting depth itself); the rows are then walked twice: the first
 * walk checks every row and gathers the OS, the second reports packages.
 * So a broken last row fails the file before anything reached the sink,
 * and the OS reaches it before the first package, whatever the order of
 * the input.
 *
 * Not handled here: running osquery, other tables (apt_sources,
 * npm_packages, ...), Windows programs and patches.
 */
#include "inventory/osquery.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/show.h"
#include "core/version.h"

/* Longest path in messages ("line 12: snapshot[3].version"). */
#define PATH_MAX_LEN 128
/* Longest version we build (epoch:version-release) or take. */
#define VERSION_MAX 512
/* How far the sniff reads. */
#define SNIFF_LEN 4096

enum kind {
	K_NONE,
	K_DEB,
	K_RPM,
	K_OS,
	K_KERNEL,
	K_SYSTEM,
};

static const char *const kind_table[] = {
	[K_NONE] = "?", [K_DEB] = "deb_packages", [K_RPM] = "rpm_packages",
	[K_OS] = "os_version", [K_KERNEL] = "kernel_info", [K_SYSTEM] = "system_info",
};

struct parser {
	const char *filename;
	const struct inv_sink *sink;
	struct err *e;
	bool emit;            /* the second walk: report packages */
	enum kind pkg_kind;   /* deb or rpm, once a package row was seen */
	char pkg_where[PATH_MAX_LEN];
	char os_where[PATH_MAX_LEN]; /* the os_version row, once seen */
	bool have_os;         /* something for sink->os */
	struct inv_os os;
	char os_name[128];    /* os_version's name, to resolve "rhel" */
};

/* A string out of the JSON, with its length (it may hold NULs). */
struct str {
	const char *p;
	size_t len;
};

/* Fails with "<file>: <path>[.<key>]: <message>". */
__attribute__((format(printf, 5, 6)))
static int fail(const struct parser *p, int code, const char *path, const char *key,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(p->e, code, "%s: %s%s%s%s%s", p->filename, path,
		       *path && key ? "." : "", key ? key : "", *path || key ? ": " : "", msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "?";
}

static bool mem_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Printable ASCII without blanks: names, architectures, versions. */
static bool is_word(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return false;
	return true;
}

/*
 * The string at row[key]: ret->p NULL when absent (an error when
 * required), a message when it is not a string.
 */
static int get_str(const struct parser *p, const json_t *row, const char *path,
		   const char *key, bool required, struct str *ret)
{
	const json_t *v = json_object_get(row, key);

	*ret = (struct str){ NULL, 0 };
	if (!v) {
		if (required)
			return fail(p, ERR_INPUT, path, key, "missing");
		return 0;
	}
	if (!json_is_string(v))
		return fail(p, ERR_INPUT, path, key, "expected a string, found %s",
			    type_name(v));
	*ret = (struct str){ json_string_value(v), json_string_length(v) };
	return 0;
}

/* A word (see is_word) at row[key]; "" when absent and not required. */
static int get_word(const struct parser *p, const json_t *row, const char *path,
		    const char *key, bool required, struct str *ret)
{
	char shown[SHOW_MAX];
	int r = get_str(p, row, path, key, required, ret);

	if (r || !ret->p)
		return r;
	if (!ret->len && !required)
		return 0;
	if (!ret->len)
		return fail(p, ERR_INPUT, path, key, "empty");
	if (!is_word(ret->p, ret->len))
		return fail(p, ERR_INPUT, path, key,
			    "invalid value '%s': blanks, control bytes and non-ASCII are not allowed",
			    show_bytes(shown, ret->p, ret->len));
	return 0;
}

/*
 * An integer column (epoch, major, minor, patch), a decimal string or a
 * JSON integer (--logger_numerics), rendered into out; "" when absent or
 * an empty string.
 */
static int get_num(const struct parser *p, const json_t *row, const char *path,
		   const char *key, char out[24])
{
	const json_t *v = json_object_get(row, key);
	char shown[SHOW_MAX];
	const char *s;
	size_t n;

	out[0] = '\0';
	if (!v)
		return 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return fail(p, ERR_INPUT, path, key, "negative number %" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
		snprintf(out, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return fail(p, ERR_INPUT, path, key, "expected a string or an integer, found %s",
			    type_name(v));
	s = json_string_value(v);
	n = json_string_length(v);
	if (n > 20 || strspn(s, "0123456789") != n)
		return fail(p, ERR_INPUT, path, key, "expected a decimal number, found '%s'",
			    show_bytes(shown, s, n));
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static bool has_any(const json_t *row, const char *const *keys)
{
	for (; *keys; keys++)
		if (json_object_get(row, *keys))
			return true;
	return false;
}

/* Which table a row came from, by the columns only that table has. */
static enum kind row_kind(const json_t *row)
{
	static const char *const rpm[] = {
		"release", "epoch", "sha1", "vendor", "package_group", "install_time", NULL,
	};
	static const char *const deb[] = {
		"revision", "status", "admindir", "maintainer", "section", "priority", NULL,
	};
	static const char *const os[] = {
		"platform", "major", "minor", "codename", "platform_like", NULL,
	};

	if (has_any(row, rpm))
		return K_RPM;
	if (has_any(row, deb))
		return K_DEB;
	if (has_any(row, os))
		return K_OS;
	if (json_object_get(row, "arguments") && json_object_get(row, "version"))
		return K_KERNEL;
	if (json_object_get(row, "hostname") && (json_object_get(row, "uuid") ||
						 json_object_get(row, "cpu_type")))
		return K_SYSTEM;
	return K_NONE;
}

/* Copies s into a fixed field of inv_os; fails when it does not fit. */
static int set_field(const struct parser *p, const char *path, const char *key,
		     char *dst, size_t size, const char *s, size_t n)
{
	char shown[SHOW_MAX];

	if (n >= size)
		return fail(p, ERR_INPUT, path, key, "'%s' longer than %zu bytes",
			    show_bytes(shown, s, n), size - 1);
	if (memchr(s, '\0', n))
		return fail(p, ERR_INPUT, path, key, "NUL byte in '%s'",
			    show_bytes(shown, s, n));
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int pkg_report(const struct parser *p, const struct inv_pkg *pkg, const char *path)
{
	int r = p->sink->pkg(pkg, p->sink->ctx, p->e);

	if (r)
		return err_prefix(p->e, r, "%s: %s", p->filename, path);
	return 0;
}

/* The last word of dpkg's "want flag status". */
static int deb_installed(const struct parser *p, const json_t *row, const char *path,
			 bool *ret)
{
	static const char *const words[] = {
		"not-installed", "config-files", "half-installed", "unpacked",
		"half-configured", "triggers-awaited", "triggers-pending", "installed", NULL,
	};
	char shown[SHOW_MAX];
	struct str st;
	const char *w;
	size_t n;
	int r = get_str(p, row, path, "status", false, &st);

	*ret = true;
	if (r || !st.p)
		return r;
	n = st.len;
	while (n && st.p[n - 1] == ' ')
		n--;
	w = st.p + n;
	while (w > st.p && w[-1] != ' ')
		w--;
	for (size_t i = 0; words[i]; i++) {
		if (mem_eq(w, (size_t)(st.p + n - w), words[i])) {
			*ret = i >= 5;
			return 0;
		}
	}
	return fail(p, ERR_INPUT, path, "status",
		    "invalid status '%s': expected \"want flag status\" as dpkg writes it",
		    show_bytes(shown, st.p, st.len));
}

static int check_deb_version(const struct parser *p, const char *path, const char *key,
			     const char *v, size_t n)
{
	const char *why = NULL;
	char shown[SHOW_MAX];

	if (!n)
		return fail(p, ERR_INPUT, path, key, "empty version");
	if (!deb_version_valid(v, n, &why))
		return fail(p, ERR_INPUT, path, key, "invalid version '%s': %s",
			    show_bytes(shown, v, n), why ? why : "rejected by dpkg's rules");
	return 0;
}

static int deb_row(struct parser *p, const json_t *row, const char *path, size_t recno)
{
	struct str name, ver, arch, src;
	struct inv_pkg pkg;
	char shown[SHOW_MAX];
	bool installed;
	int r;

	r = get_word(p, row, path, "name", true, &name);
	if (!r)
		r = deb_installed(p, row, path, &installed);
	if (r)
		return r;
	if (!installed)
		return 0;
	r = get_str(p, row, path, "version", true, &ver);
	if (!r)
		r = check_deb_version(p, path, "version", ver.p, ver.len);
	if (!r)
		r = get_word(p, row, path, "arch", false, &arch);
	if (!r)
		r = get_str(p, row, path, "source", false, &src);
	if (r)
		return r;
	pkg = (struct inv_pkg){
		.name = name.p, .name_len = name.len,
		.version = ver.p, .version_len = ver.len,
		.arch = arch.p ? arch.p : "", .arch_len = arch.len,
		.source = name.p, .source_len = name.len,
		.source_version = ver.p, .source_version_len = ver.len,
		.line = recno,
	};
	if (src.p && src.len) {
		/* dpkg's Source: field, "name" or "name (version)". */
		const char *sp = memchr(src.p, ' ', src.len);
		size_t nlen = sp ? (size_t)(sp - src.p) : src.len;

		if (!is_word(src.p, nlen))
			return fail(p, ERR_INPUT, path, "source",
				    "invalid source '%s': expected \"name\" or \"name (version)\"",
				    show_bytes(shown, src.p, src.len));
		pkg.source = src.p;
		pkg.source_len = nlen;
		if (sp) {
			size_t rest = src.len - nlen;

			if (rest < 4 || sp[1] != '(' || src.p[src.len - 1] != ')')
				return fail(p, ERR_INPUT, path, "source",
					    "invalid source '%s': expected \"name\" or \"name (version)\"",
					    show_bytes(shown, src.p, src.len));
			r = check_deb_version(p, path, "source", sp + 2, rest - 3);
			if (r)
				return r;
			pkg.source_version = sp + 2;
			pkg.source_version_len = rest - 3;
		}
	}
	return p->emit ? pkg_report(p, &pkg, path) : 0;
}

/* An rpm version or release: a word without '-' or ':'. */
static int check_rpm_part(const struct parser *p, const char *path, const char *key,
			  const struct str *s)
{
	char shown[SHOW_MAX];

	if (!s->len)
		return fail(p, ERR_INPUT, path, key, "empty");
	if (!is_word(s->p, s->len) || memchr(s->p, '-', s->len) || memchr(s->p, ':', s->len))
		return fail(p, ERR_INPUT, path, key,
			    "invalid value '%s': rpm allows no '-', ':', blank or control byte here",
			    show_bytes(shown, s->p, s->len));
	return 0;
}

/*
 * Splits a SOURCERPM "NAME-VERSION-RELEASE.src.rpm" (or ".nosrc.rpm")
 * into the name and "VERSION-RELEASE". (The same rule as rpm_list.c and
 * sbom_xml.c; a shared helper belongs in core/ once a fourth needs it.)
 */
static bool split_srpm(const char *s, size_t n, struct str *ret_name, struct str *ret_vr)
{
	const char *rel, *ver;

	if (n > 8 && !memcmp(s + n - 8, ".src.rpm", 8))
		n -= 8;
	else if (n > 10 && !memcmp(s + n - 10, ".nosrc.rpm", 10))
		n -= 10;
	else
		return false;
	if (!is_word(s, n))
		return false;
	rel = memrchr(s, '-', n);
	if (!rel || rel == s || rel + 1 == s + n)
		return false;
	ver = memrchr(s, '-', (size_t)(rel - s));
	if (!ver || ver == s || ver + 1 == rel)
		return false;
	*ret_name = (struct str){ s, (size_t)(ver - s) };
	*ret_vr = (struct str){ ver + 1, (size_t)(s + n - ver - 1) };
	return true;
}

static int rpm_row(struct parser *p, const json_t *row, const char *path, size_t recno)
{
	struct str name, ver, rel, arch, src, sname, svr;
	char epoch[24], evr[VERSION_MAX], sevr[VERSION_MAX], shown[SHOW_MAX];
	struct inv_pkg pkg;
	size_t elen = 0;
	int r, n;

	r = get_word(p, row, path, "name", true, &name);
	if (r)
		return r;
	if (mem_eq(name.p, name.len, "gpg-pubkey"))
		return 0; /* a signing key rpm keeps in its database, not software */
	r = get_str(p, row, path, "version", true, &ver);
	if (!r)
		r = check_rpm_part(p, path, "version", &ver);
	if (!r)
		r = get_str(p, row, path, "release", true, &rel);
	if (!r)
		r = check_rpm_part(p, path, "release", &rel);
	if (!r) {
		const json_t *ev = json_object_get(row, "epoch");

		/* rpm's "(none)" where there is no epoch. */
		if (json_is_string(ev) && !strcmp(json_string_value(ev), "(none)"))
			epoch[0] = '\0';
		else
			r = get_num(p, row, path, "epoch", epoch);
	}
	if (!r)
		r = get_word(p, row, path, "arch", false, &arch);
	if (!r)
		r = get_str(p, row, path, "source", false, &src);
	if (r)
		return r;
	/* A missing epoch compares as 0: "0:1.0-1" and "1.0-1" are one version. */
	if (epoch[0] && strspn(epoch, "0") != strlen(epoch))
		elen = strlen(epoch);
	n = snprintf(evr, sizeof(evr), "%.*s%s%.*s-%.*s", (int)elen, epoch, elen ? ":" : "",
		     (int)ver.len, ver.p, (int)rel.len, rel.p);
	if (n < 0 || (size_t)n >= sizeof(evr))
		return fail(p, ERR_INPUT, path, "version", "version longer than %d bytes",
			    VERSION_MAX - 1);
	pkg = (struct inv_pkg){
		.name = name.p, .name_len = name.len,
		.version = evr, .version_len = (size_t)n,
		.arch = "", .arch_len = 0,
		.source = name.p, .source_len = name.len,
		.source_version = evr, .source_version_len = (size_t)n,
		.line = recno,
	};
	if (arch.p && !mem_eq(arch.p, arch.len, "(none)"))
		pkg.arch = arch.p, pkg.arch_len = arch.len;
	if (src.p && src.len && !mem_eq(src.p, src.len, "(none)")) {
		if (!split_srpm(src.p, src.len, &sname, &svr))
			return fail(p, ERR_INPUT, path, "source",
				    "invalid source rpm '%s': expected NAME-VERSION-RELEASE.src.rpm",
				    show_bytes(shown, src.p, src.len));
		n = snprintf(sevr, sizeof(sevr), "%.*s%s%.*s", (int)elen, epoch,
			     elen ? ":" : "", (int)svr.len, svr.p);
		if (n < 0 || (size_t)n >= sizeof(sevr))
			return fail(p, ERR_INPUT, path, "source", "version longer than %d bytes",
				    VERSION_MAX - 1);
		pkg.source = sname.p;
		pkg.source_len = sname.len;
		pkg.source_version = sevr;
		pkg.source_version_len = (size_t)n;
	}
	return p->emit ? pkg_report(p, &pkg, path) : 0;
}

/*
 * osquery writes platform "rhel" for every host with /etc/redhat-release
 * (Rocky, Alma, CentOS, Oracle, Fedora too), and the product in name.
 */
static const char *rhel_like_id(const char *name)
{
	static const struct { const char *prefix, *id; } map[] = {
		{ "Rocky", "rocky" }, { "AlmaLinux", "almalinux" }, { "CentOS", "centos" },
		{ "Oracle", "ol" }, { "Fedora", "fedora" }, { "Amazon", "amzn" },
		{ "Red Hat", "rhel" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(name, map[i].prefix, strlen(map[i].prefix)))
			return map[i].id;
	return "rhel";
}

static int os_row(struct parser *p, const json_t *row, const char *path)
{
	char major[24], minor[24], patch[24];
	struct str platform, name, arch;
	const char *parts[3];
	size_t o = 0, nparts = 3;
	int r;

	if (p->os_where[0])
		return fail(p, ERR_INPUT, path, NULL,
			    "a second os_version row (the first is %s): one file describes one host",
			    p->os_where);
	snprintf(p->os_where, sizeof(p->os_where), "%s", path);
	r = get_word(p, row, path, "platform", false, &platform);
	if (!r)
		r = get_str(p, row, path, "name", false, &name);
	if (!r && name.p)
		r = set_field(p, path, "name", p->os_name, sizeof(p->os_name), name.p, name.len);
	if (!r)
		r = get_word(p, row, path, "arch", false, &arch);
	if (!r && arch.p)
		r = set_field(p, path, "arch", p->os.arch, sizeof(p->os.arch), arch.p, arch.len);
	if (!r)
		r = get_num(p, row, path, "major", major);
	if (!r)
		r = get_num(p, row, path, "minor", minor);
	if (!r)
		r = get_num(p, row, path, "patch", patch);
	if (r)
		return r;
	if (platform.p && mem_eq(platform.p, platform.len, "rhel"))
		snprintf(p->os.id, sizeof(p->os.id), "%s", rhel_like_id(p->os_name));
	else if (platform.p)
		r = set_field(p, path, "platform", p->os.id, sizeof(p->os.id), platform.p,
			      platform.len);
	if (r)
		return r;
	/* Ubuntu's minor is a month: "22.04", which an integer column makes 4. */
	if (!strcmp(p->os.id, "ubuntu") && strlen(minor) == 1) {
		minor[2] = '\0';
		minor[1] = minor[0];
		minor[0] = '0';
	}
	parts[0] = major, parts[1] = minor, parts[2] = patch;
	/* Drop trailing zero (default) parts: Debian "12", not "12.0.0". */
	while (nparts && (!parts[nparts - 1][0] ||
			  strspn(parts[nparts - 1], "0") == strlen(parts[nparts - 1])))
		nparts--;
	for (size_t i = 0; i < nparts && parts[0][0]; i++) {
		int n = snprintf(p->os.version_id + o, sizeof(p->os.version_id) - o, "%s%s",
				 i ? "." : "", parts[i][0] ? parts[i] : "0");

		if (n < 0 || (size_t)n >= sizeof(p->os.version_id) - o)
			break;
		o += (size_t)n;
	}
	p->have_os = true;
	return 0;
}

static int kernel_row(struct parser *p, const json_t *row, const char *path)
{
	struct str v;
	int r = get_word(p, row, path, "version", false, &v);

	if (r || !v.len)
		return r;
	p->have_os = true;
	return set_field(p, path, "version", p->os.kernel, sizeof(p->os.kernel), v.p, v.len);
}

static int system_row(struct parser *p, const json_t *row, const char *path)
{
	struct str v;
	int r = get_word(p, row, path, "hostname", false, &v);

	if (r || !v.len)
		return r;
	p->have_os = true;
	return set_field(p, path, "hostname", p->os.hostname, sizeof(p->os.hostname), v.p,
			 v.len);
}

/*
 * One row; kind is the table it is known to come from (form 2), or
 * K_NONE to tell by its columns.
 */
static int do_row(struct parser *p, const json_t *row, enum kind kind, const char *path,
		  size_t recno)
{
	if (!json_is_object(row))
		return fail(p, ERR_INPUT, path, NULL, "expected an object, found %s",
			    type_name(row));
	if (kind == K_NONE)
		kind = row_kind(row);
	switch (kind) {
	case K_NONE:
		return fail(p, ERR_INPUT, path, NULL,
			    "cannot tell which osquery table this row is from: select the "
			    "'status' (deb_packages), 'release' (rpm_packages) or 'platform' "
			    "(os_version) column too, or '*'");
	case K_DEB:
	case K_RPM:
		if (p->pkg_kind != K_NONE && p->pkg_kind != kind)
			return fail(p, ERR_INPUT, path, NULL,
				    "a %s row after %s rows (%s): one file describes one host",
				    kind_table[kind], kind_table[p->pkg_kind], p->pkg_where);
		if (p->pkg_kind == K_NONE) {
			p->pkg_kind = kind;
			snprintf(p->pkg_where, sizeof(p->pkg_where), "%s", path);
		}
		return kind == K_DEB ? deb_row(p, row, path, recno) : rpm_row(p, row, path, recno);
	case K_OS:
		return p->emit ? 0 : os_row(p, row, path);
	case K_KERNEL:
		return p->emit ? 0 : kernel_row(p, row, path);
	case K_SYSTEM:
		return p->emit ? 0 : system_row(p, row, path);
	}
	return 0;
}

/* The rows of one query's results; prefix names the array in messages. */
static int do_rows(struct parser *p, const json_t *rows, enum kind kind, const char *prefix)
{
	char path[PATH_MAX_LEN];
	size_t i;
	int r;

	if (!json_is_array(rows))
		return fail(p, ERR_INPUT, prefix, NULL, "expected an array of rows, found %s",
			    type_name(rows));
	for (i = 0; i < json_array_size(rows); i++) {
		snprintf(path, sizeof(path), "%s[%zu]", prefix, i);
		r = do_row(p, json_array_get(rows, i), kind, path, i + 1);
		if (r)
			return r;
	}
	return 0;
}

/* Form 2: {"os_version": [...], "deb_packages": [...], ...}. */
static int do_tables(struct parser *p, const json_t *root)
{
	static const enum kind kinds[] = { K_OS, K_KERNEL, K_SYSTEM, K_DEB, K_RPM };
	bool any = false;
	int r;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const json_t *rows = json_object_get(root, kind_table[kinds[i]]);

		if (!rows)
			continue;
		any = true;
		r = do_rows(p, rows, kinds[i], kind_table[kinds[i]]);
		if (r)
			return r;
	}
	if (!any)
		return fail(p, ERR_INPUT, "", NULL,
			    "no osquery results: expected an array of rows, an object with "
			    "os_version, deb_packages or rpm_packages, or result log lines");
	return 0;
}

/* One line of a result log (form 3): what it is, checked. */
static int log_entry(const struct parser *p, const json_t *v, size_t line)
{
	char path[32];

	snprintf(path, sizeof(path), "line %zu", line);
	if (!json_is_object(v))
		return fail(p, ERR_INPUT, path, NULL, "expected an object, found %s",
			    type_name(v));
	if (!json_object_get(v, "snapshot")) {
		if (json_object_get(v, "columns") || json_object_get(v, "diffResults"))
			return fail(p, ERR_INPUT, path, NULL,
				    "differential results (added/removed rows) are not an "
				    "inventory: schedule the query with \"snapshot\": true");
		return fail(p, ERR_INPUT, path, NULL,
			    "not an osquery result log entry (no 'snapshot')");
	}
	if (!json_is_string(json_object_get(v, "name")))
		return fail(p, ERR_INPUT, path, NULL, "name: expected a string, found %s",
			    json_object_get(v, "name") ? type_name(json_object_get(v, "name")) :
							 "nothing");
	if (json_object_get(v, "hostIdentifier") &&
	    !json_is_string(json_object_get(v, "hostIdentifier")))
		return fail(p, ERR_INPUT, path, NULL, "hostIdentifier: expected a string, found %s",
			    type_name(json_object_get(v, "hostIdentifier")));
	return 0;
}

/*
 * Form 3: entries is an array of [line, object] pairs. A query's last
 * snapshot replaces its earlier ones.
 */
static int do_log(struct parser *p, const json_t *entries)
{
	json_t *last = json_object();
	char path[PATH_MAX_LEN];
	struct str host = { NULL, 0 };
	size_t i;
	int r = 0;

	if (!last)
		return err_set(p->e, ERR_NOMEM, "%s: out of memory", p->filename);
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *v = json_array_get(json_array_get(entries, i), 1);
		const json_t *name = json_object_get(v, "name");

		if (json_object_setn_new(last, json_string_value(name), json_string_length(name),
					 json_integer((json_int_t)i))) {
			r = err_set(p->e, ERR_NOMEM, "%s: out of memory", p->filename);
			goto out;
		}
	}
	for (i = 0; i < json_array_size(entries); i++) {
		const json_t *pair = json_array_get(entries, i);
		const json_t *v = json_array_get(pair, 1);
		const json_t *name = json_object_get(v, "name");
		const json_t *hid = json_object_get(v, "hostIdentifier");
		size_t line = (size_t)json_integer_value(json_array_get(pair, 0));

		if ((size_t)json_integer_value(json_object_getn(last, json_string_value(name),
								json_string_length(name))) != i)
			continue;
		if (hid)
			host = (struct str){ json_string_value(hid), json_string_length(hid) };
		snprintf(path, sizeof(path), "line %zu: snapshot", line);
		r = do_rows(p, json_object_get(v, "snapshot"), K_NONE, path);
		if (r)
			goto out;
	}
	if (!p->emit && !p->os.hostname[0] && host.len && is_word(host.p, host.len) &&
	    host.len < sizeof(p->os.hostname)) {
		memcpy(p->os.hostname, host.p, host.len);
		p->os.hostname[host.len] = '\0';
		p->have_os = true;
	}
out:
	json_decref(last);
	return r;
}

static bool all_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Splits data into lines and loads each non-blank one (form 3). */
static int load_log(const struct parser *p, const char *data, size_t len, json_t **ret)
{
	json_t *entries = json_array(), *v = NULL;
	json_error_t jerr;
	size_t pos = 0, line = 0, end, n;
	const char *nl;
	int r = 0;

	if (!entries)
		return err_set(p->e, ERR_NOMEM, "%s: out of memory", p->filename);
	while (pos < len) {
		line++;
		nl = memchr(data + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - data) : len;
		n = end - pos;
		if (n && data[pos + n - 1] == '\r')
			n--;
		if (n > OSQUERY_LINE_MAX) {
			r = err_set(p->e, ERR_NOMEM, "%s: line %zu: longer than the limit of %u MiB",
				    p->filename, line, OSQUERY_LINE_MAX >> 20);
			goto out;
		}
		if (!all_blank(data + pos, n)) {
			v = json_loadb(data + pos, n, JSON_REJECT_DUPLICATES, &jerr);
			if (!v) {
				r = err_set(p->e, ERR_INPUT, "%s: line %zu: column %d: %s",
					    p->filename, line, jerr.column, jerr.text);
				goto out;
			}
			r = log_entry(p, v, line);
			if (r)
				goto out;
			/* "o" hands v to the pair, even when packing fails. */
			if (json_array_append_new(entries, json_pack("[Io]", (json_int_t)line, v))) {
				v = NULL;
				r = err_set(p->e, ERR_NOMEM, "%s: out of memory", p->filename);
				goto out;
			}
			v = NULL;
		}
		pos = end + (nl ? 1 : 0);
	}
	*ret = entries;
	entries = NULL;
out:
	json_decref(v);
	json_decref(entries);
	return r;
}

static size_t skip_space(const char *data, size_t len, size_t i)
{
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
			   data[i] == '\n'))
		i++;
	return i;
}

/* Runs one walk over the loaded input. */
static int walk(struct parser *p, const json_t *root, const json_t *log)
{
	if (log)
		return do_log(p, log);
	if (json_is_array(root))
		return do_rows(p, root, K_NONE, "");
	return do_tables(p, root);
}

int osquery_parse(const char *data, size_t len, const char *filename,
		  const struct inv_sink *sink, struct err *e)
{
	struct parser p = { .filename = filename, .sink = sink, .e = e };
	json_t *root = NULL, *log = NULL;
	json_error_t jerr;
	size_t start;
	int r;

	if (len > OSQUERY_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB", filename,
			       OSQUERY_MAX >> 20);
	start = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	start = skip_space(data, len, start);
	if (start == len)
		return err_set(e, ERR_INPUT, "%s: empty: no osquery results", filename);
	if (data[start] != '[' && data[start] != '{')
		return err_set(e, ERR_INPUT, "%s: not osquery JSON results: expected '[' or '{'",
			       filename);
	root = json_loadb(data + start, len - start,
			  JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
	if (!root)
		return err_set(e, ERR_INPUT, "%s: line %d column %d: %s", filename, jerr.line,
			       jerr.column, jerr.text);
	if (json_is_object(root) && skip_space(data, len, start + jerr.position) < len) {
		/* More than one value: a result log, one entry a line. */
		json_decref(root);
		root = NULL;
		r = load_log(&p, data, len, &log);
		if (r)
			goto out;
	} else if (skip_space(data, len, start + jerr.position) < len) {
		r = err_set(e, ERR_INPUT, "%s: offset %zu: data after the JSON array", filename,
			    start + jerr.position);
		goto out;
	} else if (json_is_object(root) && json_object_get(root, "name") &&
		   (json_object_get(root, "snapshot") || json_object_get(root, "columns") ||
		    json_object_get(root, "diffResults"))) {
		/* A result log of a single entry (perhaps pretty-printed). */
		log = json_array();
		if (!log || json_array_append_new(log, json_pack("[iO]", 1, root))) {
			r = err_set(e, ERR_NOMEM, "%s: out of memory", filename);
			goto out;
		}
		r = log_entry(&p, root, 1);
		if (r)
			goto out;
	}
	r = walk(&p, root, log);
	if (r)
		goto out;
	if (p.have_os && sink->os) {
		r = sink->os(&p.os, sink->ctx, e);
		if (r) {
			r = err_prefix(e, r, "%s: %s", filename, p.os_where[0] ? p.os_where : "os");
			goto out;
		}
	}
	p.emit = true;
	p.pkg_kind = K_NONE;
	r = walk(&p, root, log);
out:
	json_decref(log);
	json_decref(root);
	return r;
}

bool osquery_looks_like(const char *data, size_t len)
{
	size_t n = len < SNIFF_LEN ? len : SNIFF_LEN;
	size_t i = 0;

	if (!data)
		return false;
	if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	i = skip_space(data, n, i);
	if (i >= n || (data[i] != '[' && data[i] != '{'))
		return false;
#define HAS(lit) (memmem(data, n, lit, sizeof(lit) - 1) != NULL)
	if (HAS("\"bomFormat\""))
		return false; /* CycloneDX JSON */
	return HAS("\"os_version\"") || HAS("\"deb_packages\"") || HAS("\"rpm_packages\"") ||
	       (HAS("\"hostIdentifier\"") && HAS("\"snapshot\"")) ||
	       (HAS("\"revision\"") && HAS("\"status\"")) ||
	       (HAS("\"release\"") && HAS("\"sha1\""));
#undef HAS
}
