/*
 * The schema migrations, in order: migration i takes a database from
 * user_version i to i + 1. A released migration is never edited; a change
 * is a new migration appended to the list. docs/SCHEMA.md documents the
 * resulting tables.
 */
#ifndef HFX_STORE_SCHEMA_H
#define HFX_STORE_SCHEMA_H

#include <stddef.h>

size_t schema_migration_count(void);
const char *schema_migration(size_t i);

#endif
