/*
 * Who may do what. Four roles, each including the ones below it: a viewer
 * reads; an operator changes the inventory and the feeds and scans; an
 * approver decides; an admin manages roles and signs the audit log. A
 * person with no grant is a viewer. The roles keep honest people in their
 * lane and make every change attributable (the audit log names the
 * actor); they are not a security boundary against someone who can write
 * the database file.
 */
#ifndef HFX_CORE_ROLE_H
#define HFX_CORE_ROLE_H

#include <stdbool.h>

enum role { ROLE_VIEWER, ROLE_OPERATOR, ROLE_APPROVER, ROLE_ADMIN };

/* "viewer", "operator", "approver", "admin". */
const char *role_name(enum role r);
/* The role named s, or -1. */
int role_parse(const char *s);

/* A person's name as hfx records it: 1-64 of A-Z a-z 0-9 . _ @ -. */
bool person_name_valid(const char *s);

#endif
