/*
 * Why a finding has its priority and due date, in words: every SSVC input
 * with where it came from (the KEV entry, the EPSS row, the CVSS vector,
 * the host attribute or the policy default), the outcome, and how the due
 * date was reached. Recomputed from the stored facts, as `findings
 * --explain` and `advisory show` print it.
 */
#ifndef HFX_ASSESS_EXPLAIN_H
#define HFX_ASSESS_EXPLAIN_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "core/policy.h"
#include "store/store.h"

/* A finding's stored rank, as finding_list() gives it. */
struct rank_seen {
	int priority;            /* -1: not ranked */
	const char *due, *since; /* NULL when not ranked */
};

/*
 * Appends the explanation of advisory advisory_id on host host_name to
 * ret: "exploitation active (CVE-... in CISA KEV, added ..., due ...);
 * exposure open (host exposure internet); ...; due 2026-11-30 (7 days
 * for out-of-cycle from 2026-11-23)".
 */
int assess_explain(struct store *s, const struct policy *p, const char *host_name,
		   sqlite3_int64 advisory_id, const struct rank_seen *seen, struct buf *ret,
		   struct err *e);

#endif
