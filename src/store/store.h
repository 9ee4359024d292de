/*
 * The SQLite store: one file, WAL, foreign keys on, schema versioned with
 * PRAGMA user_version and migrated only by `hfx init`. Every other command
 * opens an existing, current database and refuses an older or newer one
 * with a message saying what to do. docs/SCHEMA.md describes the tables.
 *
 * The store is the only module that speaks SQL. The per-domain files
 * (store_advisory.c, store_host.c, ...) each own their tables.
 */
#ifndef HFX_STORE_STORE_H
#define HFX_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/err.h"

struct store {
	sqlite3 *db;
	char path[4096];
	int depth; /* nesting of store_begin(): only the outermost commits */
};

/* The schema version this binary writes and understands. */
int store_schema_version(void);

/*
 * Opens the database at path. With create, a missing file is created and
 * migrations are applied (hfx init); without, the file must exist and be
 * at the current schema version. *ret is set only on success.
 */
int store_open(const char *path, bool create, struct store **ret, struct err *e);
void store_close(struct store *s);

/* A second, read-only connection to s's database, for a worker thread:
 * it sees what was committed, never s's open transaction. */
int store_open_reader(const struct store *s, struct store **ret, struct err *e);

/* Transactions: BEGIN IMMEDIATE, so a concurrent writer waits (busy
 * timeout) instead of failing half-way; nested calls join the outer one. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* Helpers for the domain files. */
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **ret, struct err *e);
int store_exec(struct store *s, const char *sql, struct err *e);
int store_fail(struct store *s, const char *what, struct err *e);
/* Binds a text of known length, or NULL. */
int store_bind_text(sqlite3_stmt *st, int col, const char *s, size_t len);
/* Binds a NUL-terminated text, or NULL. */
int store_bind_str(sqlite3_stmt *st, int col, const char *s);
/* Copies a text column into ret (truncating, "" for NULL). */
void store_copy_col(sqlite3_stmt *st, int col, char *ret, size_t len);

/* Handles one result row; a non-zero return stops the iteration. */
typedef int (*store_row_fn)(sqlite3_stmt *st, void *ctx, struct err *e);
/* Steps st through its rows calling fn for each, then finalizes st.
 * Returns 0, fn's non-zero result, or ERR_DB naming what failed. */
int store_each(struct store *s, sqlite3_stmt *st, store_row_fn fn, void *ctx,
	       const char *what, struct err *e);
/* Prepares sql, binds id to its first parameter and runs store_each(). */
int store_each_id(struct store *s, const char *sql, sqlite3_int64 id, store_row_fn fn,
		  void *ctx, const char *what, struct err *e);
/* Runs a statement expected to return no row; resets it. */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e);

/* A current UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (HFX_NOW overrides it, for tests). */
void store_now(char ret[32]);

#endif
