/*
 * Parser of Red Hat container catalog rpm-manifest documents; the contract
 * is in rpm_manifest.h.
 *
 * The document is loaded with jansson and each rpms[] entry is checked and
 * reported in turn. Field paths for messages are a chain of struct jpath on
 * the stack, rendered only when an error is reported (as in vuls.c).
 *
 * The character rules are rpmbuild's, as rpm_list.c applies them to rpm
 * -qa output: a name of ASCII letters, digits and ".-_+%{}", a version or
 * release of letters, digits and "._+%{}~^", neither holding "..", an
 * architecture of letters, digits and '_'. They are repeated here in a few
 * lines rather than shared, so that each parser stays alone with its
 * format; the catalog copies these fields from the rpm headers, so every
 * real entry passes.
 */
#include "inventory/rpm_manifest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/jpath.h"
#include "base/show.h"

/* How far rpm_manifest_looks_like() reads. */
#define SNIFF_MAX 8192

#define OBJECT_TYPE "containerImageRPMManifest"
#define NAME_EXTRA ".-_+%{}"
#define VERREL_EXTRA "._+%{}~^"

struct span {
	const char *p;
	size_t len;
};

struct parser {
	const char *filename;
	const struct inv_sink *sink;
	struct err *e;
};

/* An srpm_nevra cut into its parts; epoch 0 when it has none. */
struct nevra {
	struct span name, version, release;
	uint32_t epoch;
};

/* Paths with keys of the document's own choosing, so keys are shown. */
static size_t path_render(const struct jpath *p, char *out, size_t n)
{
	return jpath_render_shown(p, SHOW_MAX, out, n);
}

/* Sets "<file>: <path>: <what>" (no path part when p is NULL). */
__attribute__((format(printf, 4, 5)))
static int fail(const struct parser *ps, int code, const struct jpath *p, const char *fmt, ...)
{
	char where[384], what[512];
	va_list ap;

	path_render(p, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (where[0])
		return err_set(ps->e, code, "%s: %s: %s", ps->filename, where, what);
	return err_set(ps->e, code, "%s: %s", ps->filename, what);
}

/* obj[key], with null read as absent. */
static const json_t *get(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

/* obj[key], a required string of at most RPM_MANIFEST_FIELD_MAX bytes. */
static int field_string(const struct parser *ps, const json_t *obj, const char *key,
			const struct jpath *up, const char *why_needed, struct span *ret)
{
	struct jpath p = { up, key, 0 };
	const json_t *v = get(obj, key);
	size_t len;

	if (!v)
		return fail(ps, ERR_INPUT, &p, "missing%s", why_needed);
	if (!json_is_string(v))
		return fail(ps, ERR_INPUT, &p, "expected a string");
	len = json_string_length(v);
	if (len > RPM_MANIFEST_FIELD_MAX)
		return fail(ps, ERR_NOMEM, &p, "%zu bytes, longer than the limit of %u", len,
			    RPM_MANIFEST_FIELD_MAX);
	*ret = (struct span){ json_string_value(v), len };
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Checks rpmbuild's rules for a name (extra NAME_EXTRA) or a version or
 * release (VERREL_EXTRA); what names the part in the message. */
static int check_chars(const struct parser *ps, const struct jpath *p, const char *what,
		       struct span v, const char *extra)
{
	char shown[SHOW_MAX];

	if (!v.len)
		return fail(ps, ERR_INPUT, p, "empty %s", what);
	for (size_t i = 0; i < v.len; i++) {
		if (!is_alnum(v.p[i]) && (v.p[i] == '\0' || !strchr(extra, v.p[i])))
			return fail(ps, ERR_INPUT, p,
				    "invalid %s '%s': only letters, digits and %s are allowed",
				    what, show_bytes(shown, v.p, v.len), extra);
		if (i && v.p[i] == '.' && v.p[i - 1] == '.')
			return fail(ps, ERR_INPUT, p, "invalid %s '%s': rpm forbids '..'", what,
				    show_bytes(shown, v.p, v.len));
	}
	return 0;
}

/* Architectures are rpmrc's names: x86_64, noarch, aarch64, ppc64le ... */
static bool arch_ok(struct span v)
{
	for (size_t i = 0; i < v.len; i++)
		if (!is_alnum(v.p[i]) && v.p[i] != '_')
			return false;
	return v.len > 0;
}

static bool ends_with(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && !memcmp(s.p + s.len - n, lit, n);
}

/*
 * Cuts srpm_nevra, "NAME-[EPOCH:]VERSION-RELEASE.src" in every real
 * manifest ("tar-2:1.30-4.el8.src", "libxcrypt-0:4.1.1-4.el8.src"), also
 * taken with ".nosrc" and with a trailing ".rpm". VERSION and RELEASE hold
 * no '-', so the last two '-' split it whatever '-' the NAME holds.
 */
static int parse_nevra(const struct parser *ps, const struct jpath *p, struct span v,
		       struct nevra *ret)
{
	char shown[SHOW_MAX];
	struct span rest = v, ev;
	const char *dash, *colon;
	uint64_t epoch = 0;
	int r;

	if (ends_with(rest, ".rpm"))
		rest.len -= 4;
	if (ends_with(rest, ".src"))
		rest.len -= 4;
	else if (ends_with(rest, ".nosrc"))
		rest.len -= 6;
	else
		return fail(ps, ERR_INPUT, p, "'%s' does not end in '.src' or '.nosrc'",
			    show_bytes(shown, v.p, v.len));
	dash = rest.len ? memrchr(rest.p, '-', rest.len) : NULL;
	if (!dash)
		goto bad;
	ret->release = (struct span){ dash + 1, (size_t)(rest.p + rest.len - dash - 1) };
	rest.len = (size_t)(dash - rest.p);
	dash = rest.len ? memrchr(rest.p, '-', rest.len) : NULL;
	if (!dash)
		goto bad;
	ev = (struct span){ dash + 1, (size_t)(rest.p + rest.len - dash - 1) };
	ret->name = (struct span){ rest.p, (size_t)(dash - rest.p) };
	colon = memchr(ev.p, ':', ev.len);
	ret->version = ev;
	if (colon) {
		if (colon == ev.p)
			goto bad;
		for (const char *c = ev.p; c < colon; c++) {
			if (*c >= '0' && *c <= '9')
				epoch = epoch * 10 + (uint64_t)(*c - '0');
			if (*c < '0' || *c > '9' || epoch > UINT32_MAX)
				return fail(ps, ERR_INPUT, p,
					    "invalid epoch in '%s': expected a decimal number "
					    "of at most %u", show_bytes(shown, v.p, v.len),
					    (unsigned)UINT32_MAX);
		}
		ret->version = (struct span){ colon + 1, (size_t)(ev.p + ev.len - colon - 1) };
	}
	ret->epoch = (uint32_t)epoch;
	r = check_chars(ps, p, "source name", ret->name, NAME_EXTRA);
	if (!r)
		r = check_chars(ps, p, "source version", ret->version, VERREL_EXTRA);
	if (!r)
		r = check_chars(ps, p, "source release", ret->release, VERREL_EXTRA);
	return r;
bad:
	return fail(ps, ERR_INPUT, p, "'%s' is not NAME-[EPOCH:]VERSION-RELEASE.src",
		    show_bytes(shown, v.p, v.len));
}

/* Writes "[epoch:]version-release" into out (size enough for two fields,
 * an epoch and the separators) and returns its length. */
static size_t format_evr(char *out, size_t size, uint32_t epoch, struct span ver,
			 struct span rel)
{
	int n = epoch ? snprintf(out, size, "%lu:", (unsigned long)epoch) : 0;
	size_t o = n > 0 ? (size_t)n : 0;

	memcpy(out + o, ver.p, ver.len);
	o += ver.len;
	out[o++] = '-';
	memcpy(out + o, rel.p, rel.len);
	return o + rel.len;
}

static int report_rpm(const struct parser *ps, const json_t *v, const struct jpath *p)
{
	static const char *const need_nevra = " (the package's epoch is read from it)";
	struct jpath nevra_p = { p, "srpm_nevra", 0 }, srcname_p = { p, "srpm_name", 0 };
	struct jpath name_p = { p, "name", 0 }, ver_p = { p, "version", 0 };
	struct jpath rel_p = { p, "release", 0 }, arch_p = { p, "architecture", 0 };
	char evr[2 * RPM_MANIFEST_FIELD_MAX + 16], src_evr[2 * RPM_MANIFEST_FIELD_MAX + 16];
	char shown[SHOW_MAX], shown2[SHOW_MAX];
	struct span name = { 0 }, ver = { 0 }, rel = { 0 }, arch = { 0 }, nevra_s = { 0 };
	struct span srcname = { 0 };
	struct nevra src = { 0 };
	struct inv_pkg pkg;
	int r;

	if (!json_is_object(v))
		return fail(ps, ERR_INPUT, p, "expected an object");
	r = field_string(ps, v, "name", p, "", &name);
	if (!r)
		r = check_chars(ps, &name_p, "package name", name, NAME_EXTRA);
	if (r)
		return r;
	/* rpm keeps each imported signing key as a package "gpg-pubkey"; it
	 * is not software and no advisory names it. */
	if (name.len == 10 && !memcmp(name.p, "gpg-pubkey", 10))
		return 0;
	r = field_string(ps, v, "version", p, "", &ver);
	if (!r)
		r = check_chars(ps, &ver_p, "version", ver, VERREL_EXTRA);
	if (!r)
		r = field_string(ps, v, "release", p, "", &rel);
	if (!r)
		r = check_chars(ps, &rel_p, "release", rel, VERREL_EXTRA);
	if (!r)
		r = field_string(ps, v, "architecture", p, "", &arch);
	if (!r && !arch_ok(arch))
		r = fail(ps, ERR_INPUT, &arch_p, "invalid architecture '%s' (only letters, "
			 "digits and _)", show_bytes(shown, arch.p, arch.len));
	if (!r)
		r = field_string(ps, v, "srpm_nevra", p, need_nevra, &nevra_s);
	if (!r)
		r = parse_nevra(ps, &nevra_p, nevra_s, &src);
	if (!r)
		r = field_string(ps, v, "srpm_name", p, "", &srcname);
	if (!r && (srcname.len != src.name.len || memcmp(srcname.p, src.name.p, srcname.len)))
		r = fail(ps, ERR_INPUT, &srcname_p, "'%s' differs from the name in srpm_nevra "
			 "'%s'", show_bytes(shown, srcname.p, srcname.len),
			 show_bytes(shown2, nevra_s.p, nevra_s.len));
	if (r)
		return r;

	/*
	 * The manifest gives no epoch for the binary, but Epoch is a tag of
	 * the spec file that every subpackage inherits (rpmbuild copies the
	 * main package's into each), so the source's epoch is the binary's:
	 * device-mapper 1.02.155 from lvm2-8:2.03.02 is 8:1.02.155.
	 */
	pkg = (struct inv_pkg){
		.name = name.p, .name_len = name.len,
		.version = evr, .version_len = format_evr(evr, sizeof(evr), src.epoch, ver, rel),
		.arch = arch.p, .arch_len = arch.len,
		.source = srcname.p, .source_len = srcname.len,
		.source_version = src_evr,
		.source_version_len = format_evr(src_evr, sizeof(src_evr), src.epoch,
						 src.version, src.release),
		.line = 0,
	};
	r = ps->sink->pkg ? ps->sink->pkg(&pkg, ps->sink->ctx, ps->e) : 0;
	if (r) {
		char where[384];

		path_render(p, where, sizeof(where));
		return err_prefix(ps->e, r, "%s: %s", ps->filename, where);
	}
	return 0;
}

/* jansson's message, which may quote the input, made safe to print. */
static int load_error(const struct parser *ps, const json_error_t *jerr)
{
	char text[SHOW_MAX];
	int code = ERR_INPUT;

	if (json_error_code(jerr) == json_error_out_of_memory)
		code = ERR_NOMEM;
	return fail(ps, code, NULL, "line %d column %d: %s", jerr->line, jerr->column,
		    show_bytes(text, jerr->text, strnlen(jerr->text, sizeof(jerr->text))));
}

static int parse_root(const struct parser *ps, const json_t *root)
{
	struct jpath tp = { NULL, "object_type", 0 }, rp = { NULL, "rpms", 0 };
	const json_t *type = get(root, "object_type"), *rpms = get(root, "rpms");
	char shown[SHOW_MAX];

	if (type && !json_is_string(type))
		return fail(ps, ERR_INPUT, &tp, "expected a string");
	if (type && strcmp(json_string_value(type), OBJECT_TYPE))
		return fail(ps, ERR_INPUT, &tp, "'%s', not an rpm manifest ('" OBJECT_TYPE "')",
			    show_bytes(shown, json_string_value(type),
				       json_string_length(type)));
	if (!rpms)
		return fail(ps, ERR_INPUT, &rp, "missing");
	if (!json_is_array(rpms))
		return fail(ps, ERR_INPUT, &rp, "expected an array");
	if (json_array_size(rpms) > RPM_MANIFEST_RPMS_MAX)
		return fail(ps, ERR_NOMEM, &rp, "%zu entries, more than the limit of %u",
			    json_array_size(rpms), RPM_MANIFEST_RPMS_MAX);
	for (size_t i = 0; i < json_array_size(rpms); i++) {
		struct jpath ip = { &rp, NULL, i };
		int r = report_rpm(ps, json_array_get(rpms, i), &ip);

		if (r)
			return r;
	}
	return 0;
}

int rpm_manifest_parse(const char *data, size_t len, const char *filename,
		       const struct inv_sink *sink, struct err *e)
{
	static const struct inv_sink none = { 0 };
	struct parser ps = { .filename = filename ? filename : "input",
			     .sink = sink ? sink : &none, .e = e };
	json_error_t jerr;
	json_t *root = NULL;
	int r;

	if (len > RPM_MANIFEST_MAX)
		return fail(&ps, ERR_NOMEM, NULL, "%zu bytes, larger than the limit of %u", len,
			    RPM_MANIFEST_MAX);
	/* Without JSON_DISABLE_EOF_CHECK, trailing garbage is an error too. */
	root = json_loadb(data ? data : "", data ? len : 0, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return load_error(&ps, &jerr);
	if (json_is_object(root))
		r = parse_root(&ps, root);
	else
		r = fail(&ps, ERR_INPUT, NULL, "expected a JSON object at the top level");
	json_decref(root);
	return r;
}

bool rpm_manifest_looks_like(const char *data, size_t len)
{
	size_t pos = 0;

	if (!data)
		return false;
	while (pos < len && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' ||
			     data[pos] == '\r'))
		pos++;
	if (pos >= len || data[pos] != '{')
		return false;
	if (len > SNIFF_MAX)
		len = SNIFF_MAX;
	return memmem(data, len, "\"" OBJECT_TYPE "\"", strlen(OBJECT_TYPE) + 2) ||
	       (memmem(data, len, "\"rpms\"", 6) && memmem(data, len, "\"srpm_nevra\"", 12));
}
