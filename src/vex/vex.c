/*
 * Gathering the VEX statements; see vex.h and docs/VEX.md.
 *
 * Three reads, whatever the fleet's size: the decisions (decide_view),
 * the advisories with findings, and the binary packages of the open and
 * fixed findings ordered by host and package, so that products are
 * numbered in output order as they come. Each row becomes one statement
 * per vulnerability its advisory names; sorting by (vulnerability,
 * product, status) and keeping the first of each pair applies the
 * precedence when several advisories name one CVE. Strings live once in
 * an arena and are referred to by offset, so that the arena may move.
 */
#include "vex/vex.h"

#include <stdlib.h>
#include <string.h>

#include "core/cve.h"
#include "inventory/purl.h"
#include "store/assess_store.h"
#include "store/vex_store.h"

/* Ceilings: the strings of every product and advisory; the statements. */
#define ARENA_MAX (1u << 31)
#define STATEMENTS_MAX (1u << 28)

const char *vex_str(const struct vex *v, size_t off)
{
	return off == VEX_NONE ? NULL : v->arena.data + off;
}

/* Copies s[0..len) and a NUL into the arena; *ret gets its offset. */
static int put_n(struct vex *v, const char *s, size_t len, size_t *ret, struct err *e)
{
	size_t off = v->arena.len;
	int rc = buf_append(&v->arena, s, len, e);

	if (!rc)
		rc = buf_append(&v->arena, "", 1, e);
	if (rc)
		return err_prefix(e, rc, "VEX export");
	*ret = off;
	return 0;
}

static int put(struct vex *v, const char *s, size_t *ret, struct err *e)
{
	if (!s) {
		*ret = VEX_NONE;
		return 0;
	}
	return put_n(v, s, strlen(s), ret, e);
}

/* A vulnerability an advisory names, while the table is built. */
struct pair {
	const char *name;
	uint32_t adv, vuln;
};

struct gather {
	struct vex *v;
	struct pair *pairs;
	size_t npairs, cap;
	/* The last product and strings seen, to share them between rows. */
	sqlite3_int64 host_id;
	size_t host, os, package, fixed;
};

static int add_pair(struct gather *g, size_t name, uint32_t adv, struct err *e)
{
	if (g->npairs == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 256;
		struct pair *p = realloc(g->pairs, ncap * sizeof(*p));

		if (!p)
			return err_set(e, ERR_NOMEM, "out of memory reading advisories");
		g->pairs = p;
		g->cap = ncap;
	}
	/* An offset for now: the arena still grows. */
	g->pairs[g->npairs++] = (struct pair){ (const char *)(uintptr_t)name, adv, 0 };
	return 0;
}

static int advisory_fn(const struct vex_advisory_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct vex *v = g->v;
	struct vex_advisory *a;
	size_t before = g->npairs;
	int rc;

	if (r->id <= 0 || (size_t)r->id >= v->nadvs)
		return 0; /* imported after the ids were counted */
	a = &v->advs[r->id];
	if ((rc = put(v, r->name, &a->name, e)) || (rc = put(v, r->aliases, &a->aliases, e)) ||
	    (rc = put(v, r->summary, &a->summary, e)))
		return rc;
	for (const char *s = r->aliases; *s;) {
		size_t len = strcspn(s, " "), off;

		if (cve_id_valid(s, len) && ((rc = put_n(v, s, len, &off, e)) ||
					     (rc = add_pair(g, off, (uint32_t)r->id, e))))
			return rc;
		s += len + (s[len] == ' ');
	}
	/* No CVE id: the advisory is named by its own id. */
	return g->npairs == before ? add_pair(g, a->name, (uint32_t)r->id, e) : 0;
}

static int pair_by_name(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->adv > b->adv) - (a->adv < b->adv);
}

static int pair_by_adv(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	return a->adv != b->adv ? (a->adv > b->adv) - (a->adv < b->adv) :
	       (a->vuln > b->vuln) - (a->vuln < b->vuln);
}

struct adv_name {
	const char *name;
	uint32_t id;
};

static int adv_name_cmp(const void *x, const void *y)
{
	const struct adv_name *a = x, *b = y;

	return strcmp(a->name, b->name);
}

/* Ranks the advisories by name, for ties and for listing them. */
static int order_advisories(struct vex *v, struct err *e)
{
	struct adv_name *names = NULL;
	size_t n = 0;

	names = malloc((v->nadvs ? v->nadvs : 1) * sizeof(*names));
	if (!names)
		return err_set(e, ERR_NOMEM, "out of memory ordering advisories");
	for (size_t i = 0; i < v->nadvs; i++)
		if (v->advs[i].name != VEX_NONE)
			names[n++] = (struct adv_name){ vex_str(v, v->advs[i].name), (uint32_t)i };
	qsort(names, n, sizeof(*names), adv_name_cmp);
	for (size_t i = 0; i < n; i++)
		v->advs[names[i].id].order = (uint32_t)i;
	free(names);
	return 0;
}

static int pair_by_vuln(const void *x, const void *y, void *ctx)
{
	const struct pair *a = x, *b = y;
	const struct vex *v = ctx;

	if (a->vuln != b->vuln)
		return (a->vuln > b->vuln) - (a->vuln < b->vuln);
	return (v->advs[a->adv].order > v->advs[b->adv].order) -
	       (v->advs[a->adv].order < v->advs[b->adv].order);
}

/* The vulnerability table from the advisories' names: numbered in name
 * order, with the advisories of each and the vulnerabilities of each. */
static int build_vulns(struct vex *v, struct gather *g, struct err *e)
{
	size_t n = g->npairs;
	int rc = order_advisories(v, e);

	if (rc)
		return rc;
	v->vulns = calloc(n ? n : 1, sizeof(*v->vulns));
	v->adv_vulns = calloc(n ? n : 1, sizeof(*v->adv_vulns));
	v->vuln_advs = calloc(n ? n : 1, sizeof(*v->vuln_advs));
	if (!v->vulns || !v->adv_vulns || !v->vuln_advs)
		return err_set(e, ERR_NOMEM, "out of memory building the vulnerabilities");
	v->npairs = n;
	if (!n)
		return 0; /* no finding at all; and qsort must not see a NULL array */
	for (size_t i = 0; i < n; i++)
		g->pairs[i].name = vex_str(v, (size_t)(uintptr_t)g->pairs[i].name);
	qsort(g->pairs, n, sizeof(*g->pairs), pair_by_name);
	for (size_t i = 0; i < n; i++) {
		if (!i || strcmp(g->pairs[i].name, g->pairs[i - 1].name)) {
			const char *name = g->pairs[i].name;

			v->vulns[v->nvulns++] = (struct vex_vuln){
				.name = (size_t)(name - v->arena.data),
				.cve = cve_id_valid(name, strlen(name)),
			};
		}
		g->pairs[i].vuln = (uint32_t)(v->nvulns - 1);
	}
	qsort(g->pairs, n, sizeof(*g->pairs), pair_by_adv);
	for (size_t i = 0; i < n; i++) {
		struct vex_advisory *a = &v->advs[g->pairs[i].adv];

		if (!a->nvulns++)
			a->vuln_first = (uint32_t)i;
		v->adv_vulns[i] = g->pairs[i].vuln;
	}
	qsort_r(g->pairs, n, sizeof(*g->pairs), pair_by_vuln, v);
	for (size_t i = 0; i < n; i++) {
		struct vex_vuln *u = &v->vulns[g->pairs[i].vuln];

		if (!u->nadvs++)
			u->adv_first = (uint32_t)i;
		v->vuln_advs[i] = g->pairs[i].adv;
	}
	return 0;
}

static int product_id(struct vex *v, const struct vex_row *r, size_t *ret, struct err *e)
{
	size_t off = v->arena.len;
	int rc = buf_appendf(&v->arena, e, "%s:%s@%s%s%s", r->host, r->name, r->version,
			     r->arch[0] ? ":" : "", r->arch);

	if (!rc)
		rc = buf_append(&v->arena, "", 1, e);
	if (rc)
		return err_prefix(e, rc, "VEX export");
	*ret = off;
	return 0;
}

/* The product of a row: the last one, or a new one (rows come in product
 * order). */
static int product_of(struct gather *g, const struct vex_row *r, uint32_t *ret, struct err *e)
{
	struct vex *v = g->v;
	struct vex_product *p = v->nproducts ? &v->products[v->nproducts - 1] : NULL;
	char purl[PURL_INPUT_MAX];
	int rc;

	if (p && g->host_id == r->host_id && !strcmp(vex_str(v, p->name), r->name) &&
	    !strcmp(vex_str(v, p->arch), r->arch) && !strcmp(vex_str(v, p->version), r->version)) {
		*ret = (uint32_t)(v->nproducts - 1);
		return 0;
	}
	if (v->nproducts >= STATEMENTS_MAX)
		return err_set(e, ERR_NOMEM, "VEX export: more than %u products", STATEMENTS_MAX);
	if (v->nproducts == v->cap_products) {
		size_t ncap = v->cap_products ? v->cap_products * 2 : 256;
		struct vex_product *np = realloc(v->products, ncap * sizeof(*np));

		if (!np)
			return err_set(e, ERR_NOMEM, "out of memory reading products");
		v->products = np;
		v->cap_products = ncap;
	}
	if (!v->nproducts || g->host_id != r->host_id) {
		if ((rc = put(v, r->host, &g->host, e)) || (rc = put(v, r->os_id, &g->os, e)))
			return rc;
		g->host_id = r->host_id;
		v->nhosts++;
	}
	rc = vex_purl(r->os_id, r->os_version, r->name, r->version, r->arch, purl, sizeof(purl), e);
	if (rc)
		return err_prefix(e, rc, "host %s, package %s %s", r->host, r->name, r->version);
	p = &v->products[v->nproducts];
	p->host = g->host;
	p->os = g->os;
	if ((rc = put(v, r->name, &p->name, e)) || (rc = put(v, r->arch, &p->arch, e)) ||
	    (rc = put(v, r->version, &p->version, e)) || (rc = put(v, purl, &p->purl, e)) ||
	    (rc = product_id(v, r, &p->id, e)))
		return rc;
	*ret = (uint32_t)v->nproducts++;
	return 0;
}

/* s again if it equals the string at *last, else a new copy. */
static int share(struct vex *v, const char *s, size_t *last, struct err *e)
{
	if (*last != VEX_NONE && s && !strcmp(vex_str(v, *last), s))
		return 0;
	return put(v, s, last, e);
}

/* The status of an open finding from the decision that stands for it. */
static void classify(const struct decide_state *st, bool has_fix, struct vex_statement *s)
{
	s->decided = (uint8_t)st->status;
	s->rec = st->rec;
	s->rule = st->rule;
	if (st->status == DECIDE_AUTO) {
		s->status = VEX_AFFECTED;
		s->remedy = has_fix ? VEX_REMEDY_VENDOR_FIX : VEX_REMEDY_NONE_AVAILABLE;
		return;
	}
	if (st->status != DECIDE_STANDS) {
		s->status = VEX_UNDER_INVESTIGATION;
		return;
	}
	s->status = VEX_AFFECTED;
	switch (st->rec->action) {
	case DECIDE_NOT_AFFECTED:
		/* Both formats need one of the VEX justifications; a decision
		 * without one (not written by hfx) cannot say not_affected. */
		s->status = decide_justification_valid(st->rec->justification) ?
			    VEX_NOT_AFFECTED : VEX_UNDER_INVESTIGATION;
		break;
	case DECIDE_ACCEPT_RISK:
		s->remedy = VEX_REMEDY_NO_FIX_PLANNED;
		break;
	case DECIDE_MITIGATED:
		s->remedy = VEX_REMEDY_MITIGATION;
		break;
	default: /* approve, expedite, defer */
		s->remedy = has_fix ? VEX_REMEDY_VENDOR_FIX : VEX_REMEDY_NONE_AVAILABLE;
		break;
	}
}

static int push(struct vex *v, const struct vex_statement *s, struct err *e)
{
	if (v->nstmts >= STATEMENTS_MAX)
		return err_set(e, ERR_NOMEM, "VEX export: more than %u statements", STATEMENTS_MAX);
	if (v->nstmts == v->cap_stmts) {
		size_t ncap = v->cap_stmts ? v->cap_stmts * 2 : 1024;
		struct vex_statement *n = realloc(v->stmts, ncap * sizeof(*n));

		if (!n)
			return err_set(e, ERR_NOMEM, "out of memory gathering statements");
		v->stmts = n;
		v->cap_stmts = ncap;
	}
	v->stmts[v->nstmts++] = *s;
	return 0;
}

static int row_fn(const struct vex_row *r, void *ctx, struct err *e)
{
	struct gather *g = ctx;
	struct vex *v = g->v;
	struct vex_advisory *a;
	struct vex_statement s = { .advisory = (uint32_t)r->advisory_id };
	int rc;

	if (r->advisory_id <= 0 || (size_t)r->advisory_id >= v->nadvs ||
	    v->advs[r->advisory_id].name == VEX_NONE)
		return 0; /* found after the advisories were read */
	a = &v->advs[r->advisory_id];
	if ((rc = product_of(g, r, &s.product, e)) || (rc = share(v, r->package, &g->package, e)))
		return rc;
	s.package = g->package;
	s.fixed = VEX_NONE;
	if (r->fixed_version) {
		if ((rc = share(v, r->fixed_version, &g->fixed, e)))
			return rc;
		s.fixed = g->fixed;
	}
	if (r->fixed) {
		s.status = VEX_FIXED;
	} else {
		struct decide_state st;

		decide_view_state(&v->view, r->host_id, vex_str(v, a->name),
				  vex_str(v, a->aliases), r->priority, &st);
		classify(&st, r->fixed_version != NULL, &s);
	}
	a->used = true;
	for (uint32_t i = 0; i < a->nvulns; i++) {
		s.vuln = v->adv_vulns[a->vuln_first + i];
		if ((rc = push(v, &s, e)))
			return rc;
	}
	return 0;
}

static int stmt_cmp(const void *x, const void *y, void *ctx)
{
	const struct vex_statement *a = x, *b = y;
	const struct vex *v = ctx;

	if (a->vuln != b->vuln)
		return (a->vuln > b->vuln) - (a->vuln < b->vuln);
	if (a->product != b->product)
		return (a->product > b->product) - (a->product < b->product);
	if (a->status != b->status)
		return a->status < b->status ? 1 : -1; /* the highest first */
	return (v->advs[a->advisory].order > v->advs[b->advisory].order) -
	       (v->advs[a->advisory].order < v->advs[b->advisory].order);
}

/* Sorts, and keeps one statement per (vulnerability, product). */
static void merge(struct vex *v)
{
	size_t n = 0;

	if (!v->nstmts)
		return;
	qsort_r(v->stmts, v->nstmts, sizeof(*v->stmts), stmt_cmp, v);
	for (size_t i = 0; i < v->nstmts; i++)
		if (!n || v->stmts[i].vuln != v->stmts[n - 1].vuln ||
		    v->stmts[i].product != v->stmts[n - 1].product)
			v->stmts[n++] = v->stmts[i];
	v->nstmts = n;
}

int vex_load(struct vex *v, struct store *s, const struct policy *p, struct err *e)
{
	struct gather g = { .v = v, .host = VEX_NONE, .os = VEX_NONE, .package = VEX_NONE,
			    .fixed = VEX_NONE };
	sqlite3_int64 max_adv, max_host;
	int rc;

	*v = (struct vex){ 0 };
	buf_init(&v->arena, ARENA_MAX);
	rc = assess_max_ids(s, &max_adv, &max_host, e);
	if (!rc) {
		v->nadvs = (size_t)max_adv + 1;
		v->advs = malloc(v->nadvs * sizeof(*v->advs));
		if (!v->advs)
			rc = err_set(e, ERR_NOMEM, "out of memory reading advisories");
		for (size_t i = 0; v->advs && i < v->nadvs; i++)
			v->advs[i] = (struct vex_advisory){ VEX_NONE, VEX_NONE, VEX_NONE, 0, 0, 0, false };
	}
	if (!rc && v->nadvs > UINT32_MAX)
		rc = err_set(e, ERR_STATE, "advisory ids beyond %u", UINT32_MAX);
	if (!rc)
		rc = decide_view_load(&v->view, s, p, e);
	if (!rc)
		rc = vex_advisories(s, advisory_fn, &g, e);
	if (!rc)
		rc = build_vulns(v, &g, e);
	if (!rc)
		rc = vex_rows(s, row_fn, &g, e);
	free(g.pairs);
	if (rc) {
		vex_release(v);
		return rc;
	}
	merge(v);
	return 0;
}

void vex_release(struct vex *v)
{
	buf_release(&v->arena);
	decide_view_release(&v->view);
	free(v->advs);
	free(v->vulns);
	free(v->adv_vulns);
	free(v->vuln_advs);
	free(v->products);
	free(v->stmts);
	*v = (struct vex){ 0 };
}
