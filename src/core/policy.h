/*
 * The remediation policy: hfx.conf.
 *
 * The policy says how hfx turns a finding into an SSVC priority and a due
 * date: the days each priority gets ([due]), per host group overrides
 * ([group "NAME"]), and the inputs of the SSVC decision hfx must assume
 * ([assess]). It also bounds the committee's decisions: the longest a risk
 * acceptance may last ([accept-risk]), how many different approvers a
 * decision needs ([quorum "ACTION"]), and which findings are approved
 * without one ([auto-approve "NAME"]). For the planner, which schedules
 * fixes into maintenance windows, it sets the rollout: the order of the
 * rings and how long a job takes ([rollout]), each ring's soak time and
 * failure budget ([ring "NAME"]), how many of a group's hosts may be in a
 * job at once ([group "NAME"] max-unavailable), and the times when no job
 * may run ([blackout "NAME"]). Where digests of news are sent ([notify])
 * is configured here too. docs/POLICY.md is the reference for
 * every key; its key table is generated from the table in policy.c
 * (policy_reference()), the one place where a key's name, default,
 * accepted values and meaning are written.
 *
 * Where the file is: `--config PATH`, else $HFX_CONFIG, else hfx.conf in
 * the directory of the database. Without a file the defaults apply. The
 * CLI finds and reads the file; this module is pure logic and parses text
 * (syntax: base/ini.h). It does not apply decisions: it answers what the
 * policy says (policy_quorum(), policy_auto_approve()).
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
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "core/decision.h"
#include "core/ssvc.h"

#define POLICY_GROUPS_MAX 256
#define POLICY_RULES_MAX 64
#define POLICY_NAME_MAX 63 /* a group, ring or rule name: [A-Za-z0-9._-], case-sensitive */
#define POLICY_DAYS_MAX 3650
#define POLICY_QUORUM_MAX 10
#define POLICY_RINGS_MAX 16
#define POLICY_BLACKOUTS_MAX 64
#define POLICY_LIMIT_MAX 1000000 /* the largest whole-number max-unavailable */

/* How many of a group's hosts may be in a job at the same moment: value
 * hosts, or value percent (1 to 100) of the group's hosts. */
struct policy_limit {
	int value;
	bool percent;
};

/* A [group "NAME"] section. The name comes first (policy.c relies on it). */
/* A command line the deployer runs on a host: words of
 * [A-Za-z0-9._/=:,+@%-] separated by single spaces, no shell (split on the
 * spaces into an argv); "" for none. */
#define POLICY_COMMAND_MAX 255

struct policy_group {
	char name[POLICY_NAME_MAX + 1];
	int days[4];            /* by enum ssvc_priority; -1: as the [due] section */
	struct policy_limit max_unavailable; /* default 1 */
	char pre_hook[POLICY_COMMAND_MAX + 1];     /* before any change; failure aborts */
	char post_hook[POLICY_COMMAND_MAX + 1];    /* after a job that succeeded */
	char health_check[POLICY_COMMAND_MAX + 1]; /* after the install; not 0: roll back */
	char revert_hook[POLICY_COMMAND_MAX + 1];  /* the way back when packages cannot be */
	int hook_seconds;                          /* time limit of each: 300 */
};

/* A [ring "NAME"] section: NAME is one of the [rollout] rings. The name
 * comes first (policy.c relies on it). */
struct policy_ring {
	char name[POLICY_NAME_MAX + 1];
	int soak_hours;   /* after the ring's last job ends, before the next ring
			   * starts (0 to 8760): default 24 */
	int max_failures; /* failed jobs the ring tolerates before its wave halts
			   * (0 to 100000): default 0 */
};

/*
 * A [blackout "NAME"] section: no job may run during [from, to), on the
 * hosts of group, or on every host when group is "". The name comes first
 * (policy.c relies on it).
 */
struct policy_blackout {
	char name[POLICY_NAME_MAX + 1];
	int64_t from, to; /* seconds since the epoch, UTC; to > from */
	char group[POLICY_NAME_MAX + 1];
};

/*
 * An [auto-approve "NAME"] rule: findings of one of its priorities, on a
 * host in its ring and group, count as approved unless an explicit decision
 * applies. The name comes first (policy.c relies on it).
 */
struct policy_rule {
	char name[POLICY_NAME_MAX + 1];
	bool priority[4];                 /* by enum ssvc_priority; at least one set */
	char ring[POLICY_NAME_MAX + 1];   /* "": any ring */
	char group[POLICY_NAME_MAX + 1];  /* "": any group */
};

/*
 * The [notify] section: where digests of what changed are delivered
 * (notify/notify.h). Not part of the remediation policy: it is left out of
 * the canonical text and digest, so that changing where notices go
 * re-ranks nothing, and a webhook URL's token never reaches the audit log.
 */
#define POLICY_LIST_MAX 1023   /* a list of URLs or addresses, as text */
#define POLICY_HOST_MAX 253    /* an SMTP server's name or address */
#define POLICY_ADDRESS_MAX 254 /* an e-mail address (RFC 5321's path limit) */
#define POLICY_PATH_MAX 1023   /* a file name */
#define POLICY_URLS_MAX 8      /* webhooks */
#define POLICY_RECIPIENTS_MAX 32

/* How the SMTP connection is secured: not at all, upgraded with STARTTLS
 * (required: a server that does not offer it is an error), or TLS from the
 * first byte (SMTPS). */
enum policy_tls { POLICY_TLS_NONE, POLICY_TLS_STARTTLS, POLICY_TLS_TLS };

struct policy_notify {
	char webhook[POLICY_LIST_MAX + 1];  /* http(s) URLs separated by single spaces; "" none */
	char smtp_server[POLICY_HOST_MAX + 1]; /* "" : no e-mail */
	int smtp_port;                      /* 1 to 65535: 25 */
	enum policy_tls smtp_tls;           /* starttls */
	char smtp_user[POLICY_ADDRESS_MAX + 1];        /* "" : no authentication */
	char smtp_password_file[POLICY_PATH_MAX + 1];  /* absolute; "" : none */
	char from[POLICY_ADDRESS_MAX + 1];  /* the sender's address */
	char to[POLICY_LIST_MAX + 1];       /* addresses separated by ", " */
	int min_priority;                   /* enum ssvc_priority: defer (everything) */
	int timeout_seconds;                /* of each delivery: 30 */
	int max_lines;                      /* lines per kind of event in the text: 20 */
};

/*
 * A whole policy, groups, rules and blackouts included, in one plain
 * struct (about 46 KiB): it owns no memory, needs no release, and copies
 * with '='.
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
	int accept_risk_days[4]; /* the longest a risk acceptance may last, by enum ssvc_priority
				  * (1 to POLICY_DAYS_MAX): 365, 90, 30, 7 */
	int quorum[DECIDE_NACTIONS][4]; /* approvers a decision needs, by action and priority
					 * (1 to POLICY_QUORUM_MAX): 1, but 2 for accept-risk
					 * on immediate */
	size_t nrules;
	struct policy_rule rules[POLICY_RULES_MAX]; /* sorted by name after policy_parse() */
	/* The ring order: 1 to POLICY_RINGS_MAX different names, the first
	 * ring first: test, pilot, broad. nrings must follow rings (a list of
	 * names is stored so; policy.c checks). */
	char rings[POLICY_RINGS_MAX][POLICY_NAME_MAX + 1];
	size_t nrings;
	char default_ring[POLICY_NAME_MAX + 1]; /* of hosts without a ring; one of rings:
						 * broad */
	int job_minutes;        /* one host's job without a reboot (1 to 1440): 30 */
	int reboot_minutes;     /* added when the job reboots (0 to 1440): 15 */
	bool emergency_window;  /* expedited fixes may be planned outside the
				 * maintenance windows: default true */
	int horizon_days;       /* how far ahead `plan create` looks (1 to 365): 30 */
	size_t nring_confs;
	struct policy_ring ring_confs[POLICY_RINGS_MAX]; /* sorted by name after policy_parse() */
	size_t nblackouts;
	struct policy_blackout blackouts[POLICY_BLACKOUTS_MAX]; /* sorted by name after
								 * policy_parse() */
	struct policy_notify notify;
};

/* The defaults, as documented in docs/POLICY.md and contrib/hfx.conf. */
void policy_defaults(struct policy *ret);

/*
 * Parses text[0..len) (an hfx.conf; no terminator needed) over the
 * defaults: a key the file does not set keeps its default. file names the
 * source in messages. Returns 0, or ERR_INPUT with "FILE:LINE: [section]
 * key: what is wrong (expected ...)" for a syntax error, an unknown section
 * or key, a key set twice in a section, a bad value, an unknown action in
 * [quorum "ACTION"], more than POLICY_GROUPS_MAX groups, POLICY_RULES_MAX
 * rules, POLICY_RINGS_MAX rings or POLICY_BLACKOUTS_MAX blackouts. After
 * the whole file, as later lines may still fix them, it refuses with
 * "FILE: [section "NAME"]: ..." (the first in file order):
 * "FILE: [auto-approve "NAME"]: priority is required" (a rule without
 * priorities), "FILE: [blackout "NAME"]: from is required" (to likewise),
 * "FILE: [rollout] default-ring: 'x' is not in rings (test, pilot, broad)",
 * "FILE: [ring "x"]: not in [rollout] rings (test, pilot, broad)" and
 * "FILE: [blackout "NAME"]: to 2026-01-01T00:00:00Z is not after from
 * 2026-01-02T00:00:00Z"; for [notify], "FILE: [notify] to: set
 * smtp-server too" and the like, when its keys do not make a whole
 * channel (notify_check() in policy.c lists them). On failure *ret is
 * untouched.
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
 * How many different approvers a decision of action a on a finding of
 * priority pr needs before it stands (until then it is pending): 1 to
 * POLICY_QUORUM_MAX. An action or priority out of range, a programming
 * error, gets POLICY_QUORUM_MAX, the most cautious answer.
 */
int policy_quorum(const struct policy *p, enum decide_action a, enum ssvc_priority pr);

/*
 * The [auto-approve] rule that approves a finding of priority pr on a host
 * in ring and group (NULL or "" for none), or NULL. A rule matches when it
 * lists pr, and its ring (its group) is empty or equal to the host's; of
 * the rules that match, the first by name. An explicit decision about the
 * finding wins over any rule: the caller checks for one first. The result
 * points into p.
 */
const struct policy_rule *policy_auto_approve(const struct policy *p, enum ssvc_priority pr,
					      const char *ring, const char *group);

/*
 * The position of ring in p->rings (0: the first ring), of default_ring
 * for NULL or "" (a host without a ring), or -1 for a name not in rings
 * (and when default_ring is not, which a parsed policy rules out). Names
 * are case-sensitive.
 */
int policy_ring_index(const struct policy *p, const char *ring);

/*
 * The settings of ring (NULL or "": default_ring): its [ring "NAME"]
 * section's values, or the defaults when it has none (soak 24 hours, no
 * failures tolerated), with name set to the ring's name (cut to
 * POLICY_NAME_MAX bytes). It does not check that ring is in p->rings.
 */
struct policy_ring policy_ring_settings(const struct policy *p, const char *ring);

/*
 * How many of the group_hosts hosts of group (NULL or "" for none) may be
 * in a job at the same moment: the group's max-unavailable resolved to a
 * count, at least 1. A whole number counts as it is (even above
 * group_hosts); a percentage is that share of group_hosts rounded down,
 * but at least 1 (also when group_hosts <= 0), and at most INT_MAX. A
 * group without a section gets the default, 1.
 */
int policy_max_unavailable(const struct policy *p, const char *group, long group_hosts);

/*
 * Whether the interval [from, to) intersects a blackout that applies to a
 * host in group (NULL or "" for none): a blackout with a group applies to
 * that group's hosts, one without to every host. The intervals are
 * half-open: a job [a, b) and a blackout [b, c) do not intersect, and an
 * empty interval (to <= from) intersects nothing. When it does, and ret_end
 * is not NULL, *ret_end is the latest end (to) among the blackouts it
 * intersects, so that a caller can move past them; otherwise *ret_end is
 * untouched.
 */
bool policy_blackout_at(const struct policy *p, const char *group, int64_t from, int64_t to,
			int64_t *ret_end);

/*
 * Appends the effective policy to ret as canonical text: one
 * "section.key=value\n" line per key of a plain section, and one
 * "section.NAME.key=value\n" line per key of each named section ([group
 * "NAME"], [quorum "ACTION"], [auto-approve "NAME"], [ring "NAME"],
 * [blackout "NAME"]), with the values it ends up with (a group's unset
 * days show the [due] value), sorted by section, then NAME, then key. A
 * named section that ends up equal to a fresh one (a group equal to [due]
 * with max-unavailable 1, a quorum or ring equal to the defaults) is left
 * out, as it changes nothing; a rule or a blackout of a parsed policy
 * always shows, since it has required keys a fresh one lacks. Times are in
 * UTC ("2026-12-20T00:00:00Z"). So two files that mean the same give the
 * same text. [notify] is left out (see struct policy_notify).
 * Returns 0 or ERR_NOMEM (ret's ceiling); on failure ret is as it was.
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
