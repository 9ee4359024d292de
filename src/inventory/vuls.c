/*
 * Parser of Vuls scan results; the contract is in vuls.h.
 *
 * The whole document is loaded with jansson, then walked in three steps:
 * the SrcPackages map is turned into an index from binary name to source
 * entry (a jansson object holding references into the tree), the OS is
 * reported, then each package and each installed KB. Field paths for
 * messages are a chain of struct jpath on the stack, rendered only when an
 * error is reported.
 *
 * Vuls's own JSON is the reference for field names and shapes (Go structs
 * models.ScanResult, models.Package, models.SrcPackage, models.WindowsKB):
 * a nil map or slice is written as null, so null is taken as absent
 * everywhere. Versions are not checked for syntax here: Vuls copied them
 * from dpkg or rpm, and the matcher validates what it compares.
 */
#include "inventory/vuls.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/jpath.h"
#include "base/show.h"

/*
 * Ceilings beyond the input size. Real results list a few hundred packages
 * (the largest of 60 sample hosts: 798) and a few hundred KBs (214); the
 * limits only turn a hostile file into a clear message.
 */
#define VULS_PACKAGES_MAX 1000000u
#define VULS_KBS_MAX 100000u
#define KB_DIGITS_MAX 15

/* How far vuls_looks_like() reads. */
#define SNIFF_MAX 8192

/* Longest rendering of one piece of input in a message (with the NUL). */
#define EXCERPT_MAX 64

struct parser {
	const char *filename;
	const struct inv_sink *sink;
	struct err *e;
	bool deb;           /* versions are Debian versions, "release" unused */
	bool windows;       /* Vuls leaves some Windows versions empty */
	bool rpm;           /* neither of those: "version" and "release" */
	json_t *src_by_bin; /* binary name -> SrcPackages entry; may be NULL */
	struct buf version; /* "version-release" of the package being reported */
};

/*
 * Vuls family -> os-release ID. Vuls names families after its own
 * constants (config/os.go); os-release IDs are what the rest of hfx keys
 * ecosystems on. "opensuse" is what Vuls calls Tumbleweed.
 */
static const struct {
	const char *vuls;
	const char *id;
	bool deb;
} families[] = {
	{ "debian", "debian", true },
	{ "ubuntu", "ubuntu", true },
	{ "raspbian", "raspbian", true },
	{ "alma", "almalinux", false },
	{ "rocky", "rocky", false },
	{ "redhat", "rhel", false },
	{ "centos", "centos", false },
	{ "oracle", "ol", false },
	{ "amazon", "amzn", false },
	{ "fedora", "fedora", false },
	{ "opensuse.leap", "opensuse-leap", false },
	{ "opensuse.tumbleweed", "opensuse-tumbleweed", false },
	{ "opensuse", "opensuse-tumbleweed", false },
	{ "suse.linux.enterprise.server", "sles", false },
	{ "suse.linux.enterprise.desktop", "sled", false },
	{ "alpine", "alpine", false },
	{ "windows", "windows", false },
};

/*
 * Kernel release suffixes that name the architecture. The spelling is kept
 * as the kernel has it, which is the package manager's own (RPM "x86_64",
 * dpkg "amd64"), as host_inventory.c records for dpkg hosts.
 */
static const char *const kernel_arches[] = {
	"x86_64", "aarch64", "i686", "i586", "ppc64le", "ppc64", "s390x",
	"armv7hl", "riscv64", "amd64", "arm64", "armhf", "ppc64el",
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

/* Paths with keys of the document's own choosing, so keys are shown. */
static size_t path_render(const struct jpath *p, char *out, size_t n)
{
	return jpath_render_shown(p, EXCERPT_MAX, out, n);
}

/* Sets "<file>: <path>: <what>" and returns code. */
__attribute__((format(printf, 4, 5)))
static int fail(struct parser *ps, int code, const struct jpath *p, const char *fmt, ...)
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

/* obj[key], with null read as absent (Vuls writes nil maps as null). */
static const json_t *get(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

/*
 * Checks a string hfx keeps: bounded, and without control characters
 * (jansson has already checked that it is UTF-8 without NUL bytes).
 */
static int check_string(struct parser *ps, const json_t *v, const struct jpath *p)
{
	const char *s;
	size_t len;

	if (!json_is_string(v))
		return fail(ps, ERR_INPUT, p, "expected a string");
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > VULS_STRING_MAX)
		return fail(ps, ERR_NOMEM, p, "string of %zu bytes, longer than the limit of %u",
			    len, VULS_STRING_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			char shown[EXCERPT_MAX];

			return fail(ps, ERR_INPUT, p, "control character in '%s'",
				    show(shown, s, len));
		}
	}
	return 0;
}

/*
 * obj[key] as a string into *s and *len: "" when absent and optional,
 * "missing" when absent and required.
 */
static int field_string(struct parser *ps, const json_t *obj, const char *key,
			bool required, const struct jpath *up, const char **s, size_t *len)
{
	struct jpath p = { up, key, 0 };
	const json_t *v = get(obj, key);
	int r;

	*s = "";
	*len = 0;
	if (!v)
		return required ? fail(ps, ERR_INPUT, &p, "missing") : 0;
	r = check_string(ps, v, &p);
	if (r)
		return r;
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* A name or version that must not be empty (Windows versions may be). */
static int field_nonempty(struct parser *ps, const json_t *obj, const char *key,
			  bool empty_ok, const struct jpath *up, const char **s, size_t *len)
{
	struct jpath p = { up, key, 0 };
	int r = field_string(ps, obj, key, true, up, s, len);

	if (!r && !*len && !empty_ok)
		r = fail(ps, ERR_INPUT, &p, "empty");
	return r;
}

/* Copies an OS field into its fixed-size slot of struct inv_os. */
static int copy_os(struct parser *ps, const struct jpath *p, char *dst, size_t size,
		   const char *s, size_t len)
{
	if (len >= size)
		return fail(ps, ERR_INPUT, p, "%zu bytes, longer than the limit of %zu",
			    len, size - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* The architecture a kernel release ends in ("....el9.x86_64"), or "". */
static const char *kernel_arch(const char *rel, size_t len)
{
	size_t start = len;

	while (start > 0 && rel[start - 1] != '.' && rel[start - 1] != '-')
		start--;
	if (start == 0)
		return "";
	for (size_t i = 0; i < sizeof(kernel_arches) / sizeof(kernel_arches[0]); i++)
		if (strlen(kernel_arches[i]) == len - start &&
		    !memcmp(kernel_arches[i], rel + start, len - start))
			return kernel_arches[i];
	return "";
}

static int parse_family(struct parser *ps, const json_t *root, struct inv_os *os)
{
	struct jpath p = { NULL, "family", 0 };
	char lower[sizeof(os->id)], shown[EXCERPT_MAX];
	const char *s;
	size_t len;
	int r;

	r = field_nonempty(ps, root, "family", false, NULL, &s, &len);
	if (r)
		return r;
	if (len >= sizeof(lower))
		return fail(ps, ERR_INPUT, &p, "%zu bytes, longer than the limit of %zu",
			    len, sizeof(lower) - 1);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		/* What os-release allows in an ID, so that an unknown family
		 * kept as it is still is one. */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return fail(ps, ERR_INPUT, &p, "'%s' is not an OS family",
				    show(shown, s, len));
		lower[i] = c;
	}
	lower[len] = '\0';
	/* An unknown family is taken for an RPM one: Vuls splits "release"
	 * off for every family but Debian's, and it is empty where unused. */
	ps->rpm = true;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (!strcmp(lower, families[i].vuls)) {
			ps->deb = families[i].deb;
			ps->windows = !strcmp(families[i].id, "windows");
			ps->rpm = !ps->deb && !ps->windows && strcmp(families[i].id, "alpine");
			snprintf(os->id, sizeof(os->id), "%s", families[i].id);
			return 0;
		}
	}
	memcpy(os->id, lower, len + 1);
	return 0;
}

static int parse_os(struct parser *ps, const json_t *root, struct inv_os *os)
{
	struct jpath rp = { NULL, "release", 0 }, np = { NULL, "serverName", 0 };
	struct jpath kp = { NULL, "runningKernel", 0 };
	struct jpath krp = { &kp, "release", 0 }, kvp = { &kp, "version", 0 };
	const json_t *kernel;
	const char *s, *kv;
	size_t len, kvlen;
	int r;

	*os = (struct inv_os){ 0 };
	r = parse_family(ps, root, os);
	if (!r)
		r = field_string(ps, root, "release", false, NULL, &s, &len);
	if (!r)
		r = copy_os(ps, &rp, os->version_id, sizeof(os->version_id), s, len);
	if (!r)
		r = field_string(ps, root, "serverName", false, NULL, &s, &len);
	if (!r)
		r = copy_os(ps, &np, os->hostname, sizeof(os->hostname), s, len);
	if (r)
		return r;
	kernel = get(root, "runningKernel");
	if (!kernel)
		return 0;
	if (!json_is_object(kernel))
		return fail(ps, ERR_INPUT, &kp, "expected an object");
	r = field_string(ps, kernel, "release", false, &kp, &s, &len);
	if (!r)
		r = field_string(ps, kernel, "version", false, &kp, &kv, &kvlen);
	if (r)
		return r;
	/* Windows has no kernel release apart from the OS build, which Vuls
	 * puts in "version" ("10.0.19044.1645"); elsewhere "version" is the
	 * kernel package's version, not the release. */
	if (!len && ps->windows)
		return copy_os(ps, &kvp, os->kernel, sizeof(os->kernel), kv, kvlen);
	r = copy_os(ps, &krp, os->kernel, sizeof(os->kernel), s, len);
	if (!r)
		snprintf(os->arch, sizeof(os->arch), "%s", kernel_arch(s, len));
	return r;
}

/*
 * Indexes SrcPackages (the name Vuls writes, from a Go field without a
 * json tag; "srcPackages" is accepted too) by binary name. Vuls fills it
 * for Debian and Ubuntu, and for RPM families in recent versions (the
 * source rpm's name and EVR); older RPM scans have none.
 */
static int index_sources(struct parser *ps, const json_t *root)
{
	struct jpath sp = { NULL, "SrcPackages", 0 };
	const json_t *src = get(root, "SrcPackages"), *alt = get(root, "srcPackages");
	const char *key;
	json_t *ent;

	if (src && alt)
		return fail(ps, ERR_INPUT, &sp, "given twice, also as srcPackages");
	if (!src) {
		src = alt;
		sp.key = "srcPackages";
	}
	if (!src)
		return 0;
	if (!json_is_object(src))
		return fail(ps, ERR_INPUT, &sp, "expected an object");
	if (json_object_size(src) > VULS_PACKAGES_MAX)
		return fail(ps, ERR_NOMEM, &sp, "%zu entries, more than the limit of %u",
			    json_object_size(src), VULS_PACKAGES_MAX);
	ps->src_by_bin = json_object();
	if (!ps->src_by_bin)
		return fail(ps, ERR_NOMEM, &sp, "out of memory");
	json_object_foreach((json_t *)src, key, ent) {
		struct jpath ep = { &sp, key, 0 }, bp = { &ep, "binaryNames", 0 };
		const json_t *bins;
		const char *s;
		size_t len;
		int r;

		if (!json_is_object(ent))
			return fail(ps, ERR_INPUT, &ep, "expected an object");
		r = field_nonempty(ps, ent, "name", false, &ep, &s, &len);
		if (!r)
			r = field_nonempty(ps, ent, "version", ps->windows, &ep, &s, &len);
		if (r)
			return r;
		bins = get(ent, "binaryNames");
		if (!bins)
			continue;
		if (!json_is_array(bins))
			return fail(ps, ERR_INPUT, &bp, "expected an array");
		for (size_t i = 0; i < json_array_size(bins); i++) {
			struct jpath ip = { &bp, NULL, i };
			const json_t *b = json_array_get(bins, i), *other;
			char shown[EXCERPT_MAX], shown_other[EXCERPT_MAX];
			const json_t *on;

			r = check_string(ps, b, &ip);
			if (r)
				return r;
			/* check_string() let no NUL through: the value is the
			 * whole name. */
			other = json_object_get(ps->src_by_bin, json_string_value(b));
			if (other == ent)
				continue;
			/* Which source a binary comes from decides which
			 * advisories apply to it: never guess. */
			if (other) {
				on = json_object_get(other, "name");
				return fail(ps, ERR_INPUT, &ip, "'%s' is also a binary of '%s'",
					    show(shown, json_string_value(b), json_string_length(b)),
					    show(shown_other, json_string_value(on),
						 json_string_length(on)));
			}
			if (json_object_set(ps->src_by_bin, json_string_value(b), ent))
				return fail(ps, ERR_NOMEM, &ip, "out of memory");
		}
	}
	return 0;
}

static int report_pkg(struct parser *ps, const json_t *v, const struct jpath *p)
{
	struct inv_pkg pkg = { .line = 0 };
	const char *release;
	size_t release_len;
	const json_t *src;
	int r;

	if (!json_is_object(v))
		return fail(ps, ERR_INPUT, p, "expected an object");
	r = field_nonempty(ps, v, "name", false, p, &pkg.name, &pkg.name_len);
	if (r)
		return r;
	/*
	 * rpm keeps each imported signing key as a package "gpg-pubkey"
	 * (arch "(none)"), and Vuls lists it. It is not software and no
	 * advisory names it: skipped, as rpm_list.c does.
	 */
	if (ps->rpm && pkg.name_len == 10 && !memcmp(pkg.name, "gpg-pubkey", 10))
		return 0;
	r = field_nonempty(ps, v, "version", ps->windows, p, &pkg.version,
				   &pkg.version_len);
	if (!r)
		r = field_string(ps, v, "release", false, p, &release, &release_len);
	if (!r)
		r = field_string(ps, v, "arch", false, p, &pkg.arch, &pkg.arch_len);
	if (r)
		return r;
	/* An RPM version is epoch:version-release; Vuls splits off only the
	 * release. Debian versions are whole in "version". */
	if (!ps->deb && release_len) {
		buf_reset(&ps->version);
		r = buf_append(&ps->version, pkg.version, pkg.version_len, ps->e);
		if (!r)
			r = buf_append(&ps->version, "-", 1, ps->e);
		if (!r)
			r = buf_append(&ps->version, release, release_len, ps->e);
		if (r)
			return fail(ps, r, p, "version: out of memory");
		pkg.version = ps->version.data;
		pkg.version_len = ps->version.len;
	}
	/* Without SrcPackages Vuls does not record the source package (older
	 * RPM scans, Windows): the package is its own source, as inventory.h
	 * asks when the format does not say. */
	src = ps->src_by_bin ? json_object_get(ps->src_by_bin, pkg.name) : NULL;
	if (src) {
		const json_t *n = json_object_get(src, "name"), *ver = json_object_get(src, "version");

		pkg.source = json_string_value(n);
		pkg.source_len = json_string_length(n);
		pkg.source_version = json_string_value(ver);
		pkg.source_version_len = json_string_length(ver);
	} else {
		pkg.source = pkg.name;
		pkg.source_len = pkg.name_len;
		pkg.source_version = pkg.version;
		pkg.source_version_len = pkg.version_len;
	}
	r = ps->sink->pkg ? ps->sink->pkg(&pkg, ps->sink->ctx, ps->e) : 0;
	if (r) {
		char where[384];

		path_render(p, where, sizeof(where));
		return err_prefix(ps->e, r, "%s: %s", ps->filename, where);
	}
	return 0;
}

static int parse_packages(struct parser *ps, const json_t *root)
{
	struct jpath pp = { NULL, "packages", 0 };
	const json_t *pkgs = get(root, "packages");
	const char *key;
	json_t *v;

	if (!pkgs)
		return 0;
	if (!json_is_object(pkgs))
		return fail(ps, ERR_INPUT, &pp, "expected an object");
	if (json_object_size(pkgs) > VULS_PACKAGES_MAX)
		return fail(ps, ERR_NOMEM, &pp, "%zu packages, more than the limit of %u",
			    json_object_size(pkgs), VULS_PACKAGES_MAX);
	json_object_foreach((json_t *)pkgs, key, v) {
		struct jpath p = { &pp, key, 0 };
		int r = report_pkg(ps, v, &p);

		if (r)
			return r;
	}
	return 0;
}

/*
 * Installed updates: windowsKB.applied, KB numbers with or without the
 * "KB" prefix (Vuls writes them without). "unapplied" lists updates the
 * host lacks, which hfx works out itself.
 */
static int parse_kbs(struct parser *ps, const json_t *root)
{
	struct jpath wp = { NULL, "windowsKB", 0 }, ap = { &wp, "applied", 0 };
	const json_t *kb = get(root, "windowsKB"), *applied;

	if (!kb)
		return 0;
	if (!json_is_object(kb))
		return fail(ps, ERR_INPUT, &wp, "expected an object");
	applied = get(kb, "applied");
	if (!applied)
		return 0;
	if (!json_is_array(applied))
		return fail(ps, ERR_INPUT, &ap, "expected an array");
	if (json_array_size(applied) > VULS_KBS_MAX)
		return fail(ps, ERR_NOMEM, &ap, "%zu updates, more than the limit of %u",
			    json_array_size(applied), VULS_KBS_MAX);
	for (size_t i = 0; i < json_array_size(applied); i++) {
		struct jpath ip = { &ap, NULL, i };
		const json_t *v = json_array_get(applied, i);
		char id[2 + KB_DIGITS_MAX + 1] = "KB", shown[EXCERPT_MAX];
		const char *s;
		size_t len, skip = 0, n;
		int r;

		r = check_string(ps, v, &ip);
		if (r)
			return r;
		s = json_string_value(v);
		len = json_string_length(v);
		if (len >= 2 && (s[0] == 'K' || s[0] == 'k') && (s[1] == 'B' || s[1] == 'b'))
			skip = 2;
		n = len - skip;
		for (size_t j = skip; j < len && n; j++)
			if (s[j] < '0' || s[j] > '9')
				n = 0;
		if (!n || n > KB_DIGITS_MAX)
			return fail(ps, ERR_INPUT, &ip, "'%s' is not a KB number",
				    show(shown, s, len));
		memcpy(id + 2, s + skip, n);
		id[2 + n] = '\0';
		r = ps->sink->kb ? ps->sink->kb(id, 2 + n, ps->sink->ctx, ps->e) : 0;
		if (r) {
			char where[384];

			path_render(&ip, where, sizeof(where));
			return err_prefix(ps->e, r, "%s: %s", ps->filename, where);
		}
	}
	return 0;
}

/* jansson's message, which may quote the input, made safe to print. */
static int load_error(struct parser *ps, const json_error_t *jerr)
{
	char text[EXCERPT_MAX];
	int code = ERR_INPUT;

	if (json_error_code(jerr) == json_error_out_of_memory)
		code = ERR_NOMEM;
	return fail(ps, code, NULL, "line %d column %d: %s", jerr->line, jerr->column,
		    show(text, jerr->text, strnlen(jerr->text, sizeof(jerr->text))));
}

int vuls_parse(const char *data, size_t len, const char *filename,
	       const struct inv_sink *sink, struct err *e)
{
	static const struct inv_sink none = { 0 };
	struct parser ps = { .filename = filename ? filename : "input", .e = e };
	struct inv_os os;
	json_error_t jerr;
	json_t *root = NULL;
	int r;

	/* A NULL sink only validates. */
	ps.sink = sink = sink ? sink : &none;
	buf_init(&ps.version, 2 * (size_t)VULS_STRING_MAX + 1);
	if (len > VULS_MAX) {
		r = fail(&ps, ERR_NOMEM, NULL, "%zu bytes, larger than the limit of %u",
			 len, VULS_MAX);
		goto out;
	}
	/* Without JSON_DISABLE_EOF_CHECK, trailing garbage is an error too. */
	root = json_loadb(data ? data : "", data ? len : 0, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		r = load_error(&ps, &jerr);
		goto out;
	}
	if (!json_is_object(root)) {
		r = fail(&ps, ERR_INPUT, NULL, "expected a JSON object at the top level");
		goto out;
	}
	r = parse_os(&ps, root, &os);
	if (!r)
		r = index_sources(&ps, root);
	if (!r && sink->os) {
		r = sink->os(&os, sink->ctx, e);
		if (r)
			err_prefix(e, r, "%s", ps.filename);
	}
	if (!r)
		r = parse_packages(&ps, root);
	if (!r)
		r = parse_kbs(&ps, root);
out:
	json_decref(ps.src_by_bin);
	json_decref(root);
	buf_release(&ps.version);
	return r;
}

bool vuls_looks_like(const char *data, size_t len)
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
	return memmem(data, len, "\"jsonVersion\"", 13) &&
	       (memmem(data, len, "\"family\"", 8) || memmem(data, len, "\"scannedAt\"", 11));
}
