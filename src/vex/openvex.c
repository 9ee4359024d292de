/*
 * The statements as an OpenVEX 0.2.0 document (https://github.com/openvex/
 * spec): one statement per vulnerability and product, the product being
 * the host ("urn:hfx:host:NAME") with the binary package as its one
 * subcomponent (its purl). Streamed: one statement per line, each built
 * and freed in turn. docs/VEX.md shows an example.
 */
#include "vex/vex.h"

#include <string.h>

#define OPENVEX_CONTEXT "https://openvex.dev/ns/v0.2.0"

/* Writes ,"key":value (no comma for the first member); takes value. */
static int member(FILE *f, const char *key, json_t *value, bool first, struct err *e)
{
	json_t *k = json_string(key);
	int rc;

	if (!k) {
		json_decref(value);
		return err_set(e, ERR_NOMEM, "out of memory writing the document");
	}
	if (!first)
		fputc(',', f);
	rc = vex_dump(k, false, f, e);
	fputc(':', f);
	if (!rc)
		rc = vex_dump(value, false, f, e);
	else
		json_decref(value);
	return rc;
}

/* The vulnerability as statements name it: aliases are the advisories
 * behind a CVE id. */
static json_t *vulnerability(const struct vex *v, uint32_t id)
{
	const struct vex_vuln *u = &v->vulns[id];
	const char *name = vex_str(v, u->name);
	json_t *obj = json_pack("{s:o}", "name", vex_json_text(name)), *aliases = json_array();

	for (uint32_t i = 0; obj && aliases && i < u->nadvs; i++) {
		const struct vex_advisory *a = &v->advs[v->vuln_advs[u->adv_first + i]];

		if (a->used && strcmp(vex_str(v, a->name), name))
			json_array_append_new(aliases, vex_json_text(vex_str(v, a->name)));
	}
	if (!obj || !aliases) {
		json_decref(obj);
		json_decref(aliases);
		return NULL;
	}
	if (json_array_size(aliases))
		json_object_set_new(obj, "aliases", aliases);
	else
		json_decref(aliases);
	return obj;
}

static json_t *products(const struct vex *v, const struct vex_product *p)
{
	char host[320];

	snprintf(host, sizeof(host), "urn:hfx:host:%s", vex_str(v, p->host));
	return json_pack("[{s:s, s:[{s:s, s:{s:s}}]}]", "@id", host, "subcomponents", "@id",
			 vex_str(v, p->purl), "identifiers", "purl", vex_str(v, p->purl));
}

static int statement(const struct vex *v, const struct vex_statement *st, json_t *vuln,
		     struct buf *text, FILE *f, struct err *e)
{
	json_t *obj = json_object();
	const char *justification = vex_justification(st);
	int bad = !obj, rc = 0;

	/* json_object_set*() fail on a NULL value: one check for them all. */
	bad = bad || json_object_set(obj, "vulnerability", vuln) ||
	      json_object_set_new(obj, "products", products(v, &v->products[st->product])) ||
	      json_object_set_new(obj, "status", json_string(vex_status_name(st->status)));
	if (!bad && justification)
		bad = json_object_set_new(obj, "justification", json_string(justification));
	buf_reset(text);
	if (!bad && st->status == VEX_AFFECTED) {
		rc = vex_action_text(v, st, text, e);
		if (!rc)
			bad = json_object_set_new(obj, "action_statement", vex_json_text(text->data));
		buf_reset(text);
	}
	if (!rc && !bad)
		rc = vex_notes_text(v, st, text, e);
	if (!rc && !bad)
		bad = json_object_set_new(obj, "status_notes", vex_json_text(text->data));
	if (!rc && bad)
		rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
	if (rc) {
		json_decref(obj);
		return rc;
	}
	return vex_dump(obj, false, f, e);
}

int vex_write_openvex(const struct vex *v, const struct vex_options *o, FILE *f,
		      struct err *e)
{
	char digest[SHA256_HEX_LEN + 1], id[80];
	json_t *vuln = NULL;
	struct buf text;
	int rc;

	rc = vex_digest(v, o, digest, e);
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "urn:hfx:vex:%s", digest);
	fputc('{', f);
	if ((rc = member(f, "@context", json_string(OPENVEX_CONTEXT), true, e)) ||
	    (rc = member(f, "@id", json_string(id), false, e)) ||
	    (rc = member(f, "author", vex_json_text(o->author), false, e)) ||
	    (rc = member(f, "timestamp", json_string(o->now), false, e)) ||
	    (rc = member(f, "version", json_integer(1), false, e)) ||
	    (rc = member(f, "tooling", json_string("hfx"), false, e)))
		return rc;
	fputs(",\"statements\":[\n", f);
	buf_init(&text, 1u << 20);
	for (size_t i = 0; i < v->nstmts && !rc; i++) {
		const struct vex_statement *st = &v->stmts[i];

		if (!i || st->vuln != v->stmts[i - 1].vuln) {
			json_decref(vuln);
			vuln = vulnerability(v, st->vuln);
			if (!vuln) {
				rc = err_set(e, ERR_NOMEM, "out of memory writing the document");
				break;
			}
		}
		if (i)
			fputs(",\n", f);
		rc = statement(v, st, vuln, &text, f, e);
	}
	json_decref(vuln);
	buf_release(&text);
	if (!rc)
		fputs("\n]}\n", f);
	if (!rc && ferror(f))
		rc = err_set(e, ERR_IO, "cannot write the document");
	return rc;
}
