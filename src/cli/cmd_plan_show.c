/*
 * hfx plan show: a plan as a table (waves, then each host's job with its
 * packages), JSON (docs/OUTPUT.md) or iCalendar (RFC 5545: one event per
 * job, importable into calendar programs).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/plan_store.h"

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_ICAL };

struct show {
	struct store *s;
	enum format f;
	struct plan_info info;     /* strings copied below */
	char state[16], approved_by[80], created_at[32];
	int wave;                  /* the last wave printed */
	json_t *jobs;
	struct buf desc;           /* an event's description */
	struct err *e;
};

/* ---- iCalendar ---- */

/* Writes "NAME:value" escaped (RFC 5545 3.3.11) and folded at 75 octets. */
static void ical_line(const char *name, const char *value)
{
	size_t col = strlen(name) + 1;

	fputs(name, stdout);
	putchar(':');
	for (const char *p = value; *p; p++) {
		const char *esc = *p == '\n' ? "\\n" : *p == ',' ? "\\," : *p == ';' ? "\\;" :
				  *p == '\\' ? "\\\\" : NULL;
		size_t w = esc ? 2 : 1;

		if (col + w > 75 && ((unsigned char)*p & 0xc0) != 0x80) {
			fputs("\r\n ", stdout);
			col = 1;
		}
		if (esc)
			fputs(esc, stdout);
		else
			putchar(*p);
		col += w;
	}
	fputs("\r\n", stdout);
}

/* "2026-12-05T02:00:00Z" -> "20261205T020000Z" */
static void ical_time(const char *t, char out[17])
{
	size_t o = 0;

	for (; *t && o < 16; t++)
		if (*t != '-' && *t != ':')
			out[o++] = *t;
	out[o] = '\0';
}

static int ical_pkg(const struct package_row *p, void *ctx, struct err *e)
{
	struct show *sh = ctx;

	return buf_appendf(&sh->desc, e, "%s %s: %s -> %s (%s)\n", p->name, p->arch, p->from,
			   p->to, p->advisories);
}

static int ical_job(const struct job_row *j, void *ctx, struct err *e)
{
	struct show *sh = ctx;
	char start[17], end[17], stamp[17], uid[320], summary[320];
	int rc;

	buf_reset(&sh->desc);
	rc = buf_appendf(&sh->desc, e, "Plan %lld, ring %s (wave %d)%s%s\n", (long long)sh->info.id,
			 j->ring, j->wave + 1, j->reboot ? ", reboots" : "",
			 j->late ? ", LATE: needs an exception" : "");
	if (!rc)
		rc = plan_packages(sh->s, j->id, ical_pkg, sh, e);
	if (!rc)
		rc = buf_append(&sh->desc, "", 1, e);
	if (rc)
		return rc;
	ical_time(j->start, start);
	ical_time(j->end, end);
	ical_time(sh->created_at, stamp);
	snprintf(uid, sizeof(uid), "plan-%lld-job-%lld@hfx", (long long)sh->info.id,
		 (long long)j->id);
	snprintf(summary, sizeof(summary), "hfx: patch %s%s", j->host, j->reboot ? " (reboot)" : "");
	fputs("BEGIN:VEVENT\r\n", stdout);
	ical_line("UID", uid);
	ical_line("DTSTAMP", stamp);
	ical_line("DTSTART", start);
	ical_line("DTEND", end);
	ical_line("SUMMARY", summary);
	ical_line("DESCRIPTION", sh->desc.data);
	ical_line("CATEGORIES", j->ring);
	fputs("END:VEVENT\r\n", stdout);
	return 0;
}

/* ---- table ---- */

static int table_pkg(const struct package_row *p, void *ctx, struct err *e)
{
	(void)ctx, (void)e;
	printf("      %-28s %-7s %s -> %s  [%s]  rollback: %s\n", p->name, p->arch, p->from, p->to,
	       p->advisories, p->rollback);
	return 0;
}

static int table_job(const struct job_row *j, void *ctx, struct err *e)
{
	struct show *sh = ctx;

	if (j->wave != sh->wave) {
		printf("\nwave %d: ring %s\n", j->wave + 1, j->ring);
		sh->wave = j->wave;
	}
	printf("  %s .. %s  %-24s %s%s%s\n", j->start, j->end, j->host,
	       j->reboot ? "reboot" : "restart services", j->emergency ? ", emergency window" : "",
	       j->late ? ", LATE (needs an exception)" : "");
	return plan_packages(sh->s, j->id, table_pkg, sh, e);
}

static int table_exception(const struct exception_row *x, void *ctx, struct err *e)
{
	int *n = ctx;

	(void)e;
	if (!(*n)++)
		printf("\nneeds an exception:\n");
	printf("  %-24s %s%s%s\n", x->host, x->reason, x->earliest ? "; earliest " : "",
	       x->earliest ? x->earliest : "");
	return 0;
}

/* ---- JSON ---- */

/* Appends adv to the array unless it is there. */
static void add_once(json_t *arr, const char *adv)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), adv))
			return;
	json_array_append_new(arr, json_string(adv));
}

static int json_pkg(const struct package_row *p, void *ctx, struct err *e)
{
	json_t *job = ctx, *advs = json_array(), *pkg;
	char *copy = strdup(p->advisories);

	if (!copy || !advs) {
		free(copy);
		json_decref(advs);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	for (char *a = copy, *sp; *a; a = sp) {
		sp = a + strcspn(a, " ");
		if (*sp)
			*sp++ = '\0';
		json_array_append_new(advs, json_string(a));
		add_once(json_object_get(job, "advisories"), a);
	}
	free(copy);
	pkg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "name", p->name, "arch", p->arch,
			"from", p->from, "to", p->to, "source", p->source, "advisories", advs,
			"rollback", p->rollback);
	if (!pkg || json_array_append_new(json_object_get(job, "packages"), pkg))
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

static int json_job(const struct job_row *j, void *ctx, struct err *e)
{
	struct show *sh = ctx;
	json_t *job = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s?, s:b, s:b, s:b, s:[], s:[]}",
				"host", j->host, "ring", j->ring, "wave", j->wave + 1, "start",
				j->start, "end", j->end, "due", j->due, "reboot", j->reboot,
				"emergency", j->emergency, "late", j->late, "packages", "advisories");

	if (!job || json_array_append_new(sh->jobs, job))
		return err_set(e, ERR_NOMEM, "out of memory");
	return plan_packages(sh->s, j->id, json_pkg, job, e);
}

static int json_exception(const struct exception_row *x, void *ctx, struct err *e)
{
	if (json_array_append_new(ctx, json_pack("{s:s, s:s, s:s?, s:s?}", "host", x->host,
						 "reason", x->reason, "earliest", x->earliest,
						 "due", x->due)))
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

static int copy_info(const struct plan_info *p, void *ctx, struct err *e)
{
	struct show *sh = ctx;

	(void)e;
	sh->info = *p;
	snprintf(sh->state, sizeof(sh->state), "%s", p->state);
	snprintf(sh->approved_by, sizeof(sh->approved_by), "%s", p->approved_by ? p->approved_by : "");
	snprintf(sh->created_at, sizeof(sh->created_at), "%s", p->created_at);
	sh->info.state = sh->state;
	sh->info.approved_by = sh->approved_by;
	sh->info.created_at = sh->created_at;
	sh->info.start = sh->info.only = sh->info.created_by = sh->info.approved_at = NULL;
	sh->info.policy_digest = NULL;
	return 0;
}

static int show_json(struct show *sh, sqlite3_int64 id, struct err *e)
{
	json_t *x = json_array(), *root;
	int rc;

	sh->jobs = json_array();
	rc = plan_jobs(sh->s, id, json_job, sh, e);
	if (!rc)
		rc = plan_exceptions(sh->s, id, json_exception, x, e);
	root = json_pack("{s:I, s:s, s:s?, s:o, s:o}", "plan", (json_int_t)id, "state",
			 sh->state, "approved_by", sh->approved_by[0] ? sh->approved_by : NULL,
			 "jobs", sh->jobs, "needs_exception", x);
	if (!rc && (!root || json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		rc = err_set(e, ERR_IO, "cannot write the output");
	if (!rc)
		putchar('\n');
	json_decref(root);
	return rc;
}

static int show_run(const struct cli_args *a, struct err *e)
{
	struct show sh = { .wave = -1, .e = e };
	const char *f = a->values[0] ? a->values[0] : "table";
	sqlite3_int64 id = 0;
	int rc = cli_parse_id(a->pos[0], "plan", &id, e), nx = 0;

	if (rc)
		return rc;
	if (!strcmp(f, "table") || !strcmp(f, "json") || !strcmp(f, "ical"))
		sh.f = f[0] == 't' ? FORMAT_TABLE : f[0] == 'j' ? FORMAT_JSON : FORMAT_ICAL;
	else
		return err_set(e, ERR_INPUT, "--format '%.32s': expected table, json or ical", f);
	buf_init(&sh.desc, 1u << 20);
	rc = cli_open_store(a, &sh.s, e);
	if (!rc)
		rc = plan_get(sh.s, id, copy_info, &sh, e);
	if (!rc && sh.f == FORMAT_JSON) {
		rc = show_json(&sh, id, e);
	} else if (!rc && sh.f == FORMAT_ICAL) {
		fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hfx//plan//EN\r\n"
		      "CALSCALE:GREGORIAN\r\n", stdout);
		rc = plan_jobs(sh.s, id, ical_job, &sh, e);
		fputs("END:VCALENDAR\r\n", stdout);
	} else if (!rc) {
		printf("plan %lld: %s%s%s\n", id, sh.state, sh.approved_by[0] ? " by " : "",
		       sh.approved_by);
		rc = plan_jobs(sh.s, id, table_job, &sh, e);
		if (!rc)
			rc = plan_exceptions(sh.s, id, table_exception, &nx, e);
	}
	buf_release(&sh.desc);
	store_close(sh.s);
	return rc;
}

static const struct cli_option show_options[] = {
	{ "format", "FORMAT", "table (default), json or ical" },
	{ NULL, NULL, NULL },
};

const struct cli_command cmd_plan_show = {
	.name = "plan show",
	.args = "PLAN",
	.summary = "show a plan: waves, each host's job with its packages, reboots, rollback, "
		   "and the hosts that need an exception",
	.min_pos = 1, .max_pos = 1,
	.options = show_options,
	.run = show_run,
};
