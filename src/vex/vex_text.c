/*
 * What the statements say, shared by both writers: the status and
 * remediation names, the action and notes texts, the purl of a package,
 * the digest that names a document, and JSON helpers. See vex.h.
 */
#include "vex/vex.h"

#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "core/ecosystem.h"
#include "inventory/purl.h"

/* Ceiling of one statement's texts. */
#define TEXT_MAX (1u << 20)

const char *vex_status_name(enum vex_status s)
{
	static const char *const names[] = { "fixed", "not_affected", "under_investigation",
					     "affected" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *vex_remedy_name(enum vex_remedy r)
{
	static const char *const names[] = { NULL, "vendor_fix", "none_available", "mitigation",
					     "no_fix_planned" };

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : NULL;
}

const char *vex_justification(const struct vex_statement *st)
{
	return st->status == VEX_NOT_AFFECTED && st->rec ? st->rec->justification : NULL;
}

/* " until 2026-12-20" or "". */
static void until_text(const struct decide_rec *r, char ret[DATE_LEN + 8])
{
	char date[DATE_LEN + 1];

	ret[0] = '\0';
	if (r && r->has_until) {
		date_format(r->until, date);
		snprintf(ret, DATE_LEN + 8, " until %s", date);
	}
}

int vex_action_text(const struct vex *v, const struct vex_statement *st, struct buf *out,
		    struct err *e)
{
	const char *pkg = vex_str(v, st->package), *fixed = vex_str(v, st->fixed);
	const struct decide_rec *r = st->rec;
	char until[DATE_LEN + 8];
	char upgrade[1024];

	if (st->status != VEX_AFFECTED)
		return 0;
	until_text(r, until);
	if (fixed)
		snprintf(upgrade, sizeof(upgrade), "Upgrade %s to %s or later", pkg, fixed);
	else
		snprintf(upgrade, sizeof(upgrade), "No fixed version of %s is available yet; "
			 "upgrade when one is", pkg);
	if (st->decided == DECIDE_AUTO)
		return buf_appendf(out, e, "%s (auto-approved by policy rule %s)", upgrade,
				   st->rule ? st->rule->name : "?");
	switch (r->action) {
	case DECIDE_ACCEPT_RISK:
		return buf_appendf(out, e, "No fix planned: risk accepted%s by %s: %s", until,
				   r->decided_by, r->reason);
	case DECIDE_MITIGATED:
		return buf_appendf(out, e, "Mitigated (by %s): %s", r->decided_by, r->reason);
	case DECIDE_DEFER:
		return buf_appendf(out, e, "%s, deferred%s by %s%s%s", upgrade, until,
				   r->decided_by, r->reason[0] ? ": " : "", r->reason);
	case DECIDE_EXPEDITE:
		return buf_appendf(out, e, "%s, out of cycle (expedite by %s)", upgrade,
				   r->decided_by);
	default:
		return buf_appendf(out, e, "%s (%s by %s)", upgrade, decide_action_name(r->action),
				   r->decided_by);
	}
}

int vex_notes_text(const struct vex *v, const struct vex_statement *st, struct buf *out,
		   struct err *e)
{
	const char *adv = vex_str(v, v->advs[st->advisory].name);
	const char *pkg = vex_str(v, st->package), *fixed = vex_str(v, st->fixed);
	struct decide_state ds = { (enum decide_status)st->decided, st->rec, st->rule };
	char state[512], scope[DECIDE_SCOPE_MAX + 8];

	if (st->status == VEX_FIXED)
		return fixed ? buf_appendf(out, e, "%s: fixed in %s %s", adv, pkg, fixed) :
		       buf_appendf(out, e, "%s: no longer found on %s", adv, pkg);
	decide_state_text(&ds, state, sizeof(state));
	if (!state[0])
		return buf_appendf(out, e, "%s: found on %s, awaiting a decision", adv, pkg);
	if (st->rec) {
		decide_scope_format(&st->rec->scope, scope);
		return buf_appendf(out, e, "%s: %s (decision %lld on %s, scope %s)", adv, state,
				   (long long)st->rec->id, st->rec->subject, scope);
	}
	return buf_appendf(out, e, "%s: %s", adv, state);
}

/* The package format of an OS, from the ecosystem table; NULL unknown. */
static const char *package_type(const char *os_id)
{
	for (size_t i = 0; i < ecosystem_count(); i++)
		if (!strcmp(ecosystem_at(i)->os_id, os_id))
			return ecosystem_at(i)->packages;
	return NULL;
}

/* Copies s into a fixed purl field, or fails naming it. */
static int field(char *dst, size_t cap, const char *s, size_t len, const char *what,
		 struct err *e)
{
	if (len >= cap)
		return err_set(e, ERR_INPUT, "%s of %zu bytes is too long for a purl", what, len);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

int vex_purl(const char *os_id, const char *os_version, const char *name,
	     const char *version, const char *arch, char *ret, size_t len, struct err *e)
{
	const char *type = os_id ? package_type(os_id) : NULL;
	struct purl *p = malloc(sizeof(*p)); /* 6 KiB: not on a worker's stack */
	size_t epoch = 0;
	char distro[256];
	int rc;

	if (!p)
		return err_set(e, ERR_NOMEM, "out of memory");
	purl_init(p);
	if (type && !strcmp(type, "rpm")) {
		size_t d = strspn(version, "0123456789");

		if (d && version[d] == ':')
			epoch = d;
	}
	if (!type)
		rc = field(p->type, sizeof(p->type), "generic", strlen("generic"), "type", e);
	else
		rc = field(p->type, sizeof(p->type), type, strlen(type), "type", e);
	if (!rc && type)
		rc = field(p->ns, sizeof(p->ns), os_id, strlen(os_id), "namespace", e);
	if (!rc)
		rc = field(p->name, sizeof(p->name), name, strlen(name), "name", e);
	if (!rc)
		rc = field(p->version, sizeof(p->version), version + (epoch ? epoch + 1 : 0),
			   strlen(version + (epoch ? epoch + 1 : 0)), "version", e);
	if (!rc && type) {
		rc = purl_add_qualifier(p, "arch", arch ? arch : "", e);
		if (!rc && os_version && os_version[0]) {
			if ((size_t)snprintf(distro, sizeof(distro), "%s-%s", os_id, os_version) >=
			    sizeof(distro))
				rc = err_set(e, ERR_INPUT, "distro qualifier too long for a purl");
			else
				rc = purl_add_qualifier(p, "distro", distro, e);
		}
		if (!rc && epoch) {
			char ep[16];

			snprintf(ep, sizeof(ep), "%.*s", (int)(epoch < 15 ? epoch : 15), version);
			rc = purl_add_qualifier(p, "epoch", ep, e);
		}
	}
	if (!rc)
		rc = purl_format(p, ret, len, e);
	free(p);
	return rc;
}

/* Hashes a text and a separator, so that fields cannot run together. */
static void feed(struct sha256 *h, const char *s, char sep)
{
	if (s)
		sha256_update(h, s, strlen(s));
	sha256_update(h, &sep, 1);
}

int vex_digest(const struct vex *v, const struct vex_options *o,
	       char ret[SHA256_HEX_LEN + 1], struct err *e)
{
	struct sha256 *h;
	struct buf text;
	int rc = 0;

	if (!v->nstmts)
		return err_set(e, ERR_STATE, "nothing to export: no open or fixed findings "
			       "(run hfx scan)");
	h = sha256_init();
	if (!h)
		return err_set(e, ERR_NOMEM, "out of memory");
	buf_init(&text, TEXT_MAX);
	feed(h, o->author, '\x1e');
	for (size_t i = 0; i < v->nstmts && !rc; i++) {
		const struct vex_statement *st = &v->stmts[i];
		const struct vex_product *p = &v->products[st->product];

		feed(h, vex_str(v, v->vulns[st->vuln].name), '\x1f');
		feed(h, vex_str(v, p->id), '\x1f');
		feed(h, vex_str(v, p->purl), '\x1f');
		feed(h, vex_status_name((enum vex_status)st->status), '\x1f');
		feed(h, vex_justification(st), '\x1f');
		feed(h, vex_remedy_name((enum vex_remedy)st->remedy), '\x1f');
		buf_reset(&text);
		rc = vex_action_text(v, st, &text, e);
		if (!rc)
			rc = buf_append(&text, "\x1f", 1, e);
		if (!rc)
			rc = vex_notes_text(v, st, &text, e);
		if (!rc)
			feed(h, text.data, '\x1e');
	}
	buf_release(&text);
	if (rc) {
		sha256_free(h);
		return rc;
	}
	sha256_final(h, ret);
	return 0;
}

int vex_dump(json_t *json, bool sorted, FILE *f, struct err *e)
{
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | (sorted ? JSON_SORT_KEYS :
							 JSON_PRESERVE_ORDER);
	int rc = 0;

	char *text;

	if (!json)
		return err_set(e, ERR_NOMEM, "out of memory writing the document");
	/* Whole, then written at once: json_dumpf() writes token by token,
	 * which took half the time of a large export. */
	text = json_dumps(json, flags);
	json_decref(json);
	if (!text)
		return err_set(e, ERR_NOMEM, "out of memory writing the document");
	if (fputs(text, f) == EOF)
		rc = err_set(e, ERR_IO, "cannot write the document");
	free(text);
	return rc;
}

json_t *vex_json_text(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *copy;

	if (j || !s || !(copy = strdup(s)))
		return j;
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c > 0x7f)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}
