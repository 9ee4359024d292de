/*
 * Recording decisions; see decide.h. Every rule a decision must satisfy is
 * checked before anything is written, so a refused decision changes
 * nothing; the decision and its audit record are written together.
 */
#include "decide/decide.h"

#include <string.h>

#include "audit/audit.h"
#include "base/timefmt.h"
#include "store/decision_store.h"

static const char *const priority_words[] = { "defer", "scheduled", "out-of-cycle",
					      "immediate" };

/* The highest priority and the count of the subject's findings in scope. */
struct in_scope {
	const struct decide_scope *scope;
	int priority;
	long n;
};

static int count_in_scope(const struct subject_finding *f, void *ctx, struct err *e)
{
	struct in_scope *c = ctx;
	struct decide_host h = { f->host, f->group, f->tags };

	(void)e;
	if (!decide_scope_covers(c->scope, &h))
		return 0;
	c->n++;
	if (f->priority > c->priority)
		c->priority = f->priority;
	return 0;
}

static int today(int64_t *ret)
{
	char now[32];

	store_now(now);
	return date_parse(now, ret) ? 0 : -1;
}

/* The fields each action needs, and the longest a risk acceptance lasts. */
static int check_fields(const struct policy *p, const struct decide_request *r, int priority,
			struct err *e)
{
	int64_t now = 0, until = 0;
	bool next_window = r->until && !strcmp(r->until, DECIDE_NEXT_WINDOW);

	if (next_window && r->action != DECIDE_DEFER)
		return err_set(e, ERR_INPUT, "--until %s is for defer only", DECIDE_NEXT_WINDOW);
	if (next_window)
		return 0;
	if (r->until && (!date_parse(r->until, &until) || r->until[DATE_LEN]))
		return err_set(e, ERR_INPUT, "--until '%.32s': expected a date, YYYY-MM-DD (or "
			       "next-window for defer)", r->until);
	today(&now);
	if (r->until && until <= now)
		return err_set(e, ERR_INPUT, "--until %s is not in the future", r->until);
	if (r->justification && r->action != DECIDE_NOT_AFFECTED)
		return err_set(e, ERR_INPUT, "--justification is for not-affected only");
	switch (r->action) {
	case DECIDE_DEFER:
		if (!r->until)
			return err_set(e, ERR_INPUT, "defer needs --until DATE");
		break;
	case DECIDE_ACCEPT_RISK: {
		int pr = priority < 0 ? SSVC_IMMEDIATE : priority;
		int max = p->accept_risk_days[pr];

		if (!r->reason || !r->until)
			return err_set(e, ERR_INPUT, "accept-risk needs --reason TEXT and --until DATE");
		if (until - now > max)
			return err_set(e, ERR_INPUT, "accept-risk of %s findings may last at most %d "
				       "days (policy [accept-risk] %s); --until %s is %lld days away",
				       priority_words[pr], max, priority_words[pr], r->until,
				       (long long)(until - now));
		break;
	}
	case DECIDE_NOT_AFFECTED:
		if (!r->justification || !decide_justification_valid(r->justification))
			return err_set(e, ERR_INPUT, "not-affected needs --justification, one of "
				       "component_not_present, vulnerable_code_not_present, "
				       "vulnerable_code_not_in_execute_path, "
				       "vulnerable_code_cannot_be_controlled_by_adversary, "
				       "inline_mitigations_already_exist");
		break;
	case DECIDE_MITIGATED:
		if (!r->reason)
			return err_set(e, ERR_INPUT, "mitigated needs --reason with the workaround");
		break;
	default:
		break;
	}
	return 0;
}

static json_t *details_of(const struct decide_request *r, const char *scope,
			  const struct decide_outcome *o)
{
	json_t *d = json_pack("{s:I, s:s, s:i, s:i, s:I, s:s}", "id", (json_int_t)o->id,
			      "scope", scope, "approvals", (int)o->approvals, "required",
			      o->required, "findings", (json_int_t)o->findings, "state",
			      o->active ? "active" : "pending");

	if (d && r->until)
		json_object_set_new(d, "until", json_string(r->until));
	if (d && r->reason)
		json_object_set_new(d, "reason", json_string(r->reason));
	if (d && r->justification)
		json_object_set_new(d, "justification", json_string(r->justification));
	if (d && o->priority >= 0)
		json_object_set_new(d, "priority", json_string(priority_words[o->priority]));
	return d;
}

static int revoke(struct store *s, const struct decide_request *r, const char *scope,
		  struct decide_outcome *o, struct err *e)
{
	json_t *d = NULL;
	int rc = decision_revoke(s, r->subject, scope, r->actor, &o->revoked, e);

	if (!rc && !o->revoked)
		rc = err_set(e, ERR_INPUT, "no decision on %s for scope %s to revoke", r->subject,
			     scope);
	if (!rc) {
		d = json_pack("{s:s, s:I}", "scope", scope, "revoked", (json_int_t)o->revoked);
		rc = audit_append(s, r->actor, "decision.revoke", r->subject, d, e);
	}
	json_decref(d);
	return rc;
}

/* A new decision, or the actor's approval of the identical pending one. */
static int record(struct store *s, const struct decide_request *r, const char *scope,
		  struct decide_outcome *o, struct err *e)
{
	const char *action = decide_action_name((enum decide_action)r->action);
	char audit_action[48];
	json_t *d = NULL;
	int rc = decision_find_pending(s, r->subject, action, scope, &o->id, e);

	if (!rc && o->id) {
		o->agreed = true;
		rc = decision_add_approval(s, o->id, r->actor, &o->approvals, e);
	} else if (!rc) {
		struct decision_new n = { r->subject, action, scope, r->until, r->reason,
					  r->justification, o->priority, o->required,
					  o->required <= 1 ? "active" : "pending", r->actor };

		o->approvals = 1;
		rc = decision_insert(s, &n, &o->id, e);
	}
	o->active = !rc && o->approvals >= o->required;
	if (!rc && o->agreed && o->active)
		rc = decision_activate(s, o->id, e);
	snprintf(audit_action, sizeof(audit_action), "decision.%s", o->agreed ? "agree" : action);
	if (!rc && !(d = details_of(r, scope, o)))
		rc = err_set(e, ERR_NOMEM, "out of memory");
	if (!rc)
		rc = audit_append(s, r->actor, audit_action, r->subject, d, e);
	json_decref(d);
	return rc;
}

int decide_record(struct store *s, const struct policy *p, const struct decide_request *r,
		  struct decide_outcome *ret, struct err *e)
{
	struct decide_outcome o = { .priority = -1 };
	struct decide_scope sc;
	struct in_scope c = { &sc, -1, 0 };
	char scope[DECIDE_SCOPE_MAX + 8];
	bool known = false;
	int rc;

	rc = decide_scope_parse(r->scope ? r->scope : "all", &sc, e);
	if (!rc)
		rc = decision_subject_known(s, r->subject, &known, e);
	if (!rc && !known)
		rc = err_set(e, ERR_INPUT, "no advisory '%.64s' (neither an id nor an alias of one)",
			     r->subject);
	if (rc)
		return rc;
	decide_scope_format(&sc, scope);
	if (r->action < 0) {
		rc = revoke(s, r, scope, &o, e);
	} else {
		rc = decision_subject_findings(s, r->subject, count_in_scope, &c, e);
		o.priority = c.priority;
		o.findings = c.n;
		o.required = policy_quorum(p, (enum decide_action)r->action,
					   c.priority < 0 ? SSVC_IMMEDIATE : c.priority);
		if (!rc)
			rc = check_fields(p, r, c.priority, e);
		if (!rc)
			rc = record(s, r, scope, &o, e);
	}
	if (!rc)
		*ret = o;
	return rc;
}
