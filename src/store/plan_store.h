/*
 * Plans in the store: what the planner reads (the candidate findings and
 * their binary packages) and writes (plans, jobs, packages, exceptions),
 * and what `plan show` reads back. An approved plan is never changed.
 */
#ifndef HFX_STORE_PLAN_STORE_H
#define HFX_STORE_PLAN_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/store.h"

/* An open finding with a fixed version, as the planner considers it. */
struct candidate_row {
	sqlite3_int64 host_id, advisory_id;
	const char *advisory, *aliases; /* aliases: CVE ids, space-separated ("" none) */
	const char *package, *version, *fixed_version;
	bool by_source;
	int priority;                   /* -1: not ranked */
	const char *due;                /* NULL: not ranked */
};

typedef int (*candidate_cb)(const struct candidate_row *r, void *ctx, struct err *e);

/* Every open fixable finding, by host id; when decided_only, only those of
 * advisories that an approve or expedite decision names (by id or alias):
 * without auto-approval rules nothing else can be deployed. */
int plan_candidates(struct store *s, bool decided_only, candidate_cb cb, void *ctx,
		    struct err *e);

/* A binary package a finding covers on its host. */
struct binary_row {
	const char *name, *arch, *version, *source;
};

typedef int (*binary_cb)(const struct binary_row *r, void *ctx, struct err *e);

struct binary_reader {
	struct store *s;
	sqlite3_stmt *st;
};

int binary_reader_init(struct binary_reader *r, struct store *s, struct err *e);
void binary_reader_release(struct binary_reader *r);
/* The host's binaries built from package at version (by_source), or that
 * package itself at that version. */
int binary_reader_each(struct binary_reader *r, sqlite3_int64 host_id, const char *package,
		       const char *version, bool by_source, binary_cb cb, void *ctx,
		       struct err *e);

struct plan_new {
	const char *created_by, *start, *only, *policy_digest;
	int horizon_days;
};

struct plan_writer {
	struct store *s;
	sqlite3_int64 plan_id, job_id;
	sqlite3_stmt *job, *pkg, *exc;
};

int plan_writer_begin(struct plan_writer *w, struct store *s, const struct plan_new *p,
		      struct err *e);
void plan_writer_release(struct plan_writer *w);

struct job_new {
	const char *host, *ring, *start, *end, *due;
	int wave;
	bool reboot, emergency, late;
};

int plan_writer_job(struct plan_writer *w, const struct job_new *j, struct err *e);
/* A package of the last job. */
int plan_writer_package(struct plan_writer *w, const char *name, const char *arch,
			const char *from, const char *to, const char *source,
			const char *advisories, const char *rollback, struct err *e);
int plan_writer_exception(struct plan_writer *w, const char *host, const char *reason,
			  const char *earliest, const char *due, struct err *e);

struct plan_info {
	sqlite3_int64 id;
	const char *created_at, *created_by, *start, *only, *state, *approved_by, *approved_at;
	const char *policy_digest;
	int horizon_days;
};

typedef int (*plan_info_cb)(const struct plan_info *p, void *ctx, struct err *e);

/* One plan (ERR_INPUT when there is none with that id); all plans by id. */
int plan_get(struct store *s, sqlite3_int64 id, plan_info_cb cb, void *ctx, struct err *e);
int plan_list(struct store *s, plan_info_cb cb, void *ctx, struct err *e);

/* Approves a draft plan; ERR_INPUT when it is already approved or absent. */
int plan_set_approved(struct store *s, sqlite3_int64 id, const char *by, struct err *e);

struct job_row {
	sqlite3_int64 id;
	const char *host, *ring, *start, *end, *due;
	int wave;
	bool reboot, emergency, late;
};

struct package_row {
	const char *name, *arch, *from, *to, *source, *advisories, *rollback;
};

struct exception_row {
	const char *host, *reason, *earliest, *due;
};

typedef int (*job_cb)(const struct job_row *j, void *ctx, struct err *e);
typedef int (*package_cb)(const struct package_row *p, void *ctx, struct err *e);
typedef int (*exception_cb)(const struct exception_row *x, void *ctx, struct err *e);

/* A plan's jobs by wave and start; a job's packages by name; a plan's
 * exceptions by host. */
int plan_jobs(struct store *s, sqlite3_int64 plan_id, job_cb cb, void *ctx, struct err *e);
int plan_packages(struct store *s, sqlite3_int64 job_id, package_cb cb, void *ctx,
		  struct err *e);
int plan_exceptions(struct store *s, sqlite3_int64 plan_id, exception_cb cb, void *ctx,
		    struct err *e);

#endif
