/*
 * CycloneDX and SPDX JSON readers; the contract is in sbom.h.
 *
 * The document is loaded with jansson and walked twice with the same
 * code: the first pass checks everything and gathers what the document
 * says about the OS, the second hands the packages to the sink. So the
 * OS is known before the first package (an "operating-system" component
 * often comes after them: Trivy puts it after the first package), and a
 * broken document reports nothing. Field paths for messages are a chain
 * of struct jpath on the stack, rendered only when an error is reported.
 *
 * Only purls of type deb, rpm and apk are parsed (sbom.h says why); the
 * type is recognised from the purl's first characters, so that a
 * malformed npm purl, which hfx does not use, cannot fail the document.
 */
#include "inventory/sbom.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/jpath.h"
#include "base/show.h"
#include "inventory/purl.h"

/* Longest rendering of input bytes in a message. */
#define EXCERPT_MAX 64
/* Longest version built (epoch, ':' and a purl version, or Trivy's parts). */
#define VERSION_MAX (PURL_VERSION_MAX + 16)
/* Longest source package name taken from a Trivy property. */
#define SOURCE_MAX PURL_NAME_MAX

/* What one source says about the OS; empty strings where it is silent. */
struct os_guess {
	char id[64];
	char version_id[64];
	char where[256]; /* the field it came from, for messages */
	bool found;
};

/* One OS package as handed to the sink, with the buffers it points into. */
struct pkg_out {
	char version[VERSION_MAX];
	char source[SOURCE_MAX];
	char source_version[VERSION_MAX];
	struct inv_pkg pkg;
};

enum pass { PASS_CHECK, PASS_REPORT };

struct walker {
	const char *filename;
	const struct inv_sink *sink;
	struct err *e;
	enum pass pass;
	size_t record;          /* components (packages) seen so far */
	struct os_guess comp;   /* from an "operating-system" component */
	struct os_guess distro; /* from the first purl with a usable distro */
	/* Scratch space for the package being read, kept here rather than in
	 * the frames of the (recursive) walk. */
	const char *raw;        /* its purl text, for messages */
	size_t raw_len;
	struct purl purl;
	struct pkg_out out;
};

/*
 * Input bytes for a message, as base/show.h renders them, in EXCERPT_MAX
 * bytes rather than SHOW_MAX: messages quote this file's excerpts at
 * that length, and tests assert them.
 */
static const char *show(char out[EXCERPT_MAX], const char *s, size_t len)
{
	return show_bytes_n(out, EXCERPT_MAX, s, len);
}

static const char *show_str(char out[EXCERPT_MAX], const char *s)
{
	return show(out, s, strlen(s));
}

/* Sets "<filename>: <path>: <what>" and returns ERR_INPUT. */
__attribute__((format(printf, 3, 4)))
static int fail(struct walker *w, const struct jpath *p, const char *fmt, ...)
{
	char where[256], what[768];
	va_list ap;

	jpath_render(p, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (where[0])
		return err_set(w->e, ERR_INPUT, "%s: %s: %s", w->filename, where, what);
	return err_set(w->e, ERR_INPUT, "%s: %s", w->filename, what);
}

/* The same, quoting the purl being read: "<path>: 'pkg:...': <what>". */
__attribute__((format(printf, 3, 4)))
static int fail_purl(struct walker *w, const struct jpath *p, const char *fmt, ...)
{
	char what[768], shown[EXCERPT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail(w, p, "'%s': %s", show(shown, w->raw, w->raw_len), what);
}

/* obj[key] as a string into *ret; absent or null leaves *ret as it is. */
static int get_string(struct walker *w, const json_t *obj, const char *key,
		      const struct jpath *up, const char **ret, size_t *ret_len)
{
	struct jpath p = { up, key, 0 };
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(w, &p, "not a string");
	/* jansson rejects \u0000 when parsing; a C string cannot carry one. */
	if (memchr(json_string_value(v), '\0', json_string_length(v)))
		return fail(w, &p, "string contains a NUL byte");
	*ret = json_string_value(v);
	if (ret_len)
		*ret_len = json_string_length(v);
	return 0;
}

/* obj[key] as an array into *ret; absent or null leaves *ret NULL. */
static int get_array(struct walker *w, const json_t *obj, const char *key,
		     const struct jpath *p, const json_t **ret)
{
	const json_t *v = json_object_get(obj, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(w, p, "not an array");
	*ret = v;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Printable ASCII without spaces, non-empty: what hfx stores and shows. */
static bool word_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static int check_word(struct walker *w, const struct jpath *p, const char *what,
		      const char *s)
{
	char shown[EXCERPT_MAX];

	if (!s[0])
		return fail_purl(w, p, "empty %s", what);
	if (!word_ok(s, strlen(s)))
		return fail_purl(w, p, "%s '%s': not printable ASCII without spaces", what,
				 show_str(shown, s));
	return 0;
}

static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !strncasecmp(s, prefix, k);
}

/* Whether s[0..n) is a purl of an OS package type, from its first bytes. */
static bool is_os_purl(const char *s, size_t n)
{
	static const char *const types[] = { "deb/", "rpm/", "apk/" };

	if (!starts_with_ci(s, n, "pkg:"))
		return false;
	s += 4;
	n -= 4;
	while (n && *s == '/')
		s++, n--;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (starts_with_ci(s, n, types[i]))
			return true;
	return false;
}

/* ---- the operating system ---- */

/* An os-release ID: lowercase letters, digits, "._-". */
static bool os_id_valid(const char *s)
{
	return s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == strlen(s);
}

/* Copies s[0..n) lowercased into id; false (id "") when it is no ID. */
static bool set_id(char id[64], const char *s, size_t n)
{
	id[0] = '\0';
	if (n >= 64)
		return false;
	for (size_t i = 0; i < n; i++)
		id[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	id[n] = '\0';
	/* The purl namespace of Red Hat packages; os-release says "rhel". */
	if (!strcmp(id, "redhat"))
		memcpy(id, "rhel", 5);
	if (!os_id_valid(id))
		id[0] = '\0';
	return id[0] != '\0';
}

static bool set_version_id(char v[64], const char *s, size_t n)
{
	v[0] = '\0';
	if (n >= 64 || !word_ok(s, n))
		return false;
	memcpy(v, s, n);
	v[n] = '\0';
	return true;
}

/* Takes a new guess g, found at p, into *have; two that differ fail. */
static int merge_guess(struct walker *w, struct os_guess *have, struct os_guess *g,
		       const struct jpath *p, const char *what)
{
	char a[EXCERPT_MAX], b[EXCERPT_MAX];

	jpath_render(p, g->where, sizeof(g->where));
	if (!have->found) {
		*have = *g;
		have->found = true;
		return 0;
	}
	if (!strcmp(have->id, g->id) && !strcmp(have->version_id, g->version_id))
		return 0;
	return fail(w, p, "%s '%s %s' differs from '%s %s' (%s): an SBOM of several systems "
		    "is not supported", what, show_str(a, g->id), g->version_id,
		    show_str(b, have->id), have->version_id, have->where);
}

/* An "operating-system" component (or SPDX package) at p. */
static int os_component(struct walker *w, const char *name, const char *version,
			const struct jpath *p)
{
	struct os_guess g = { 0 };

	/* A name or version that is no os-release value ("Debian GNU/Linux")
	 * is left for the purls' distro qualifiers to supply. */
	if (name)
		set_id(g.id, name, strlen(name));
	if (version)
		set_version_id(g.version_id, version, strlen(version));
	if (!g.id[0] && !g.version_id[0])
		return 0;
	return merge_guess(w, &w->comp, &g, p, "operating system");
}

/* Release numbers of Debian and Ubuntu code names, as distro qualifiers
 * name them ("distro=stretch"): os-release VERSION_ID is the number. */
static const struct codename {
	const char *name, *id, *version;
} codenames[] = {
	{ "wheezy", "debian", "7" },
	{ "jessie", "debian", "8" },
	{ "stretch", "debian", "9" },
	{ "buster", "debian", "10" },
	{ "bullseye", "debian", "11" },
	{ "bookworm", "debian", "12" },
	{ "trixie", "debian", "13" },
	{ "forky", "debian", "14" },
	{ "trusty", "ubuntu", "14.04" },
	{ "xenial", "ubuntu", "16.04" },
	{ "bionic", "ubuntu", "18.04" },
	{ "focal", "ubuntu", "20.04" },
	{ "jammy", "ubuntu", "22.04" },
	{ "lunar", "ubuntu", "23.04" },
	{ "mantic", "ubuntu", "23.10" },
	{ "noble", "ubuntu", "24.04" },
	{ "oracular", "ubuntu", "24.10" },
	{ "plucky", "ubuntu", "25.04" },
	{ "questing", "ubuntu", "25.10" },
};

/* What a distro qualifier value says, with the purl namespace; see sbom.h. */
static void distro_guess(const char *distro, const char *ns, struct os_guess *g)
{
	size_t n = strlen(distro);
	const char *dash = memrchr(distro, '-', n);
	const char *code = dash ? dash + 1 : distro;

	if (dash && dash > distro && is_digit(dash[1])) {
		set_id(g->id, distro, (size_t)(dash - distro));
		set_version_id(g->version_id, dash + 1, strlen(dash + 1));
		return;
	}
	if (is_digit(distro[0])) {
		set_id(g->id, ns, strlen(ns));
		set_version_id(g->version_id, distro, n);
		return;
	}
	for (size_t i = 0; i < sizeof(codenames) / sizeof(codenames[0]); i++)
		if (!strcasecmp(code, codenames[i].name)) {
			set_id(g->id, codenames[i].id, strlen(codenames[i].id));
			set_version_id(g->version_id, codenames[i].version,
				       strlen(codenames[i].version));
			return;
		}
	/* An unknown code name: the namespace may still give the ID. */
	set_id(g->id, ns, strlen(ns));
}

static int note_distro(struct walker *w, const struct jpath *p)
{
	const char *distro = purl_qualifier(&w->purl, "distro");
	struct os_guess g = { 0 };

	if (!distro)
		return 0;
	distro_guess(distro, w->purl.ns, &g);
	if (!g.id[0] && !g.version_id[0])
		return 0;
	return merge_guess(w, &w->distro, &g, p, "distro");
}

/* Calls the sink's os() when an ID and a VERSION_ID are known. */
static int report_os(struct walker *w)
{
	struct inv_os os = { 0 };

	memcpy(os.id, w->comp.id[0] ? w->comp.id : w->distro.id, sizeof(os.id));
	if (w->comp.version_id[0])
		memcpy(os.version_id, w->comp.version_id, sizeof(os.version_id));
	else if (!w->distro.id[0] || !strcmp(w->distro.id, os.id))
		memcpy(os.version_id, w->distro.version_id, sizeof(os.version_id));
	if (!os.id[0] || !os.version_id[0] || !w->sink->os)
		return 0;
	return w->sink->os(&os, w->sink->ctx, w->e);
}

/* ---- packages ---- */

/* The "epoch" qualifier: NULL when absent or zero; fails unless digits. */
static int get_epoch(struct walker *w, const struct jpath *p, const char **ret)
{
	const char *q = purl_qualifier(&w->purl, "epoch");
	char shown[EXCERPT_MAX];
	size_t n;

	*ret = NULL;
	if (!q)
		return 0;
	n = strlen(q);
	if (n > 10 || strspn(q, "0123456789") != n)
		return fail_purl(w, p, "'epoch' qualifier '%s': not a number",
				 show_str(shown, q));
	if (strspn(q, "0") != n)
		*ret = q;
	return 0;
}

/* Whether the decimal strings a[0..an) and b are the same number. */
static bool same_number(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	while (an > 1 && *a == '0')
		a++, an--;
	while (bn > 1 && *b == '0')
		b++, bn--;
	return an == bn && !memcmp(a, b, an);
}

/* "[epoch:]version" into out; a version with its own epoch must agree. */
static int compose_version(struct walker *w, const struct jpath *p, const char *ver,
			   const char *epoch, char *out, size_t cap)
{
	const char *colon = strchr(ver, ':');
	char shown[EXCERPT_MAX];
	int n;

	if (epoch && colon) {
		if (!same_number(ver, (size_t)(colon - ver), epoch))
			return fail_purl(w, p, "version '%s' has another epoch than the 'epoch' "
					 "qualifier '%s'", show_str(shown, ver), epoch);
		epoch = NULL;
	}
	n = snprintf(out, cap, "%s%s%s", epoch ? epoch : "", epoch ? ":" : "", ver);
	if (n < 0 || (size_t)n >= cap)
		return fail_purl(w, p, "version longer than %zu bytes", cap - 1);
	return 0;
}

/* The source package from a deb "upstream" ("name" or "name@version") or
 * "source" qualifier, or an apk "origin" or "upstream". */
static int source_plain(struct walker *w, const struct jpath *p, const char *q,
			bool with_version)
{
	struct pkg_out *o = &w->out;
	const char *at = with_version ? strchr(q, '@') : NULL;
	size_t n = at ? (size_t)(at - q) : strlen(q);

	if (!n)
		return fail_purl(w, p, "empty source package name");
	if (n >= sizeof(o->source))
		return fail_purl(w, p, "source package name longer than %zu bytes",
				 sizeof(o->source) - 1);
	memcpy(o->source, q, n);
	o->source[n] = '\0';
	if (at && at[1] && (size_t)snprintf(o->source_version, sizeof(o->source_version),
					    "%s", at + 1) >= sizeof(o->source_version))
		return fail_purl(w, p, "source version longer than %zu bytes",
				 sizeof(o->source_version) - 1);
	return 0;
}

/* The source package from an rpm "upstream" qualifier: the source rpm's
 * file name "NAME-VERSION-RELEASE.src.rpm" (".nosrc.rpm"); VERSION and
 * RELEASE hold no '-', so the last two split it. Another value is taken
 * as a bare name. The source rpm carries no epoch: the binary's is used,
 * as the packages built from one spec file share it. */
static int source_rpm(struct walker *w, const struct jpath *p, const char *q,
		      const char *epoch)
{
	static const char *const suffixes[] = { ".src.rpm", ".nosrc.rpm" };
	struct pkg_out *o = &w->out;
	const char *d1 = NULL, *d2 = NULL;
	char shown[EXCERPT_MAX];
	size_t n = strlen(q), k;
	int len;

	for (k = 0; k < 2; k++)
		if (n > strlen(suffixes[k]) && !strcmp(q + n - strlen(suffixes[k]), suffixes[k]))
			break;
	if (k == 2)
		return source_plain(w, p, q, false);
	n -= strlen(suffixes[k]);
	d2 = memrchr(q, '-', n);
	if (d2)
		d1 = memrchr(q, '-', (size_t)(d2 - q));
	if (!d1 || d1 == q || d2 == d1 + 1 || d2 + 1 == q + n)
		return fail_purl(w, p, "'upstream' qualifier '%s': expected "
				 "NAME-VERSION-RELEASE%s", show_str(shown, q), suffixes[k]);
	if ((size_t)(d1 - q) >= sizeof(o->source))
		return fail_purl(w, p, "source package name longer than %zu bytes",
				 sizeof(o->source) - 1);
	memcpy(o->source, q, (size_t)(d1 - q));
	o->source[d1 - q] = '\0';
	len = snprintf(o->source_version, sizeof(o->source_version), "%s%s%.*s",
		       epoch ? epoch : "", epoch ? ":" : "", (int)(q + n - d1 - 1), d1 + 1);
	if (len < 0 || (size_t)len >= sizeof(o->source_version))
		return fail_purl(w, p, "source version longer than %zu bytes",
				 sizeof(o->source_version) - 1);
	return 0;
}

/* A Trivy property "aquasecurity:trivy:<suffix>" of component c, or NULL. */
static int trivy_prop(struct walker *w, const json_t *c, const struct jpath *cp,
		      const char *suffix, const char **ret)
{
	static const char prefix[] = "aquasecurity:trivy:";
	struct jpath pp = { cp, "properties", 0 };
	const json_t *props = NULL, *v;
	size_t i;
	int r;

	*ret = NULL;
	r = get_array(w, c, "properties", &pp, &props);
	json_array_foreach(props, i, v) {
		struct jpath ip = { &pp, NULL, i };
		const char *name = NULL, *value = NULL;

		if (r)
			break;
		if (!json_is_object(v))
			return fail(w, &ip, "not an object");
		r = get_string(w, v, "name", &ip, &name, NULL);
		if (!r)
			r = get_string(w, v, "value", &ip, &value, NULL);
		if (!r && name && !strncmp(name, prefix, sizeof(prefix) - 1) &&
		    !strcmp(name + sizeof(prefix) - 1, suffix))
			*ret = value;
	}
	return r;
}

/* The source package from Trivy's properties, when it wrote them. */
static int source_trivy(struct walker *w, const struct jpath *p, const json_t *c,
			const struct jpath *cp)
{
	struct pkg_out *o = &w->out;
	const char *name = NULL, *ver = NULL, *rel = NULL, *epoch = NULL;
	bool has_epoch;
	int r, n;

	r = trivy_prop(w, c, cp, "SrcName", &name);
	if (r || !name)
		return r;
	r = source_plain(w, p, name, false);
	if (!r)
		r = trivy_prop(w, c, cp, "SrcVersion", &ver);
	if (!r)
		r = trivy_prop(w, c, cp, "SrcRelease", &rel);
	if (!r)
		r = trivy_prop(w, c, cp, "SrcEpoch", &epoch);
	if (r || !ver || !ver[0])
		return r;
	has_epoch = epoch && epoch[0] && strspn(epoch, "0") != strlen(epoch);
	n = snprintf(o->source_version, sizeof(o->source_version), "%s%s%s%s%s",
		     has_epoch ? epoch : "", has_epoch ? ":" : "", ver,
		     rel && rel[0] ? "-" : "", rel ? rel : "");
	if (n < 0 || (size_t)n >= sizeof(o->source_version))
		return fail_purl(w, p, "source version longer than %zu bytes",
				 sizeof(o->source_version) - 1);
	return 0;
}

/* Fills w->out from w->purl: see sbom.h for where each field comes from. */
static int build_pkg(struct walker *w, const struct jpath *p, const char *alt_version,
		     const char *alt_what, const json_t *c, const struct jpath *cp)
{
	const struct purl *u = &w->purl;
	struct pkg_out *o = &w->out;
	const char *ver = u->version[0] ? u->version : alt_version;
	const char *epoch = NULL, *arch = purl_qualifier(u, "arch"), *q;
	bool deb = !strcmp(u->type, "deb"), rpm = !strcmp(u->type, "rpm");
	int r;

	if (!ver || !ver[0])
		return fail_purl(w, p, "no version, neither in the purl nor in %s", alt_what);
	r = check_word(w, p, "name", u->name);
	/* apk has no epochs; an "epoch" qualifier there means nothing. */
	if (!r && (deb || rpm))
		r = get_epoch(w, p, &epoch);
	if (!r)
		r = compose_version(w, p, ver, epoch, o->version, sizeof(o->version));
	if (!r)
		r = check_word(w, p, "version", o->version);
	if (!r && arch)
		r = check_word(w, p, "arch", arch);
	if (r)
		return r;
	o->source[0] = o->source_version[0] = '\0';
	if (deb && ((q = purl_qualifier(u, "upstream")) || (q = purl_qualifier(u, "source"))))
		r = source_plain(w, p, q, true);
	else if (rpm && (q = purl_qualifier(u, "upstream")))
		r = source_rpm(w, p, q, epoch);
	else if (!deb && !rpm &&
		 ((q = purl_qualifier(u, "origin")) || (q = purl_qualifier(u, "upstream"))))
		r = source_plain(w, p, q, false);
	else if (c)
		r = source_trivy(w, p, c, cp);
	if (r)
		return r;
	_Static_assert(sizeof(o->source) == sizeof(u->name), "a purl name fits a source");
	if (!o->source[0])
		memcpy(o->source, u->name, sizeof(o->source));
	if (!o->source_version[0])
		memcpy(o->source_version, o->version, sizeof(o->source_version));
	r = check_word(w, p, "source package name", o->source);
	if (!r)
		r = check_word(w, p, "source version", o->source_version);
	return r;
}

/*
 * Whether a package is one a host can have installed: not a source
 * package (rpm arch "src" or "nosrc", as the Red Hat SBOMs list beside
 * the binaries; deb arch "source"), and not an rpm "gpg-pubkey", the
 * signing keys rpm keeps in its database (rpm_list.c skips them too).
 */
static bool installable(const struct purl *u)
{
	const char *arch = purl_qualifier(u, "arch");

	if (!strcmp(u->type, "rpm"))
		return strcmp(u->name, "gpg-pubkey") &&
		       !(arch && (!strcmp(arch, "src") || !strcmp(arch, "nosrc")));
	if (!strcmp(u->type, "deb"))
		return !(arch && !strcmp(arch, "source"));
	return true;
}

/*
 * The purl s[0..n) at p, of the component (package) c at cp whose own
 * version field is alt_key: reported when it is an OS package.
 */
static int os_package(struct walker *w, const char *s, size_t n, const struct jpath *p,
		      const json_t *c, const struct jpath *cp, const char *alt_key,
		      size_t record)
{
	const char *alt = NULL;
	char msg[sizeof(w->e->msg)], what[64];
	struct pkg_out *o = &w->out;
	int r;

	if (!is_os_purl(s, n))
		return 0;
	w->raw = s;
	w->raw_len = n;
	if (purl_parse(s, n, &w->purl, w->e)) {
		memcpy(msg, w->e->msg, sizeof(msg));
		return fail_purl(w, p, "%s", msg);
	}
	if (!installable(&w->purl))
		return 0;
	r = get_string(w, c, alt_key, cp, &alt, NULL);
	snprintf(what, sizeof(what), "'%s'", alt_key);
	if (!r)
		r = build_pkg(w, p, alt, what, c, cp);
	if (r)
		return r;
	if (w->pass == PASS_CHECK)
		return note_distro(w, p);
	o->pkg = (struct inv_pkg){
		.name = w->purl.name, .name_len = strlen(w->purl.name),
		.version = o->version, .version_len = strlen(o->version),
		.arch = "", .arch_len = 0,
		.source = o->source, .source_len = strlen(o->source),
		.source_version = o->source_version,
		.source_version_len = strlen(o->source_version),
		.line = record,
	};
	if (purl_qualifier(&w->purl, "arch")) {
		o->pkg.arch = purl_qualifier(&w->purl, "arch");
		o->pkg.arch_len = strlen(o->pkg.arch);
	}
	return w->sink->pkg(&o->pkg, w->sink->ctx, w->e);
}

/* ---- documents ---- */

/* Loads data as a JSON object. */
static int load(const char *data, size_t len, const char *filename, json_t **ret,
		struct err *e)
{
	char text[EXCERPT_MAX];
	json_error_t jerr;
	json_t *root;

	if (len > SBOM_MAX)
		return err_set(e, ERR_INPUT, "%s: %zu bytes, more than the limit of %u",
			       filename, len, SBOM_MAX);
	/* Duplicate keys make a document ambiguous: which did the tool mean? */
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_set(e, json_error_code(&jerr) == json_error_out_of_memory ?
			       ERR_NOMEM : ERR_INPUT, "%s: line %d column %d: %s", filename,
			       jerr.line, jerr.column, show_str(text, jerr.text));
	if (!json_is_object(root)) {
		json_decref(root);
		return err_set(e, ERR_INPUT, "%s: not a JSON object", filename);
	}
	*ret = root;
	return 0;
}

static int cdx_components(struct walker *w, const json_t *obj, const struct jpath *up,
			  unsigned depth);

static int cdx_component(struct walker *w, const json_t *c, const struct jpath *p,
			 unsigned depth)
{
	struct jpath pp = { p, "purl", 0 };
	const char *type = NULL, *purl = NULL, *name = NULL, *version = NULL;
	size_t purl_len = 0, record = ++w->record;
	int r;

	if (!json_is_object(c))
		return fail(w, p, "not an object");
	r = get_string(w, c, "type", p, &type, NULL);
	if (!r && type && !strcmp(type, "operating-system") && w->pass == PASS_CHECK) {
		r = get_string(w, c, "name", p, &name, NULL);
		if (!r)
			r = get_string(w, c, "version", p, &version, NULL);
		if (!r)
			r = os_component(w, name, version, p);
	}
	if (!r)
		r = get_string(w, c, "purl", p, &purl, &purl_len);
	if (!r && purl)
		r = os_package(w, purl, purl_len, &pp, c, p, "version", record);
	if (!r)
		r = cdx_components(w, c, p, depth + 1);
	return r;
}

/* The "components" array of obj (the document or a component), if any. */
static int cdx_components(struct walker *w, const json_t *obj, const struct jpath *up,
			  unsigned depth)
{
	struct jpath p = { up, "components", 0 };
	const json_t *arr = NULL, *c;
	size_t i;
	int r;

	r = get_array(w, obj, "components", &p, &arr);
	if (r || !arr)
		return r;
	if (depth > SBOM_DEPTH_MAX)
		return fail(w, &p, "components nested more than %u deep", SBOM_DEPTH_MAX);
	json_array_foreach(arr, i, c) {
		struct jpath ip = { &p, NULL, i };

		r = cdx_component(w, c, &ip, depth);
		if (r)
			return r;
	}
	return 0;
}

static int cdx_metadata(struct walker *w, const json_t *root)
{
	struct jpath mp = { NULL, "metadata", 0 }, cp = { &mp, "component", 0 };
	const json_t *meta = json_object_get(root, "metadata"), *c;
	const char *type = NULL, *name = NULL, *version = NULL;
	int r;

	if (!meta || json_is_null(meta))
		return 0;
	if (!json_is_object(meta))
		return fail(w, &mp, "not an object");
	c = json_object_get(meta, "component");
	if (!c || json_is_null(c))
		return 0;
	if (!json_is_object(c))
		return fail(w, &cp, "not an object");
	r = get_string(w, c, "type", &cp, &type, NULL);
	if (r || !type || strcmp(type, "operating-system"))
		return r;
	r = get_string(w, c, "name", &cp, &name, NULL);
	if (!r)
		r = get_string(w, c, "version", &cp, &version, NULL);
	if (!r)
		r = os_component(w, name, version, &cp);
	return r;
}

static int cdx_walk(struct walker *w, const json_t *root)
{
	struct jpath bp = { NULL, "bomFormat", 0 }, sp = { NULL, "specVersion", 0 };
	const char *format = NULL, *spec = NULL;
	char shown[EXCERPT_MAX];
	int r;

	r = get_string(w, root, "bomFormat", NULL, &format, NULL);
	if (r)
		return r;
	if (!format)
		return fail(w, &bp, "missing: not a CycloneDX document");
	if (strcmp(format, "CycloneDX"))
		return fail(w, &bp, "'%s', not 'CycloneDX'", show_str(shown, format));
	/* Checked for its type only: the fields read are the same in 1.0-1.7. */
	r = get_string(w, root, "specVersion", NULL, &spec, NULL);
	if (!r && spec && strncmp(spec, "1.", 2))
		r = fail(w, &sp, "'%s': only CycloneDX 1.x is supported", show_str(shown, spec));
	if (!r && w->pass == PASS_CHECK)
		r = cdx_metadata(w, root);
	if (!r)
		r = cdx_components(w, root, NULL, 0);
	return r;
}

static bool is_os_package(const char *purpose, const char *spdxid)
{
	static const char trivy_os[] = "SPDXRef-OperatingSystem-";

	return (purpose && !strcmp(purpose, "OPERATING-SYSTEM")) ||
	       (spdxid && !strncmp(spdxid, trivy_os, sizeof(trivy_os) - 1));
}

static int spdx_package(struct walker *w, const json_t *pk, const struct jpath *p)
{
	struct jpath rp = { p, "externalRefs", 0 };
	const char *name = NULL, *version = NULL, *purpose = NULL, *spdxid = NULL;
	const json_t *refs = NULL, *ref;
	size_t i, record = ++w->record;
	int r;

	if (!json_is_object(pk))
		return fail(w, p, "not an object");
	r = get_string(w, pk, "name", p, &name, NULL);
	if (!r)
		r = get_string(w, pk, "versionInfo", p, &version, NULL);
	if (!r)
		r = get_string(w, pk, "primaryPackagePurpose", p, &purpose, NULL);
	if (!r)
		r = get_string(w, pk, "SPDXID", p, &spdxid, NULL);
	if (!r && w->pass == PASS_CHECK && is_os_package(purpose, spdxid))
		r = os_component(w, name, version, p);
	if (!r)
		r = get_array(w, pk, "externalRefs", &rp, &refs);
	json_array_foreach(refs, i, ref) {
		struct jpath ip = { &rp, NULL, i }, lp = { &ip, "referenceLocator", 0 };
		const char *type = NULL, *loc = NULL;
		size_t loc_len = 0;

		if (r)
			break;
		if (!json_is_object(ref))
			return fail(w, &ip, "not an object");
		r = get_string(w, ref, "referenceType", &ip, &type, NULL);
		if (r || !type || strcmp(type, "purl"))
			continue;
		r = get_string(w, ref, "referenceLocator", &ip, &loc, &loc_len);
		if (!r && !loc)
			r = fail(w, &lp, "missing");
		/* The first OS purl names the package; any other is an alias. */
		if (!r && is_os_purl(loc, loc_len))
			return os_package(w, loc, loc_len, &lp, pk, p, "versionInfo", record);
	}
	return r;
}

static int spdx_walk(struct walker *w, const json_t *root)
{
	struct jpath vp = { NULL, "spdxVersion", 0 }, pp = { NULL, "packages", 0 };
	const json_t *pkgs = NULL, *pk;
	const char *version = NULL;
	char shown[EXCERPT_MAX];
	size_t i;
	int r;

	r = get_string(w, root, "spdxVersion", NULL, &version, NULL);
	if (r)
		return r;
	if (!version)
		return fail(w, &vp, "missing: not an SPDX document");
	if (strncmp(version, "SPDX-2.", 7))
		return fail(w, &vp, "'%s': only SPDX 2.x JSON is supported",
			    show_str(shown, version));
	r = get_array(w, root, "packages", &pp, &pkgs);
	json_array_foreach(pkgs, i, pk) {
		struct jpath ip = { &pp, NULL, i };

		if (r)
			break;
		r = spdx_package(w, pk, &ip);
	}
	return r;
}

/* Loads the document, checks it and finds the OS, then reports. */
static int parse(const char *data, size_t len, const char *filename,
		 const struct inv_sink *sink, struct err *e,
		 int (*walk)(struct walker *w, const json_t *root))
{
	struct walker *w = NULL;
	json_t *root = NULL;
	int r;

	r = load(data, len, filename, &root, e);
	if (r)
		return r;
	/* On the heap: a struct purl and its buffers are some 6 KiB. */
	w = calloc(1, sizeof(*w));
	if (!w) {
		r = err_set(e, ERR_NOMEM, "%s: out of memory", filename);
		goto out;
	}
	*w = (struct walker){ .filename = filename, .sink = sink, .e = e, .pass = PASS_CHECK };
	r = walk(w, root);
	if (!r)
		r = report_os(w);
	if (r)
		goto out;
	w->pass = PASS_REPORT;
	w->record = 0;
	r = walk(w, root);
out:
	free(w);
	json_decref(root);
	return r;
}

int sbom_cyclonedx_json_parse(const char *data, size_t len, const char *filename,
			      const struct inv_sink *sink, struct err *e)
{
	return parse(data, len, filename, sink, e, cdx_walk);
}

int sbom_spdx_json_parse(const char *data, size_t len, const char *filename,
			 const struct inv_sink *sink, struct err *e)
{
	return parse(data, len, filename, sink, e, spdx_walk);
}

/* ---- sniffing ---- */

/* Whether data holds "key" : "value..." (value a prefix), JSON spaces allowed. */
static bool has_member(const char *data, size_t len, const char *key, const char *value)
{
	const char *end = data + len, *s = data;
	size_t klen = strlen(key), vlen = strlen(value);

	while (s < end) {
		const char *k = memmem(s, (size_t)(end - s), key, klen);
		const char *v;

		if (!k)
			return false;
		v = k + klen;
		while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
			v++;
		if (v < end && *v == ':') {
			v++;
			while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
				v++;
			if ((size_t)(end - v) >= vlen && !memcmp(v, value, vlen))
				return true;
		}
		s = k + 1;
	}
	return false;
}

static bool starts_object(const char *data, size_t len)
{
	size_t i = 0;

	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
			   data[i] == '\r'))
		i++;
	return i < len && data[i] == '{';
}

bool sbom_cyclonedx_json_looks_like(const char *data, size_t len)
{
	return data && starts_object(data, len) &&
	       has_member(data, len, "\"bomFormat\"", "\"CycloneDX\"");
}

bool sbom_spdx_json_looks_like(const char *data, size_t len)
{
	return data && starts_object(data, len) &&
	       has_member(data, len, "\"spdxVersion\"", "\"SPDX-2.");
}
