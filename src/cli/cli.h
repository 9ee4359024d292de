/*
 * The command line: one table of subcommands, each with its own table of
 * options, from which the parser, `--help` and docs/CLI.md (`hfx help
 * --markdown`) are all generated, so they cannot drift apart.
 *
 * A subcommand is thin: it parses its options here, calls a domain module,
 * and prints. Only this layer prints and chooses exit codes: 0 success,
 * 2 usage or input error, 1 anything else.
 */
#ifndef HFX_CLI_CLI_H
#define HFX_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "core/policy.h"
#include "core/role.h"
#include "store/store.h"

#define CLI_MAX_OPTIONS 16
#define CLI_MAX_ARGS 4096

struct cli_option {
	const char *name;    /* long name without dashes */
	const char *arg;     /* metavariable, or NULL for a flag */
	const char *help;
};

struct cli_args {
	const char *values[CLI_MAX_OPTIONS]; /* by option index; flags get "1" */
	char **pos;                          /* positional arguments */
	int npos;
	const char *db_path;                 /* --db, HFX_DB or ./hfx.db */
	const char *config_path;             /* --config, or NULL */
	const char *actor;                   /* --as, else $HFX_USER, else the login name */
};

struct cli_command {
	const char *name;     /* "init", "feed import" */
	const char *args;     /* positional synopsis: "PATH..." */
	const char *summary;  /* one line */
	const char *details;  /* paragraph for --help, may be NULL */
	int min_pos, max_pos; /* allowed positional count; max -1: unbounded */
	enum role role;       /* the role the actor needs (core/role.h) */
	const struct cli_option *options;
	int (*run)(const struct cli_args *a, struct err *e);
};

int cli_main(int argc, char **argv);

/* Opens the database named by the arguments (must exist and be current). */
int cli_open_store(const struct cli_args *a, struct store **ret, struct err *e);

struct policy;
/* Reads the policy: --config, else $HFX_CONFIG, else hfx.conf beside the
 * database, else the defaults (ret_path, if given, gets "" then). */
int cli_load_policy(const struct cli_args *a, struct policy *ret, char *ret_path,
		    size_t path_len, struct err *e);

/* Brings stale ranks up to date (assess_refresh) in a transaction of its
 * own; *ret_changed (may be NULL) gets how many findings changed rank. */
int cli_refresh_ranks(struct store *s, const struct policy *p, const char *actor,
		      long *ret_changed, struct err *e);

/* The start of a command that reads ranks: the policy, the database, the
 * ranks brought up to date. *s is set once opened (the caller closes it). */
int cli_open_ranked(const struct cli_args *a, struct policy *p, struct store **s,
		    struct err *e);

/* A record number such as a plan or job id: ERR_INPUT "'x' is not a
 * WHAT number" unless s is a whole number of at least 1. */
int cli_parse_id(const char *s, const char *what, sqlite3_int64 *ret, struct err *e);
/* The value of option --NAME: ERR_INPUT "--NAME 'x': expected LO to HI"
 * unless s is a whole number in that range. */
int cli_parse_int(const char *s, const char *name, long lo, long hi, int *ret, struct err *e);

/* A deployment's progress: one line per step that ended (deploy/deploy.h's
 * deploy_progress_fn), flushed at once. */
void cli_show_progress(const char *host, const char *step, const char *state,
		       const char *detail, void *ctx);

/* True when stdout or stderr is a terminal (tables, progress). */
bool cli_is_tty(FILE *f);

/* Writes a document (ctx) to f; returns 0 or a negative error code. */
typedef int (*cli_writer)(const void *ctx, FILE *f, struct err *e);
/* Writes a whole document to path (--output) through path.tmp, renamed
 * once written, so that a failed write leaves the previous file in place. */
int cli_write_output(const char *path, cli_writer write, const void *ctx, struct err *e);

/* The subcommands, defined in cmd_*.c. */
extern const struct cli_command cmd_init, cmd_feed_import, cmd_feed_sync;
extern const struct cli_command cmd_host_import, cmd_host_collect, cmd_host_list;
extern const struct cli_command cmd_host_show, cmd_host_remove, cmd_scan, cmd_findings;
extern const struct cli_command cmd_vercmp, cmd_quickstart, cmd_cvss, cmd_policy_show;
extern const struct cli_command cmd_host_set, cmd_advisory_show;
extern const struct cli_command cmd_review, cmd_review_agenda, cmd_decide;
extern const struct cli_command cmd_role_grant, cmd_role_revoke, cmd_role_list;
extern const struct cli_command cmd_audit_log, cmd_audit_export, cmd_audit_verify;
extern const struct cli_command cmd_audit_checkpoint;
extern const struct cli_command cmd_plan_create, cmd_plan_show, cmd_plan_approve, cmd_plan_list;
extern const struct cli_command cmd_deploy_run, cmd_deploy_status, cmd_rollback;
extern const struct cli_command cmd_vex_export;
extern const struct cli_command cmd_notify;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_watch;

/* Shared by the commands and quickstart. */
int cli_init_db(const char *path, const char *actor, struct err *e);
/* Downloads are kept beside the database, in <db>.cache/. */
int cli_cache_dir(const char *db_path, char *ret, size_t len);
struct scan_opts;
struct scan_totals;
/* scan, printing per-host lines (unless quiet) and the totals. */
int cli_scan(struct store *s, struct scan_opts *o, bool quiet, struct scan_totals *ret,
	     struct err *e);
/* feed sync, reporting each feed on stdout. */
int cli_sync(struct store *s, const char *db_path, const char *actor, bool osv_only,
	     struct err *e);

#endif
