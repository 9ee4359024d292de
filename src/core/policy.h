/*
 * The remediation policy: hfx.conf.
 *
 * The policy says how hfx turns a finding into an SSVC priority and a due
 * date: the days each priority gets ([due]), per host group overrides
 * ([group "NAME"]), and the inputs of the SSVC decision hfx must assume
 * ([assess]). docs/POLICY.md is the reference for every key; its key
 * table is generated from the table in policy.c (policy_reference()), the
 * one place where a key's name, default, accepted values and meaning are
 * written.
 *
 * Where the file is: `--config PATH`, else $HFX_CONFIG, else hfx.conf in
 * the directory of the database. Without a file the defaults apply. The
 * CLI finds and reads the file; this module is pure logic and parses text
 * (syntax: base/ini.h).
 *
 * How the keys are used (the scanner applies them, see docs/POLICY.md):
 * Exploitation is "active" for a CVE in CISA KEV, "public PoC" when its
 * EPSS probability >= epss_threshold, else "none". System Exposure comes
 * from the host's exposure (internet: open, dmz: controlled, internal and
 * isolated: small), or default_exposure. Automatable is yes when the CVSS
 * vector has AV:N, PR:N and UI:N, and when no vector is known. Human
 * Impact comes from the host's criticality (low, medium, high, critical:
 * low, medium, high, very high), or default_impact. CISA's deployer table
 * gives the priority; the due date is the day the finding was first seen
 * plus policy_days() of that priority, or the KEV due date when that is
 * earlier and kev_due_wins. When a finding's priority is raised later, the
 * new deadline counts from the day it was raised, but never ends later than
 * the one it had.
 */
#ifndef HFX_CORE_POLICY_H
#define HFX_CORE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "core/ssvc.h"

#define POLICY_GROUPS_MAX 256
#define POLICY_NAME_MAX 63 /* a group name: [A-Za-z0-9._-], case-sensitive */
#define POLICY_DAYS_MAX 3650

struct policy_group {
	char name[POLICY_NAME_MAX + 1];
	int days[4];            /* by enum ssvc_priority; -1: as the [due] section */
};

/*
 * A whole policy, groups included, in one plain struct (about 20 KiB): it
 * owns no memory, needs no release, and copies with '='.
 */
struct policy {
	int days[4];            /* by enum ssvc_priority (SSVC_DEFER..SSVC_IMMEDIATE): 90, 30, 7, 2 */
	double epss_threshold;  /* EPSS probability at or above which exploitation counts as
				 * "public PoC": default 0.1 */
	bool kev_due_wins;      /* an earlier CISA KEV due date replaces the policy's: default true */
	enum ssvc_exposure default_exposure; /* for hosts without exposure: open (internet) */
	enum ssvc_impact default_impact;     /* for hosts without criticality: medium */
	size_t ngroups;
	struct policy_group groups[POLICY_GROUPS_MAX]; /* sorted by name after policy_parse() */
};

/* The defaults, as documented in docs/POLICY.md and contrib/hfx.conf. */
void policy_defaults(struct policy *ret);

/*
 * Parses text[0..len) (an hfx.conf; no terminator needed) over the
 * defaults: a key the file does not set keeps its default. file names the
 * source in messages. Returns 0, or ERR_INPUT with "FILE:LINE: [section]
 * key: what is wrong (expected ...)" for a syntax error, an unknown section
 * or key, a key set twice in a section, a bad value, or more than
 * POLICY_GROUPS_MAX groups. On failure *ret is untouched.
 */
int policy_parse(const char *text, size_t len, const char *file, struct policy *ret,
		 struct err *e);

/* The group named name, or NULL. */
const struct policy_group *policy_group_find(const struct policy *p, const char *name);

/*
 * Days to remediate a finding of priority pr on a host in group (NULL or ""
 * for none): the group's override, else the [due] value. A group the
 * policy does not name gets the [due] values.
 */
int policy_days(const struct policy *p, const char *group, enum ssvc_priority pr);

/*
 * Appends the effective policy to ret as canonical text: one
 * "section.key=value\n" line per key, sorted, then for each group by name
 * its "group.NAME.key=value" lines with the values it ends up with (a
 * group's unset keys show the [due] value). A group that ends up equal to
 * [due] is left out, as it changes nothing. So two files that mean the
 * same give the same text. Returns 0 or ERR_NOMEM (ret's ceiling); on
 * failure ret is as it was.
 */
int policy_canonical(const struct policy *p, struct buf *ret, struct err *e);

/* The SHA-256 hex digest of policy_canonical(), to notice that the
 * effective policy changed. Returns 0 or ERR_NOMEM. */
int policy_digest(const struct policy *p, char ret[65], struct err *e);

/*
 * Appends the Markdown reference of every section and key (name, default,
 * accepted values, meaning) to ret; docs/POLICY.md holds a copy, checked by
 * the unit test. Returns 0 or ERR_NOMEM.
 */
int policy_reference(struct buf *ret, struct err *e);

/* Exposure and criticality words as host attributes use them. Each returns
 * 0, or -1 (and leaves *ret) for any other word; words are lowercase. */
/* internet: OPEN, dmz: CONTROLLED, internal and isolated: SMALL */
int policy_exposure_parse(const char *s, enum ssvc_exposure *ret);
/* low: LOW, medium: MEDIUM, high: HIGH, critical: VERY_HIGH */
int policy_impact_parse(const char *s, enum ssvc_impact *ret);

#endif
