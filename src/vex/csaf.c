/*
 * The statements as a CSAF 2.0 document of category csaf_vex (OASIS CSAF
 * 2.0, section 4.5 "Profile 5: VEX"): the product tree names each binary
 * package of each host (host_name > vendor > product_name >
 * product_version > architecture, the leaf carrying the product id and
 * its purl), and each
 * vulnerability lists its products by status, with a flag (the VEX
 * justification) for every product not affected and a remediation for
 * every product affected, as the profile's mandatory tests require.
 * Streamed: the product tree one host at a time, then one vulnerability
 * at a time. docs/VEX.md shows an example.
 */
#include "vex/vex.h"

#include <stdlib.h>
#include <string.h>

/* A product of one vulnerability's remediations, while they are grouped. */
struct remedy_item {
	uint8_t remedy;
	size_t text;   /* offset in the scratch buffer */
	uint32_t product;
	const char *base;
};

static int remedy_cmp(const void *x, const void *y)
{
	const struct remedy_item *a = x, *b = y;
	int c;

	if (a->remedy != b->remedy)
		return a->remedy < b->remedy ? -1 : 1;
	c = strcmp(a->base + a->text, b->base + b->text);
	return c ? c : (a->product > b->product) - (a->product < b->product);
}

static json_t *pid(const struct vex *v, uint32_t product)
{
	return vex_json_text(vex_str(v, v->products[product].id));
}

static json_t *document(const struct vex *v, const struct vex_options *o, const char *digest,
			size_t nvulns)
{
	char id[96], title[160];
	json_t *engine = json_pack("{s:s}", "name", "hfx");

	if (engine && o->version)
		json_object_set_new(engine, "version", json_string(o->version));
	snprintf(id, sizeof(id), "hfx-vex-%s", digest);
	snprintf(title, sizeof(title), "VEX of a fleet: %zu vulnerabilit%s on %zu host%s",
		 nvulns, nvulns == 1 ? "y" : "ies", v->nhosts, v->nhosts == 1 ? "" : "s");
	return json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s}], s:{s:s, s:o, s:o}, s:s, "
			 "s:{s:s, s:{s:s, s:o}, s:s, s:s, s:[{s:s, s:s, s:s}], s:s, s:s}}",
			 "category", "csaf_vex", "csaf_version", "2.0", "lang", "en",
			 "notes", "category", "general", "title", "About this document",
			 "text", "The status of each vulnerability on each binary package of "
			 "each host, from hfx's open and fixed findings and the decisions "
			 "standing for them. A product is one package on one host; its id is "
			 "HOST:NAME@VERSION:ARCH.",
			 "publisher", "category", "user", "name", vex_json_text(o->author),
			 "namespace", vex_json_text(o->ns),
			 "title", title,
			 "tracking", "current_release_date", o->now,
			 "generator", "date", o->now, "engine", engine,
			 "id", id, "initial_release_date", o->now,
			 "revision_history", "date", o->now, "number", "1", "summary",
			 "Initial version",
			 "status", "final", "version", "1");
}

static json_t *leaf(const struct vex *v, uint32_t i)
{
	const struct vex_product *p = &v->products[i];
	const char *arch = vex_str(v, p->arch);
	char name[1024];

	snprintf(name, sizeof(name), "%s %s%s%s on %s", vex_str(v, p->name),
		 vex_str(v, p->version), arch[0] ? " " : "", arch, vex_str(v, p->host));
	return json_pack("{s:o, s:o, s:{s:s}}", "name", vex_json_text(name), "product_id",
			 vex_json_text(vex_str(v, p->id)), "product_identification_helper", "purl",
			 vex_str(v, p->purl));
}

static json_t *branch(const char *category, const char *name)
{
	return json_pack("{s:s, s:o}", "category", category, "name", vex_json_text(name));
}

/* Adds child to parent's "branches"; false when out of memory. */
static bool add_branch(json_t *parent, json_t *child)
{
	json_t *list = json_object_get(parent, "branches");

	if (!child)
		return false;
	if (!list) {
		list = json_array();
		if (json_object_set_new(parent, "branches", list))
			list = NULL;
	}
	return list && !json_array_append_new(list, child);
}

/*
 * The branch of the host of products [first, *next): the vendor (the
 * distribution, by its os-release ID), one product_name per package, one
 * product_version per version, one architecture per product. A product
 * without an architecture is the product_version's own product, in a
 * product_version branch of its own.
 */
static json_t *host_branch(const struct vex *v, size_t first, size_t *next)
{
	json_t *host = branch("host_name", vex_str(v, v->products[first].host));
	json_t *vendor = branch("vendor", vex_str(v, v->products[first].os));
	json_t *name = NULL, *ver = NULL;
	size_t i = first;
	bool ok = host && add_branch(host, vendor);

	for (; ok && i < v->nproducts && v->products[i].host == v->products[first].host; i++) {
		const struct vex_product *p = &v->products[i], *q = i > first ? p - 1 : NULL;
		const char *arch = vex_str(v, p->arch);

		if (!q || strcmp(vex_str(v, q->name), vex_str(v, p->name))) {
			ok = add_branch(vendor, name = branch("product_name", vex_str(v, p->name)));
			ver = NULL;
		}
		if (ok && (!ver || strcmp(vex_str(v, q->version), vex_str(v, p->version)) ||
			   !arch[0] || !vex_str(v, q->arch)[0]))
			ok = add_branch(name, ver = branch("product_version", vex_str(v, p->version)));
		if (ok && !arch[0])
			ok = !json_object_set_new(ver, "product", leaf(v, (uint32_t)i));
		else if (ok) {
			json_t *a = branch("architecture", arch);

			ok = a && !json_object_set_new(a, "product", leaf(v, (uint32_t)i)) &&
			     add_branch(ver, a);
		}
	}
	*next = i;
	if (!ok) {
		json_decref(host);
		return NULL;
	}
	return host;
}

/* The advisories behind a vulnerability: as ids, and as a note. */
static int advisories(const struct vex *v, const struct vex_vuln *u, json_t *vuln,
		      struct buf *scratch, struct err *e)
{
	json_t *ids = json_array();
	int rc = 0;

	buf_reset(scratch);
	for (uint32_t i = 0; ids && i < u->nadvs && !rc; i++) {
		const struct vex_advisory *a = &v->advs[v->vuln_advs[u->adv_first + i]];
		const char *summary = vex_str(v, a->summary);

		if (!a->used)
			continue;
		json_array_append_new(ids, json_pack("{s:s, s:s}", "system_name", "OSV", "text",
						     vex_str(v, a->name)));
		rc = buf_appendf(scratch, e, "%s%s%s%s", scratch->len ? "\n" : "",
				 vex_str(v, a->name), summary && summary[0] ? ": " : "",
				 summary ? summary : "");
	}
	if (!rc && (!ids || json_object_set_new(vuln, "ids", ids) ||
		    json_object_set_new(vuln, "notes", json_pack("[{s:s, s:s, s:o}]", "category",
				"description", "title", "Advisories", "text",
				vex_json_text(scratch->data)))))
		rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	return rc;
}

/* Appends a product id to obj[key], creating the array. */
static bool add_id(const struct vex *v, json_t *obj, const char *key, uint32_t product)
{
	json_t *list = json_object_get(obj, key);

	if (!list) {
		list = json_array();
		if (json_object_set_new(obj, key, list))
			return false;
	}
	return !json_array_append_new(list, pid(v, product));
}

/* One flag per VEX justification, listing the products not affected. */
static int flags(const struct vex *v, const struct vex_statement *st, size_t n, json_t *vuln)
{
	json_t *list = json_array();
	bool ok = list != NULL;

	for (const char *const *j = decide_justifications; ok && *j; j++) {
		json_t *flag = NULL;

		for (size_t i = 0; ok && i < n; i++) {
			const char *got = vex_justification(&st[i]);

			if (!got || strcmp(got, *j))
				continue;
			if (!flag) {
				flag = json_pack("{s:s}", "label", *j);
				ok = flag && !json_array_append_new(list, flag);
			}
			ok = ok && add_id(v, flag, "product_ids", st[i].product);
		}
	}
	if (ok && json_array_size(list))
		return json_object_set_new(vuln, "flags", list);
	json_decref(list);
	return ok ? 0 : -1;
}

/* One remediation per (category, details), listing its products. */
static int remediations(const struct vex *v, const struct vex_statement *st, size_t n,
			json_t *vuln, struct buf *scratch, struct err *e)
{
	struct remedy_item *items = malloc((n ? n : 1) * sizeof(*items));
	json_t *list = json_array(), *cur = NULL;
	size_t m = 0;
	int rc = 0;

	if (!items || !list)
		rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	buf_reset(scratch);
	for (size_t i = 0; !rc && i < n; i++) {
		if (st[i].status != VEX_AFFECTED)
			continue;
		items[m] = (struct remedy_item){ st[i].remedy, scratch->len, st[i].product, NULL };
		rc = vex_action_text(v, &st[i], scratch, e);
		if (!rc)
			rc = buf_append(scratch, "", 1, e);
		m++;
	}
	for (size_t i = 0; !rc && i < m; i++)
		items[i].base = scratch->data;
	if (!rc)
		qsort(items, m, sizeof(*items), remedy_cmp);
	for (size_t i = 0; !rc && i < m; i++) {
		bool same = i && items[i].remedy == items[i - 1].remedy &&
			    !strcmp(items[i].base + items[i].text,
				    items[i - 1].base + items[i - 1].text);

		if (!same) {
			cur = json_pack("{s:s, s:o}", "category",
					vex_remedy_name((enum vex_remedy)items[i].remedy), "details",
					vex_json_text(items[i].base + items[i].text));
			if (!cur || json_array_append_new(list, cur))
				rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
		}
		if (!rc && !add_id(v, cur, "product_ids", items[i].product))
			rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	}
	free(items);
	if (!rc && json_array_size(list)) {
		if (json_object_set_new(vuln, "remediations", list))
			rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
		list = NULL;
	}
	json_decref(list);
	return rc;
}

/* The vulnerability of statements st[0..n), all about one. */
static int vulnerability(const struct vex *v, const struct vex_statement *st, size_t n,
			 struct buf *scratch, FILE *f, struct err *e)
{
	static const char *const keys[] = { "fixed", "known_not_affected", "under_investigation",
					    "known_affected" }; /* by enum vex_status */
	static const enum vex_status order[] = { VEX_FIXED, VEX_AFFECTED, VEX_NOT_AFFECTED,
						  VEX_UNDER_INVESTIGATION };
	const struct vex_vuln *u = &v->vulns[st->vuln];
	json_t *vuln = json_object(), *status = json_object();
	int rc = 0;

	if (!vuln || !status ||
	    (u->cve && json_object_set_new(vuln, "cve", json_string(vex_str(v, u->name)))))
		rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	if (!rc)
		rc = advisories(v, u, vuln, scratch, e);
	/* The lists in a fixed order (that of the keys' names), each in
	 * product order. */
	for (size_t k = 0; !rc && k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; !rc && i < n; i++)
			if (st[i].status == order[k] &&
			    !add_id(v, status, keys[st[i].status], st[i].product))
				rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	if (!rc) {
		rc = json_object_set(vuln, "product_status", status) || flags(v, st, n, vuln) ?
		     err_set(e, ERR_NOMEM, "out of memory writing the document") : 0;
	}
	if (!rc)
		rc = remediations(v, st, n, vuln, scratch, e);
	json_decref(status);
	if (rc) {
		json_decref(vuln);
		return rc;
	}
	return vex_dump(vuln, true, f, e);
}

int vex_write_csaf(const struct vex *v, const struct vex_options *o, FILE *f, struct err *e)
{
	char digest[SHA256_HEX_LEN + 1];
	size_t nvulns = 0;
	struct buf scratch;
	int rc;

	rc = vex_digest(v, o, digest, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < v->nstmts; i++)
		nvulns += !i || v->stmts[i].vuln != v->stmts[i - 1].vuln;
	fputs("{\"document\":", f);
	rc = vex_dump(document(v, o, digest, nvulns), true, f, e);
	if (!rc)
		fputs(",\n\"product_tree\":{\"branches\":[\n", f);
	for (size_t i = 0; !rc && i < v->nproducts;) {
		if (i)
			fputs(",\n", f);
		rc = vex_dump(host_branch(v, i, &i), true, f, e);
	}
	if (!rc)
		fputs("\n]},\n\"vulnerabilities\":[\n", f);
	buf_init(&scratch, 1u << 28);
	for (size_t i = 0, j; !rc && i < v->nstmts; i = j) {
		for (j = i + 1; j < v->nstmts && v->stmts[j].vuln == v->stmts[i].vuln; j++)
			;
		if (i)
			fputs(",\n", f);
		rc = vulnerability(v, &v->stmts[i], j - i, &scratch, f, e);
	}
	buf_release(&scratch);
	if (!rc)
		fputs("\n]}\n", f);
	if (!rc && ferror(f))
		rc = err_set(e, ERR_IO, "cannot write the document");
	return rc;
}
