/*
 * `findings --explain`: why a stored finding matched, recomputed from the
 * advisory's current revision with the same matcher the scan used (so the
 * explanation cannot disagree with the finding, and the store does not
 * keep a sentence per finding).
 */
#include "scan/scan.h"

#include <stdio.h>
#include <string.h>

#include "core/ecosystem.h"
#include "core/match.h"
#include "feed/osv.h"
#include "store/advisory_store.h"

struct explain {
	const struct ecosystem *eco;
	const char *version;
	char *buf;
	size_t len;
	bool found;
};

static int explain_row(const struct affected_row *row, void *ctx, struct err *e)
{
	struct explain *x = ctx;
	struct affected af = { 0 };
	struct match m;
	int rc;

	if (x->found)
		return 0;
	rc = osv_affected_decode(row->ranges, &af, e);
	if (!rc)
		rc = affected_sort(&af, x->eco->cmp, e);
	if (!rc && affected_match(&af, x->eco->cmp, x->version, strlen(x->version), &m)) {
		match_explain(&af, &m, x->version, x->eco->comparator, x->buf, x->len);
		x->found = true;
	}
	affected_release(&af);
	return rc;
}

int scan_explain(struct store *s, const char *ecosystem, sqlite3_int64 advisory_id,
		 const char *package, const char *version, char *buf, size_t len,
		 struct err *e)
{
	struct explain x = { ecosystem_find(ecosystem), version, buf, len, false };
	int rc;

	if (!x.eco)
		return err_set(e, ERR_INPUT, "ecosystem '%s' is not supported", ecosystem);
	rc = advisory_affected_of(s, ecosystem, advisory_id, package, explain_row, &x, e);
	if (!rc && !x.found)
		snprintf(buf, len, "no longer matches the advisory's current revision "
			 "(run 'hfx scan')");
	return rc;
}
