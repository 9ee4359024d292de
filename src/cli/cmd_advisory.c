/*
 * hfx advisory show: one advisory as hfx knows it — its text, every
 * severity vector with its computed score, KEV and EPSS, and the hosts it
 * affects with their priority and due date. Feed text is printed with
 * control characters replaced: a record must not drive the terminal.
 */
#include "cli/cli.h"

#include <string.h>

#include <jansson.h>

#include "core/cvss3.h"
#include "core/severity.h"
#include "feed/osv.h"
#include "store/advisory_store.h"
#include "store/assess_store.h"
#include "store/finding_store.h"

/* Prints feed text, keeping line breaks, replacing other control bytes. */
static void print_text(const char *label, const char *s)
{
	printf("%-12s", label);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\n            ", stdout);
		else
			putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
	putchar('\n');
}

static void print_severities(const struct advisory *a)
{
	struct cvss_pick pick;

	severity_pick(a, &pick);
	for (size_t i = 0; i < a->nseverities; i++) {
		const struct osv_severity *sv = &a->severities[i];
		struct cvss_pick p;
		struct err e = { "" };
		char where[32] = "record";

		if (sv->affected >= 0)
			snprintf(where, sizeof(where), "affected[%ld]", sv->affected);
		print_text(i ? "" : "severity:", sv->score);
		printf("%-12s  %s, %s: ", "", sv->type, where);
		if (!severity_score(sv, &p, &e))
			printf("%.1f %s%s\n", p.score, cvss_severity(p.score),
			       (long)i == pick.index ? " (ranks the advisory)" : "");
		else
			printf("%s\n", e.msg);
	}
	if (!a->nseverities)
		printf("severity:   no CVSS vector in the record (automatable is assumed)\n");
	if (a->rating)
		print_text("rating:", a->rating);
}

static int print_threat(const struct threat_row *t, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	if (t->kev_cve)
		printf("kev:        %s in CISA KEV, added %s, due %s\n", t->kev_cve, t->kev_added,
		       t->kev_due);
	else
		printf("kev:        not in CISA KEV\n");
	if (t->epss_cve)
		printf("epss:       %.5f (percentile %.5f) for %s%s%s\n", t->epss, t->percentile,
		       t->epss_cve, t->epss_date ? ", scored " : "", t->epss_date ? t->epss_date : "");
	else
		printf("epss:       no score\n");
	return 0;
}

static int print_host(const struct advisory_host_row *r, void *ctx, struct err *e)
{
	long *n = ctx;

	(void)e;
	if (!(*n)++)
		printf("\n%-12s %-10s %-24s %-24s %-24s %-24s\n", "PRIORITY", "DUE", "HOST",
		       "PACKAGE", "INSTALLED", "FIXED");
	printf("%-12s %-10s %-24s %-24s %-24s %-24s\n",
	       r->priority < 0 ? "-" : ssvc_priority_name((enum ssvc_priority)r->priority),
	       r->due ? r->due : "-", r->host, r->package, r->version,
	       r->fixed_version ? r->fixed_version : "no fix yet");
	return 0;
}

static int show_one(const struct advisory_info *info, void *ctx, struct err *e)
{
	struct store *s = ctx;
	struct advisory a = { 0 };
	json_t *root = NULL;
	long hosts = 0;
	int rc;

	rc = osv_parse(info->record, strlen(info->record), &a, NULL, e);
	if (!rc)
		root = json_loads(info->record, 0, NULL);
	if (rc)
		return rc;
	print_text("advisory:", info->name);
	print_text("summary:", info->summary ? info->summary : "-");
	printf("modified:   %s\npublished:  %s\n", info->modified,
	       info->published ? info->published : "-");
	if (info->withdrawn)
		printf("withdrawn:  %s (matches nothing)\n", info->withdrawn);
	print_text("aliases:", info->aliases[0] ? info->aliases : "-");
	print_severities(&a);
	rc = threat_list(s, info->id, print_threat, NULL, e);
	if (!rc)
		print_text("details:", json_string_value(json_object_get(root, "details")) ?
			   json_string_value(json_object_get(root, "details")) : "-");
	if (!rc)
		rc = finding_of_advisory(s, info->id, print_host, &hosts, e);
	if (!rc && !hosts)
		printf("\nno host is affected\n");
	if (!rc)
		printf("\n");
	json_decref(root);
	advisory_release(&a);
	return rc;
}

static int show_run(const struct cli_args *a, struct err *e)
{
	struct store *s = NULL;
	struct policy p;
	int rc = cli_open_ranked(a, &p, &s, e);

	if (!rc)
		rc = advisory_lookup(s, a->pos[0], show_one, s, e);
	store_close(s);
	return rc;
}

const struct cli_command cmd_advisory_show = {
	.name = "advisory show",
	.args = "ID",
	.summary = "show an advisory: text, scores, KEV and EPSS, affected hosts by priority",
	.details = "ID is an advisory id (DSA-5000-1) or an alias (CVE-2024-1234), which may "
		   "name several advisories: each is shown. Every CVSS vector of the record is "
		   "scored; the highest ranks the advisory.",
	.min_pos = 1, .max_pos = 1,
	.run = show_run,
};
