/*
 * Parser of CycloneDX XML BOMs; the contract is in sbom_xml.h.
 *
 * libxml2 builds the tree (the document is at most SBOM_XML_MAX, and
 * libxml2 bounds nesting depth and text node size itself, as long as
 * XML_PARSE_HUGE is not given); the components are then walked twice, the
 * first walk checking every purl and finding the OS, the second reporting
 * packages. So a broken last component fails the BOM before anything
 * reached the sink, and the OS reaches it before the first package.
 *
 * Hardening: XML_PARSE_NONET, and neither XML_PARSE_NOENT (substitute
 * entities) nor XML_PARSE_DTDLOAD/DTDATTR/DTDVALID (read DTDs) nor
 * XML_PARSE_XINCLUDE nor XML_PARSE_HUGE; and the SAX handler for the
 * DOCTYPE declaration stops the parser as soon as it sees one, before any
 * internal subset is read, so no entity is ever declared. Errors go to a
 * handler that drops them (libxml2 would print them otherwise); the last
 * one is read back from the context for the message.
 */
#include "inventory/sbom_xml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "base/show.h"
#include "core/version.h"
#include "inventory/purl.h"

#define NS_PREFIX "http://cyclonedx.org/schema/bom/1."
/* Longest element path in messages. */
#define PATH_LEN 512
/* Longest version we build. */
#define VERSION_MAX (PURL_VERSION_MAX + 32)
#define SNIFF_LEN 4096

struct parser {
	const char *filename;
	const struct inv_sink *sink;
	struct err *e;
	bool emit;               /* the second walk: report packages */
	const xmlChar *ns;       /* the BOM's namespace */
	struct inv_os os;
	bool os_from_component;  /* os.id came from an operating-system component */
	bool os_from_purl;
	char os_where[PATH_LEN];
};

/* Set by the DOCTYPE handler through the parser context's user slot. */
struct guard {
	bool doctype;
};

/* Fails with "<file>: line N: <path>: <message>". */
__attribute__((format(printf, 5, 6)))
static int fail(const struct parser *p, const xmlNode *node, const char *path,
		const char *field, const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(p->e, ERR_INPUT, "%s: line %ld: %s%s%s: %s", p->filename,
		       xmlGetLineNo(node), path, field ? "/" : "", field ? field : "", msg);
}

/* Printable ASCII without blanks. */
static bool is_word(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return false;
	return true;
}

static bool is_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* An element of the BOM's namespace named name. */
static bool is_elem(const struct parser *p, const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, p->ns) &&
	       xmlStrEqual(n->name, (const xmlChar *)name);
}

static const xmlNode *child(const struct parser *p, const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_elem(p, c, name))
			return c;
	return NULL;
}

/*
 * The text of element name under n, without surrounding whitespace, in
 * out (NUL-terminated); false when there is no such element. Text that
 * does not fit fails.
 */
static int child_text(const struct parser *p, const xmlNode *n, const char *path,
		      const char *name, char *out, size_t size, bool *ret_found)
{
	const xmlNode *c = child(p, n, name);
	xmlChar *text;
	const char *s;
	size_t len;
	int r = 0;

	*ret_found = false;
	out[0] = '\0';
	if (!c)
		return 0;
	text = xmlNodeGetContent(c);
	if (!text)
		return err_set(p->e, ERR_NOMEM, "%s: out of memory", p->filename);
	s = (const char *)text;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	if (len >= size) {
		char shown[SHOW_MAX];

		r = fail(p, c, path, name, "'%s': longer than %zu bytes",
			 show_bytes(shown, s, len), size - 1);
	} else {
		memcpy(out, s, len);
		out[len] = '\0';
		*ret_found = true;
	}
	xmlFree(text);
	return r;
}

/* What an operating-system component's name means as an os-release ID. */
static void os_id_from_name(const char *name, char *out, size_t size)
{
	static const struct { const char *name, *id; } map[] = {
		{ "redhat", "rhel" }, { "alma", "almalinux" }, { "amazon", "amzn" },
		{ "oracle", "ol" }, { "rocky linux", "rocky" }, { "red hat", "rhel" },
	};
	char low[64];
	size_t i;

	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!strcmp(low, map[i].name)) {
			snprintf(out, size, "%s", map[i].id);
			return;
		}
	}
	snprintf(out, size, "%s", low);
}

static int os_component(struct parser *p, const xmlNode *comp, const char *path)
{
	char name[64], version[64], id[64], shown[SHOW_MAX];
	bool has_name, has_version;
	int r;

	r = child_text(p, comp, path, "name", name, sizeof(name), &has_name);
	if (!r)
		r = child_text(p, comp, path, "version", version, sizeof(version), &has_version);
	if (r)
		return r;
	if (!has_name || !name[0])
		return 0; /* says nothing (syft writes these); the purls may */
	os_id_from_name(name, id, sizeof(id));
	if (!is_word(id, strlen(id)))
		return fail(p, comp, path, "name", "invalid OS name '%s'",
			    show_bytes(shown, name, strlen(name)));
	if (version[0] && !is_word(version, strlen(version)))
		return fail(p, comp, path, "version", "invalid OS version '%s'",
			    show_bytes(shown, version, strlen(version)));
	if (p->os_from_component &&
	    (strcmp(id, p->os.id) || strcmp(version, p->os.version_id)))
		return fail(p, comp, path, NULL,
			    "a second operating system ('%s' '%s', the first being '%s' '%s' at %s): "
			    "one BOM describes one host", id, version, p->os.id, p->os.version_id,
			    p->os_where);
	snprintf(p->os.id, sizeof(p->os.id), "%s", id);
	snprintf(p->os.version_id, sizeof(p->os.version_id), "%s", version);
	snprintf(p->os_where, sizeof(p->os_where), "%s", path);
	p->os_from_component = true;
	return 0;
}

/* The OS from a package purl's distro qualifier, when no component says. */
static void os_from_distro(struct parser *p, const struct purl *u)
{
	const char *d = purl_qualifier(u, "distro");
	const char *dash;
	size_t idlen;

	if (!d || p->os_from_component || p->os_from_purl || !is_word(d, strlen(d)))
		return;
	dash = strchr(d, '-');
	if (isdigit((unsigned char)d[0]) || !dash) {
		/* "3.16.0" (trivy) or a codename ("bookworm"): the namespace names the OS. */
		os_id_from_name(u->ns, p->os.id, sizeof(p->os.id));
		if (isdigit((unsigned char)d[0]))
			snprintf(p->os.version_id, sizeof(p->os.version_id), "%s", d);
	} else {
		idlen = (size_t)(dash - d);
		if (idlen >= sizeof(p->os.id))
			return;
		memcpy(p->os.id, d, idlen);
		p->os.id[idlen] = '\0';
		snprintf(p->os.version_id, sizeof(p->os.version_id), "%s", dash + 1);
	}
	if (p->os.id[0])
		p->os_from_purl = true;
}

/* True when s claims a purl type hfx reads, whether or not it parses. */
static bool claims_os_type(const char *s)
{
	static const char *const types[] = { "deb/", "rpm/", "apk/" };

	if (strncasecmp(s, "pkg:", 4))
		return false;
	s += 4;
	while (*s == '/')
		s++;
	for (size_t i = 0; i < 3; i++)
		if (!strncasecmp(s, types[i], 4))
			return true;
	return false;
}

/* The same, for a <purl> too long to copy out whole. */
static bool claims_os_type_xml(const struct parser *p, const xmlNode *comp)
{
	xmlChar *text = xmlNodeGetContent(child(p, comp, "purl"));
	const char *s = (const char *)text;
	char head[32];
	size_t n;
	bool r;

	if (!text)
		return true; /* out of memory: keep the error */
	while (isspace((unsigned char)*s))
		s++;
	n = strnlen(s, sizeof(head) - 1);
	memcpy(head, s, n);
	head[n] = '\0';
	xmlFree(text);
	r = claims_os_type(head);
	return r;
}

/* See rpm_list.c and osquery.c: "NAME-VERSION-RELEASE.src.rpm". */
static bool split_srpm(const char *s, const char **ret_name, size_t *ret_name_len,
		       const char **ret_vr, size_t *ret_vr_len)
{
	size_t n = strlen(s);
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
	*ret_name = s;
	*ret_name_len = (size_t)(ver - s);
	*ret_vr = ver + 1;
	*ret_vr_len = (size_t)(s + n - ver - 1);
	return true;
}

/* The epoch qualifier: "" when absent or 0, else digits. */
static int purl_epoch(const struct parser *p, const xmlNode *node, const char *path,
		      const struct purl *u, const char **ret)
{
	const char *ep = purl_qualifier(u, "epoch");

	*ret = "";
	if (!ep)
		return 0;
	if (!is_digits(ep) || strlen(ep) > 10)
		return fail(p, node, path, "purl", "invalid epoch qualifier '%s'", ep);
	*ret = strspn(ep, "0") == strlen(ep) ? "" : ep;
	return 0;
}

static int deb_pkg(const struct parser *p, const xmlNode *node, const char *path,
		   const struct purl *u, struct inv_pkg *pkg, char *ver, char *srcver)
{
	const char *epoch, *up = purl_qualifier(u, "upstream"), *why = NULL;
	char shown[SHOW_MAX];
	int r = purl_epoch(p, node, path, u, &epoch);

	if (r)
		return r;
	if (*epoch && strchr(u->version, ':')) {
		size_t n = (size_t)(strchr(u->version, ':') - u->version);

		if (strlen(epoch) != n || memcmp(epoch, u->version, n))
			return fail(p, node, path, "purl",
				    "epoch qualifier %s disagrees with the version '%s'", epoch,
				    show_bytes(shown, u->version, strlen(u->version)));
		epoch = "";
	}
	snprintf(ver, VERSION_MAX, "%s%s%s", epoch, *epoch ? ":" : "", u->version);
	if (!deb_version_valid(ver, strlen(ver), &why))
		return fail(p, node, path, "purl", "invalid deb version '%s': %s",
			    show_bytes(shown, ver, strlen(ver)),
			    why ? why : "rejected by dpkg's rules");
	pkg->version = ver;
	pkg->version_len = strlen(ver);
	pkg->source_version = ver;
	pkg->source_version_len = pkg->version_len;
	if (up) {
		/* syft: "upstream=glibc" or "upstream=util-linux%402.29.2-1" */
		const char *at = strchr(up, '@');
		size_t nlen = at ? (size_t)(at - up) : strlen(up);

		if (!is_word(up, nlen))
			return fail(p, node, path, "purl", "invalid upstream qualifier '%s'",
				    show_bytes(shown, up, strlen(up)));
		pkg->source = up;
		pkg->source_len = nlen;
		if (at) {
			snprintf(srcver, VERSION_MAX, "%s", at + 1);
			if (!deb_version_valid(srcver, strlen(srcver), &why))
				return fail(p, node, path, "purl",
					    "invalid upstream version '%s': %s",
					    show_bytes(shown, srcver, strlen(srcver)),
					    why ? why : "rejected by dpkg's rules");
			pkg->source_version = srcver;
			pkg->source_version_len = strlen(srcver);
		}
	}
	return 0;
}

static bool rpm_part_ok(const char *s, size_t n)
{
	return is_word(s, n) && !memchr(s, '-', n) && !memchr(s, ':', n);
}

static int rpm_pkg(const struct parser *p, const xmlNode *node, const char *path,
		   const struct purl *u, struct inv_pkg *pkg, char *ver, char *srcver)
{
	const char *up = purl_qualifier(u, "upstream"), *qep = purl_qualifier(u, "epoch");
	const char *epoch, *v = u->version, *colon = strchr(u->version, ':'), *dash;
	const char *sname, *svr;
	char inline_epoch[16];
	size_t sname_len, svr_len, n;
	char shown[SHOW_MAX];
	int r = purl_epoch(p, node, path, u, &epoch);

	if (r)
		return r;
	if (colon) {
		/* Some tools write the epoch into the version: "1:3.0.7-24.el9". */
		n = (size_t)(colon - v);
		if (!n || n >= sizeof(inline_epoch) || strspn(v, "0123456789") != n)
			return fail(p, node, path, "purl", "invalid rpm version '%s'",
				    show_bytes(shown, v, strlen(v)));
		memcpy(inline_epoch, v, n);
		inline_epoch[n] = '\0';
		if (qep && strtoull(qep, NULL, 10) != strtoull(inline_epoch, NULL, 10))
			return fail(p, node, path, "purl",
				    "epoch qualifier %s disagrees with the version '%s'", qep,
				    show_bytes(shown, v, strlen(v)));
		if (strspn(inline_epoch, "0") != n)
			epoch = inline_epoch;
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	if (!dash || !rpm_part_ok(v, (size_t)(dash - v)) || !rpm_part_ok(dash + 1, strlen(dash + 1)))
		return fail(p, node, path, "purl",
			    "invalid rpm version '%s': expected VERSION-RELEASE",
			    show_bytes(shown, u->version, strlen(u->version)));
	snprintf(ver, VERSION_MAX, "%s%s%s", epoch, *epoch ? ":" : "", v);
	pkg->version = ver;
	pkg->version_len = strlen(ver);
	pkg->source_version = ver;
	pkg->source_version_len = pkg->version_len;
	if (up) {
		if (!split_srpm(up, &sname, &sname_len, &svr, &svr_len))
			return fail(p, node, path, "purl",
				    "invalid upstream qualifier '%s': expected "
				    "NAME-VERSION-RELEASE.src.rpm",
				    show_bytes(shown, up, strlen(up)));
		/* Subpackages share their source's epoch. */
		snprintf(srcver, VERSION_MAX, "%s%s%.*s", epoch, *epoch ? ":" : "", (int)svr_len,
			 svr);
		pkg->source = sname;
		pkg->source_len = sname_len;
		pkg->source_version = srcver;
		pkg->source_version_len = strlen(srcver);
	}
	return 0;
}

static int apk_pkg(const struct parser *p, const xmlNode *node, const char *path,
		   const struct purl *u, struct inv_pkg *pkg)
{
	const char *up = purl_qualifier(u, "upstream");
	char shown[SHOW_MAX];

	if (!apk_version_valid(u->version, strlen(u->version)))
		return fail(p, node, path, "purl", "invalid apk version '%s'",
			    show_bytes(shown, u->version, strlen(u->version)));
	pkg->version = u->version;
	pkg->version_len = strlen(u->version);
	pkg->source_version = pkg->version;
	pkg->source_version_len = pkg->version_len;
	if (up) {
		if (!is_word(up, strlen(up)))
			return fail(p, node, path, "purl", "invalid upstream qualifier '%s'",
				    show_bytes(shown, up, strlen(up)));
		pkg->source = up;
		pkg->source_len = strlen(up);
	}
	return 0;
}

/* One component's purl: checked, and reported in the second walk. */
static int component_purl(struct parser *p, const xmlNode *comp, const char *path)
{
	struct purl u;
	struct inv_pkg pkg;
	struct err pe;
	char text[PURL_INPUT_MAX + 1], ver[VERSION_MAX], srcver[VERSION_MAX], shown[SHOW_MAX];
	const char *arch;
	bool found;
	int r;

	r = child_text(p, comp, path, "purl", text, sizeof(text), &found);
	if (r == ERR_INPUT && !claims_os_type_xml(p, comp))
		return 0; /* an overlong purl of another ecosystem */
	if (r || !found)
		return r;
	if (purl_parse(text, strlen(text), &u, &pe)) {
		if (!claims_os_type(text))
			return 0; /* not a package URL hfx reads, however broken */
		return fail(p, child(p, comp, "purl"), path, "purl", "invalid purl '%s': %s",
			    show_bytes(shown, text, strlen(text)), pe.msg);
	}
	if (strcmp(u.type, "deb") && strcmp(u.type, "rpm") && strcmp(u.type, "apk"))
		return 0;
	if (!is_word(u.name, strlen(u.name)))
		return fail(p, comp, path, "purl", "invalid package name '%s'",
			    show_bytes(shown, u.name, strlen(u.name)));
	if (!u.version[0])
		return fail(p, comp, path, "purl", "'%s' has no version",
			    show_bytes(shown, text, strlen(text)));
	arch = purl_qualifier(&u, "arch");
	if (arch && !is_word(arch, strlen(arch)))
		return fail(p, comp, path, "purl", "invalid arch qualifier '%s'",
			    show_bytes(shown, arch, strlen(arch)));
	if (!strcmp(u.type, "rpm") && arch && (!strcmp(arch, "src") || !strcmp(arch, "nosrc")))
		return 0; /* a source rpm: built from, not installed */
	pkg = (struct inv_pkg){
		.name = u.name, .name_len = strlen(u.name),
		.arch = arch ? arch : "", .arch_len = arch ? strlen(arch) : 0,
		.source = u.name, .source_len = strlen(u.name),
		.line = (size_t)(xmlGetLineNo(comp) > 0 ? xmlGetLineNo(comp) : 0),
	};
	if (!strcmp(u.type, "deb"))
		r = deb_pkg(p, comp, path, &u, &pkg, ver, srcver);
	else if (!strcmp(u.type, "rpm"))
		r = rpm_pkg(p, comp, path, &u, &pkg, ver, srcver);
	else
		r = apk_pkg(p, comp, path, &u, &pkg);
	if (r)
		return r;
	if (!p->emit) {
		os_from_distro(p, &u);
		return 0;
	}
	r = p->sink->pkg(&pkg, p->sink->ctx, p->e);
	if (r)
		return err_prefix(p->e, r, "%s: line %ld: %s", p->filename, xmlGetLineNo(comp),
				  path);
	return 0;
}

/* The <component> children of list (a <components>), depth first. */
static int walk_components(struct parser *p, const xmlNode *list, const char *prefix)
{
	char path[PATH_LEN];
	size_t i = 0;
	int r;

	for (const xmlNode *c = list->children; c; c = c->next) {
		xmlChar *type;
		const xmlNode *sub;

		if (!is_elem(p, c, "component"))
			continue;
		i++;
		if ((size_t)snprintf(path, sizeof(path), "%scomponents/component[%zu]", prefix, i) >=
		    sizeof(path))
			return fail(p, c, "components", NULL, "components nested too deeply");
		type = xmlGetProp(c, (const xmlChar *)"type");
		r = 0;
		if (type && xmlStrEqual(type, (const xmlChar *)"operating-system") && !p->emit)
			r = os_component(p, c, path);
		xmlFree(type);
		if (!r)
			r = component_purl(p, c, path);
		if (r)
			return r;
		sub = child(p, c, "components");
		if (sub) {
			char sub_prefix[PATH_LEN];

			if ((size_t)snprintf(sub_prefix, sizeof(sub_prefix), "%s/", path) >=
			    sizeof(sub_prefix))
				return fail(p, c, path, NULL, "components nested too deeply");
			r = walk_components(p, sub, sub_prefix);
			if (r)
				return r;
		}
	}
	return 0;
}

static int walk(struct parser *p, const xmlNode *root)
{
	const xmlNode *meta = child(p, root, "metadata");
	const xmlNode *comps = child(p, root, "components");
	int r = 0;

	if (meta && !p->emit) {
		const xmlNode *mc = child(p, meta, "component");
		xmlChar *type = mc ? xmlGetProp(mc, (const xmlChar *)"type") : NULL;

		if (type && xmlStrEqual(type, (const xmlChar *)"operating-system"))
			r = os_component(p, mc, "metadata/component");
		xmlFree(type);
	}
	if (!r && comps)
		r = walk_components(p, comps, "");
	return r;
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name, (void)external_id, (void)system_id;
	((struct guard *)ctxt->_private)->doctype = true;
	xmlStopParser(ctxt);
}

static void on_error(void *ctx, xmlErrorPtr error)
{
	(void)ctx, (void)error; /* read back with xmlCtxtGetLastError */
}

/* A BOM's namespace: http://cyclonedx.org/schema/bom/1.2 to 1.6. */
static bool bom_namespace(const xmlNode *root)
{
	const char *href;

	if (!root->ns || !root->ns->href)
		return false;
	href = (const char *)root->ns->href;
	return !strncmp(href, NS_PREFIX, strlen(NS_PREFIX)) &&
	       href[strlen(NS_PREFIX)] >= '2' && href[strlen(NS_PREFIX)] <= '6' &&
	       !href[strlen(NS_PREFIX) + 1];
}

int sbom_cyclonedx_xml_parse(const char *data, size_t len, const char *filename,
			     const struct inv_sink *sink, struct err *e)
{
	struct parser p = { .filename = filename, .sink = sink, .e = e };
	struct guard g = { false };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	const xmlNode *root;
	int r = 0;

	if (len > SBOM_XML_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB", filename,
			       SBOM_XML_MAX >> 20);
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return err_set(e, ERR_NOMEM, "%s: out of memory", filename);
	ctxt->_private = &g;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->serror = on_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	if (g.doctype) {
		r = err_set(e, ERR_INPUT, "%s: a DOCTYPE declaration: not allowed in a "
			    "CycloneDX BOM (refused, with its entities)", filename);
		goto out;
	}
	if (!doc) {
		xmlErrorPtr xe = xmlCtxtGetLastError(ctxt);
		char shown[SHOW_MAX];
		const char *m = xe && xe->message ? xe->message : "not well-formed XML";
		size_t mlen = strlen(m);

		while (mlen && m[mlen - 1] == '\n')
			mlen--;
		r = err_set(e, ERR_INPUT, "%s: line %d: %s", filename, xe ? xe->line : 0,
			    show_bytes(shown, m, mlen));
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !xmlStrEqual(root->name, (const xmlChar *)"bom") || !bom_namespace(root)) {
		r = err_set(e, ERR_INPUT, "%s: not a CycloneDX BOM: the root element must be "
			    "<bom> in the namespace " NS_PREFIX "2 to 1.6", filename);
		goto out;
	}
	p.ns = root->ns->href;
	r = walk(&p, root);
	if (r)
		goto out;
	if ((p.os_from_component || p.os_from_purl) && sink->os) {
		r = sink->os(&p.os, sink->ctx, e);
		if (r) {
			r = err_prefix(e, r, "%s: %s", filename,
				       p.os_where[0] ? p.os_where : "operating system");
			goto out;
		}
	}
	p.emit = true;
	r = walk(&p, root);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return r;
}

bool sbom_cyclonedx_xml_looks_like(const char *data, size_t len)
{
	size_t n = len < SNIFF_LEN ? len : SNIFF_LEN;
	size_t i = 0;

	if (!data)
		return false;
	if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i >= n || data[i] != '<')
		return false;
	return memmem(data, n, "http://cyclonedx.org/schema/bom/", 32) != NULL;
}
