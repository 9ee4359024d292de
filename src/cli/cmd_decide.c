/*
 * hfx decide, hfx review and hfx review agenda: the committee's queue,
 * its decisions, and the agenda of its next meeting.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/timefmt.h"
#include "decide/review.h"
#include "store/decision_store.h"

static const char *priority_text(int p)
{
	return p < 0 ? "-" : ssvc_priority_name((enum ssvc_priority)p);
}

static const struct cli_option decide_options[] = {
	{ "scope", "SCOPE", "all (default), group:NAME, host:NAME or tag:KEY=VALUE" },
	{ "until", "DATE", "when the decision expires (YYYY-MM-DD; for defer also next-window: "
	  "until each host's next maintenance window); required for defer and accept-risk" },
	{ "reason", "TEXT", "why; required for accept-risk, and the workaround for mitigated" },
	{ "justification", "J", "for not-affected: component_not_present, "
	  "vulnerable_code_not_present, vulnerable_code_not_in_execute_path, "
	  "vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist" },
	{ NULL, NULL, NULL },
};

static void print_outcome(const struct decide_request *r, const struct decide_outcome *o)
{
	if (r->action < 0) {
		printf("revoked %ld decision%s on %s\n", o->revoked, o->revoked == 1 ? "" : "s",
		       r->subject);
		return;
	}
	printf("%s %s: decision %lld, %ld of %d approver%s: %s\n",
	       decide_action_name((enum decide_action)r->action), r->subject, (long long)o->id,
	       o->approvals, o->required, o->required == 1 ? "" : "s",
	       o->active ? "stands" : "pending until another approver agrees");
	if (!o->findings)
		printf("(no open finding in scope now: it applies to future findings)\n");
}

static int decide_run(const struct cli_args *a, struct err *e)
{
	struct decide_request r = { .subject = a->pos[0], .scope = a->values[0],
				    .until = a->values[1], .reason = a->values[2],
				    .justification = a->values[3], .actor = a->actor };
	struct decide_outcome o;
	struct store *s = NULL;
	struct policy p;
	int rc;

	r.action = strcmp(a->pos[1], "revoke") ? decide_action_parse(a->pos[1]) : -1;
	if (r.action < 0 && strcmp(a->pos[1], "revoke"))
		return err_set(e, ERR_INPUT, "'%.32s' is not an action: approve, expedite, defer, "
			       "accept-risk, not-affected, mitigated or revoke", a->pos[1]);
	rc = cli_load_policy(a, &p, NULL, 0, e);
	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (!rc)
		rc = store_begin(s, e);
	if (!rc)
		rc = decide_record(s, &p, &r, &o, e);
	if (!rc)
		rc = store_commit(s, e);
	if (!rc)
		print_outcome(&r, &o);
	store_close(s);
	return rc;
}

const struct cli_command cmd_decide = {
	.name = "decide",
	.role = ROLE_APPROVER,
	.args = "ADVISORY|CVE ACTION",
	.summary = "record a decision: approve, expedite, defer, accept-risk, not-affected, "
		   "mitigated, or revoke",
	.details = "A CVE id covers every advisory aliasing it. For one finding the most "
		   "specific decision stands (host, then tag, then group, then all), the latest "
		   "of equally specific ones; an explicit decision always beats an auto-approval "
		   "rule. The policy's quorum may need several approvers: the decision is pending "
		   "until others run the same command. An expired decision returns its findings "
		   "to the queue. See docs/DECISIONS.md.",
	.min_pos = 2, .max_pos = 2,
	.options = decide_options,
	.run = decide_run,
};

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_MARKDOWN };

static int parse_format(const char *s, enum format *ret, struct err *e)
{
	if (!s || !strcmp(s, "table"))
		*ret = FORMAT_TABLE;
	else if (!strcmp(s, "json"))
		*ret = FORMAT_JSON;
	else if (!strcmp(s, "markdown"))
		*ret = FORMAT_MARKDOWN;
	else
		return err_set(e, ERR_INPUT, "--format '%.32s': expected table, json or markdown", s);
	return 0;
}

static void groups_text(const struct review_item *it, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < it->ngroups && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s %ld", i ? ", " : "",
				      it->groups[i].name[0] ? it->groups[i].name : "(none)",
				      it->groups[i].hosts);
}

static json_t *item_json(const struct review_item *it)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:I, s:b, s:{}, s:s?}", "advisory",
			      it->advisory, "aliases", it->aliases, "priority",
			      priority_text(it->priority), "due", it->due[0] ? it->due : NULL,
			      "hosts", (json_int_t)it->hosts, "fix_available", it->fixable,
			      "hosts_by_group", "decision", it->note[0] ? it->note : NULL);

	for (size_t i = 0; o && i < it->ngroups; i++)
		json_object_set_new(json_object_get(o, "hosts_by_group"),
				    it->groups[i].name[0] ? it->groups[i].name : "(none)",
				    json_integer(it->groups[i].hosts));
	return o;
}

/* Markdown table cells: a '|' or a line break would break the row. */
static void md_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s == '\n' || *s == '\r' ? ' ' : *s);
	}
	fputs(" | ", stdout);
}

static void print_items(const struct review_item *v, size_t n, enum format f)
{
	char groups[256];

	if (f == FORMAT_MARKDOWN)
		printf("| priority | due | advisory | CVEs | hosts by group | fix | note |\n"
		       "|---|---|---|---|---|---|---|\n");
	else if (f == FORMAT_TABLE)
		printf("%-12s %-10s %-24s %6s %-4s %s\n", "PRIORITY", "DUE", "ADVISORY", "HOSTS",
		       "FIX", "GROUPS");
	for (size_t i = 0; i < n; i++) {
		groups_text(&v[i], groups, sizeof(groups));
		if (f == FORMAT_MARKDOWN) {
			fputs("| ", stdout);
			md_cell(priority_text(v[i].priority));
			md_cell(v[i].due);
			md_cell(v[i].advisory);
			md_cell(v[i].aliases);
			md_cell(groups);
			md_cell(v[i].fixable ? "yes" : "no");
			md_cell(v[i].note);
			putchar('\n');
		} else {
			printf("%-12s %-10s %-24s %6ld %-4s %s%s%s\n", priority_text(v[i].priority),
			       v[i].due[0] ? v[i].due : "-", v[i].advisory, v[i].hosts,
			       v[i].fixable ? "yes" : "no", groups, v[i].note[0] ? "; " : "",
			       v[i].note);
		}
	}
}

/* Loads the policy, refreshes stale ranks, and builds the queue. */
static int load_queue(const struct cli_args *a, struct store **ret_s, struct policy *p,
		      struct decide_view *v, struct review_item **ret, size_t *ret_n,
		      struct err *e)
{
	int rc = cli_load_policy(a, p, NULL, 0, e);

	if (!rc)
		rc = cli_open_store(a, ret_s, e);
	if (!rc)
		rc = cli_refresh_ranks(*ret_s, p, a->actor, NULL, e);
	if (!rc)
		rc = decide_view_load(v, *ret_s, p, e);
	if (!rc)
		rc = review_queue(*ret_s, v, ret, ret_n, e);
	return rc;
}

static int review_run(const struct cli_args *a, struct err *e)
{
	struct review_item *items = NULL;
	struct decide_view v = { 0 };
	struct store *s = NULL;
	struct policy p;
	enum format f = FORMAT_TABLE;
	size_t n = 0;
	int rc = parse_format(a->values[0], &f, e);

	if (!rc)
		rc = load_queue(a, &s, &p, &v, &items, &n, e);
	if (!rc && f == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, item_json(&items[i]));
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
			rc = err_set(e, ERR_IO, "cannot write the output");
		putchar('\n');
		json_decref(arr);
	} else if (!rc) {
		print_items(items, n, f);
	}
	free(items);
	decide_view_release(&v);
	store_close(s);
	return rc;
}

static const struct cli_option review_options[] = {
	{ "format", "FORMAT", "table (default), json or markdown" },
	{ NULL, NULL, NULL },
};

const struct cli_command cmd_review = {
	.name = "review",
	.summary = "the review queue: advisories affecting hosts with no standing decision",
	.details = "One row per advisory whose findings on some hosts have no standing decision "
		   "(nor an auto-approval rule): its highest priority, earliest due date, the "
		   "hosts by group, whether a fix exists, and a pending or expired decision. "
		   "Most urgent first.",
	.max_pos = 0,
	.options = review_options,
	.run = review_run,
};

/* ---- the agenda ---- */

struct agenda {
	const char *since;          /* the last agenda's time, "" for none */
	char today[DATE_LEN + 1], soon[DATE_LEN + 1];
	long n;
};

static void agenda_decision_row(const struct decision_row *d)
{
	fputs("| ", stdout);
	md_cell(d->decided_at);
	md_cell(d->decided_by);
	md_cell(d->action);
	md_cell(d->subject);
	md_cell(d->scope);
	md_cell(d->until ? d->until : "");
	md_cell(d->state);
	putchar('\n');
}

static int expiring(const struct decision_row *d, void *ctx, struct err *e)
{
	struct agenda *g = ctx;

	(void)e;
	if (strcmp(d->state, "active") || !d->until || strcmp(d->until, g->today) < 0 ||
	    strcmp(d->until, g->soon) > 0)
		return 0;
	agenda_decision_row(d);
	g->n++;
	return 0;
}

static int taken_since(const struct decision_row *d, void *ctx, struct err *e)
{
	struct agenda *g = ctx;

	(void)e;
	if (g->since[0] && strcmp(d->decided_at, g->since) <= 0 &&
	    (!d->revoked_at || strcmp(d->revoked_at, g->since) <= 0))
		return 0;
	agenda_decision_row(d);
	g->n++;
	return 0;
}

static void agenda_items(const char *title, const struct review_item *v, size_t n,
			 bool (*want)(const struct review_item *, const struct agenda *),
			 const struct agenda *g)
{
	struct review_item *sel = calloc(n ? n : 1, sizeof(*sel));
	size_t k = 0;

	for (size_t i = 0; sel && i < n; i++)
		if (want(&v[i], g))
			sel[k++] = v[i];
	printf("\n## %s (%zu)\n\n", title, k);
	if (k)
		print_items(sel, k, FORMAT_MARKDOWN);
	else
		printf("None.\n");
	free(sel);
}

static bool is_new(const struct review_item *it, const struct agenda *g)
{
	return !g->since[0] || strcmp(it->first_seen, g->since) > 0;
}

static bool is_overdue(const struct review_item *it, const struct agenda *g)
{
	return it->due[0] && strcmp(it->due, g->today) < 0;
}

#define DECISION_HEADER "| when | by | action | subject | scope | until | state |\n" \
	"|---|---|---|---|---|---|---|\n"

static int on_withdrawn(const struct decision_row *d, void *ctx, struct err *e)
{
	struct agenda *g = ctx;

	(void)e;
	if (!d->withdrawn)
		return 0;
	agenda_decision_row(d);
	g->n++;
	return 0;
}

static int agenda_decisions(struct store *s, struct agenda *g, struct err *e)
{
	int rc;

	printf("\n## Decisions expiring by %s\n\n" DECISION_HEADER, g->soon);
	g->n = 0;
	rc = decision_list(s, false, expiring, g, e);
	if (!rc && !g->n)
		printf("| | | | none | | | |\n");
	if (!rc) {
		printf("\n## Decisions taken since the last agenda\n\n" DECISION_HEADER);
		g->n = 0;
		rc = decision_list(s, true, taken_since, g, e);
	}
	if (!rc && !g->n)
		printf("| | | | none | | | |\n");
	if (!rc) {
		printf("\n## Decisions on withdrawn advisories (revoke or keep)\n\n"
		       DECISION_HEADER);
		g->n = 0;
		rc = decision_list(s, false, on_withdrawn, g, e);
	}
	if (!rc && !g->n)
		printf("| | | | none | | | |\n");
	return rc;
}

static int agenda_record_audited(struct store *s, const char *actor, size_t queued,
				 struct err *e)
{
	json_t *d = json_pack("{s:I}", "queued", (json_int_t)queued);
	int rc = store_begin(s, e);

	if (!rc)
		rc = agenda_record(s, actor, e);
	if (!rc)
		rc = audit_append(s, actor, "review.agenda", "agenda", d, e);
	if (!rc)
		rc = store_commit(s, e);
	json_decref(d);
	return rc;
}

static int agenda_run(const struct cli_args *a, struct err *e)
{
	struct review_item *items = NULL;
	struct decide_view v = { 0 };
	struct store *s = NULL;
	struct policy p;
	char since[32] = "", now[32];
	struct agenda g = { .since = since };
	int64_t today = 0;
	int rc = 0;

	if (a->values[0] && strcmp(a->values[0], "markdown"))
		return err_set(e, ERR_INPUT, "--format '%.32s': the agenda is markdown", a->values[0]);
	store_now(now);
	date_parse(now, &today);
	date_format(today, g.today);
	date_format(today + 14, g.soon);
	size_t n = 0;

	rc = load_queue(a, &s, &p, &v, &items, &n, e);
	if (!rc)
		rc = agenda_last(s, since, e);
	if (!rc) {
		printf("# Security review agenda, %s\n\nPrevious agenda: %s. Queue: %zu "
		       "advisor%s without a standing decision.\n", g.today,
		       since[0] ? since : "none", n, n == 1 ? "y" : "ies");
		agenda_items("New since the last agenda", items, n, is_new, &g);
		agenda_items("Overdue", items, n, is_overdue, &g);
		rc = agenda_decisions(s, &g, e);
	}
	if (!rc)
		rc = agenda_record_audited(s, a->actor, n, e);
	free(items);
	decide_view_release(&v);
	store_close(s);
	return rc;
}

static const struct cli_option agenda_options[] = {
	{ "format", "FORMAT", "markdown (the only format)" },
	{ NULL, NULL, NULL },
};

const struct cli_command cmd_review_agenda = {
	.name = "review agenda",
	.role = ROLE_OPERATOR,
	.summary = "the next meeting's agenda: new since the last agenda, overdue, decisions "
		   "expiring soon and taken since",
	.details = "Markdown. Records that an agenda was made (the next one lists what is new "
		   "since this one). Decisions expiring within 14 days are listed.",
	.max_pos = 0,
	.options = agenda_options,
	.run = agenda_run,
};
