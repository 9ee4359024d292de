/* A finding's rank in words; see explain.h. */
#include "assess/explain.h"

#include <stdio.h>
#include <string.h>

#include "base/timefmt.h"
#include "core/assess.h"
#include "store/assess_store.h"
#include "store/host_store.h"

/* The facts of one advisory, copied out of the callback. */
struct facts {
	bool found, has_cvss, has_epss;
	double cvss, epss, percentile;
	int automatable;
	char vector[256], kev_cve[32], kev_added[16], kev_due[16], epss_cve[32], epss_date[40];
};

static int copy_facts(const struct threat_row *r, void *ctx, struct err *e)
{
	struct facts *f = ctx;

	(void)e;
	f->found = true;
	f->has_cvss = r->has_cvss;
	f->cvss = r->cvss;
	f->automatable = r->automatable;
	snprintf(f->vector, sizeof(f->vector), "%s", r->cvss_vector ? r->cvss_vector : "");
	snprintf(f->kev_cve, sizeof(f->kev_cve), "%s", r->kev_cve ? r->kev_cve : "");
	snprintf(f->kev_added, sizeof(f->kev_added), "%s", r->kev_added ? r->kev_added : "");
	snprintf(f->kev_due, sizeof(f->kev_due), "%s", r->kev_due ? r->kev_due : "");
	f->has_epss = r->epss_cve != NULL;
	f->epss = r->epss;
	f->percentile = r->percentile;
	snprintf(f->epss_cve, sizeof(f->epss_cve), "%s", r->epss_cve ? r->epss_cve : "");
	snprintf(f->epss_date, sizeof(f->epss_date), "%s", r->epss_date ? r->epss_date : "");
	return 0;
}

static const char *const exploitation_names[] = { "none", "public PoC", "active" };
static const char *const exposure_names[] = { "small", "controlled", "open" };
static const char *const impact_names[] = { "low", "medium", "high", "very high" };

static int explain_exploitation(const struct policy *p, const struct facts *f,
				enum ssvc_exploitation x, struct buf *b, struct err *e)
{
	int rc = buf_appendf(b, e, "exploitation %s (", exploitation_names[x]);

	if (!rc && f->kev_cve[0])
		rc = buf_appendf(b, e, "%s in CISA KEV, added %s, due %s", f->kev_cve,
				 f->kev_added, f->kev_due);
	else if (!rc && f->has_epss)
		rc = buf_appendf(b, e, "not in CISA KEV; EPSS %.5f (percentile %.5f%s%s) for %s, "
				 "%s the policy's epss-threshold %g", f->epss, f->percentile,
				 f->epss_date[0] ? ", " : "", f->epss_date, f->epss_cve,
				 f->epss >= p->epss_threshold ? "at or above" : "below",
				 p->epss_threshold);
	else if (!rc)
		rc = buf_appendf(b, e, "not in CISA KEV; no EPSS score");
	return rc ? rc : buf_appendf(b, e, ")");
}

static int explain_inputs(const struct policy *p, const struct facts *f, const struct host *h,
			  const struct assess_inputs *in, struct buf *b, struct err *e)
{
	const char *x = h->attr[HOST_ATTR_EXPOSURE], *c = h->attr[HOST_ATTR_CRITICALITY];
	int rc = explain_exploitation(p, f, in->exploitation, b, e);

	if (!rc)
		rc = buf_appendf(b, e, "; exposure %s (%s%s)", exposure_names[in->exposure],
				 in->default_exposure ? "host exposure not set: the policy's "
				 "default-exposure" : "host exposure ", in->default_exposure ? "" : x);
	if (!rc && in->default_automatable)
		rc = buf_appendf(b, e, "; automatable yes (no CVSS vector: assumed)");
	else if (!rc)
		rc = buf_appendf(b, e, "; automatable %s (%s, CVSS %.1f: %s)",
				 in->automatable ? "yes" : "no", f->vector, f->cvss,
				 in->automatable ? "network, no privileges, no user interaction"
				 : "needs local or adjacent access, privileges or a user");
	if (!rc)
		rc = buf_appendf(b, e, "; human impact %s (%s%s)", impact_names[in->impact],
				 in->default_impact ? "host criticality not set: the policy's "
				 "default-criticality" : "host criticality ",
				 in->default_impact ? "" : c);
	return rc;
}

static int explain_due(const struct policy *p, const struct host *h, const struct facts *f,
		       const struct rank_seen *seen, struct buf *b, struct err *e)
{
	int64_t since, due;
	enum ssvc_priority pr = (enum ssvc_priority)seen->priority;
	int days = policy_days(p, h->attr[HOST_ATTR_GROUP], pr);

	if (seen->priority < 0 || !seen->due || !seen->since || !date_parse(seen->since, &since) ||
	    !date_parse(seen->due, &due))
		return buf_appendf(b, e, "; not ranked yet");
	if (due != since + days && f->kev_due[0] && !strcmp(seen->due, f->kev_due))
		return buf_appendf(b, e, "; due %s (the CISA KEV due date, earlier than %d days "
				   "for %s from %s)", seen->due, days, ssvc_priority_name(pr),
				   seen->since);
	return buf_appendf(b, e, "; due %s (%d days for %s%s%s from %s)", seen->due, days,
			   ssvc_priority_name(pr), h->attr[HOST_ATTR_GROUP][0] ? " in group " : "",
			   h->attr[HOST_ATTR_GROUP], seen->since);
}

int assess_explain(struct store *s, const struct policy *p, const char *host_name,
		   sqlite3_int64 advisory_id, const struct rank_seen *seen, struct buf *ret,
		   struct err *e)
{
	struct facts f = { .automatable = -1 };
	struct assess_inputs in;
	struct assess_threat t = { .automatable = -1 };
	struct assess_host ah;
	enum ssvc_exposure x;
	enum ssvc_impact i;
	struct host h;
	int rc;

	rc = host_get(s, host_name, &h, e);
	if (!rc)
		rc = threat_list(s, advisory_id, copy_facts, &f, e);
	if (rc)
		return rc;
	t.automatable = f.automatable;
	t.kev = f.kev_cve[0] && date_parse(f.kev_due, &t.kev_due);
	t.has_epss = f.has_epss;
	t.epss = f.epss;
	ah.exposure = policy_exposure_parse(h.attr[HOST_ATTR_EXPOSURE], &x) ? -1 : (int)x;
	ah.impact = policy_impact_parse(h.attr[HOST_ATTR_CRITICALITY], &i) ? -1 : (int)i;
	ah.group = h.attr[HOST_ATTR_GROUP];
	assess_inputs(p, &t, &ah, &in);
	rc = explain_inputs(p, &f, &h, &in, ret, e);
	if (!rc)
		rc = buf_appendf(ret, e, "; priority %s (CISA SSVC deployer table)",
				 ssvc_priority_name(ssvc_deployer(in.exploitation, in.exposure,
								  in.automatable, in.impact)));
	if (!rc)
		rc = explain_due(p, &h, &f, seen, ret, e);
	return rc;
}
