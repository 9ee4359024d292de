/*
 * The fleet's VEX status: for each vulnerability and each binary package
 * on each host (a product), one statement saying whether that product is
 * affected, not affected, fixed or under investigation, from the open and
 * fixed findings and the decisions that stand for them (decide/decide.h).
 * docs/VEX.md gives the rules; openvex.c and csaf.c write the statements
 * as an OpenVEX or a CSAF 2.0 VEX document.
 *
 * Not here: matching (the findings are taken as the last scan left them),
 * signing, or publishing. The statements are held in memory in compact
 * form (about 50 bytes each, strings shared); the documents are streamed,
 * one statement, host or vulnerability at a time.
 */
#ifndef HFX_VEX_VEX_H
#define HFX_VEX_VEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/hash.h"
#include "decide/decide.h"

/* By precedence: when several findings speak of one vulnerability on one
 * product, the highest status wins (affected over under_investigation
 * over not_affected over fixed). */
enum vex_status { VEX_FIXED, VEX_NOT_AFFECTED, VEX_UNDER_INVESTIGATION, VEX_AFFECTED };

/* What an affected product's action statement offers (CSAF remediation
 * categories). */
enum vex_remedy {
	VEX_REMEDY_NONE,           /* not affected */
	VEX_REMEDY_VENDOR_FIX,     /* a fixed version: approve, expedite, defer, auto */
	VEX_REMEDY_NONE_AVAILABLE, /* deploy when a fix exists */
	VEX_REMEDY_MITIGATION,     /* mitigated: the workaround */
	VEX_REMEDY_NO_FIX_PLANNED, /* accept-risk */
};

/* Offsets into struct vex's arena; VEX_NONE for none. */
#define VEX_NONE SIZE_MAX

struct vex_product {
	size_t host, os;                  /* the host's name and os-release ID */
	size_t name, arch, version;       /* the binary package as installed */
	size_t purl, id;                  /* its purl; the CSAF product id */
};

struct vex_vuln {
	size_t name;       /* a CVE id, or the advisory id of an advisory without one */
	bool cve;          /* name is a CVE id */
	uint32_t adv_first, nadvs; /* its advisories: vex.vuln_advs[adv_first..+nadvs), by name */
};

struct vex_advisory {
	size_t name, aliases, summary; /* aliases: CVE ids, space-separated */
	uint32_t vuln_first, nvulns;   /* its vulnerabilities: vex.adv_vulns[...] */
	uint32_t order;                /* rank of its name among the advisories */
	bool used;                     /* some finding of it is exported */
};

struct vex_statement {
	uint32_t vuln, product, advisory;  /* advisory: the id whose finding gave the status */
	uint8_t status;                    /* enum vex_status */
	uint8_t remedy;                    /* enum vex_remedy */
	uint8_t decided;                   /* enum decide_status */
	const struct decide_rec *rec;      /* the decision standing, pending or expired */
	const struct policy_rule *rule;    /* the auto-approval rule */
	size_t package, fixed;             /* as the advisory names the package; fixed version */
};

struct vex {
	struct buf arena;                  /* NUL-terminated strings */
	struct decide_view view;           /* owns the decisions statements point to */
	struct vex_advisory *advs;         /* by advisory id */
	size_t nadvs;
	struct vex_vuln *vulns;            /* sorted by name */
	size_t nvulns;
	uint32_t *adv_vulns, *vuln_advs;
	size_t npairs;
	struct vex_product *products;      /* sorted by host, name, version, architecture */
	size_t nproducts, cap_products;
	struct vex_statement *stmts;       /* sorted by vulnerability, then product */
	size_t nstmts, cap_stmts;
	size_t nhosts;
};

/*
 * Gathers the statements from the store: the decisions (with the policy
 * p, for auto-approval rules; p must outlive v), the advisories with
 * findings, and every open and fixed finding's binary packages, in three
 * queries. Fills *v (released on failure).
 */
int vex_load(struct vex *v, struct store *s, const struct policy *p, struct err *e);
void vex_release(struct vex *v);

/* The string at an arena offset; NULL for VEX_NONE. */
const char *vex_str(const struct vex *v, size_t off);

/* "fixed", "not_affected", "under_investigation", "affected" (OpenVEX). */
const char *vex_status_name(enum vex_status s);
/* "vendor_fix", "none_available", "mitigation", "no_fix_planned" (CSAF);
 * NULL for VEX_REMEDY_NONE. */
const char *vex_remedy_name(enum vex_remedy r);

/* Appends what should be done about an affected statement ("Upgrade zip
 * to 3.0-13+deb12u1 or later (approve by bob)"), or nothing. */
int vex_action_text(const struct vex *v, const struct vex_statement *st, struct buf *out,
		    struct err *e);
/* Appends how the status was determined ("TEST-KEV: not-affected by bob,
 * scope tag:pci"). */
int vex_notes_text(const struct vex *v, const struct vex_statement *st, struct buf *out,
		   struct err *e);
/* The VEX justification of a not_affected statement, else NULL. */
const char *vex_justification(const struct vex_statement *st);

/*
 * The purl of a binary package of a host: pkg:deb/<os_id>/NAME@VERSION
 * ?arch=ARCH&distro=<os_id>-<os_version> for the dpkg systems,
 * pkg:rpm/<os_id>/NAME@VERSION?arch=ARCH&distro=...&epoch=E (an rpm
 * epoch "E:" moves to its qualifier) for rpm ones, pkg:apk/<os_id>/... for
 * Alpine, pkg:generic/NAME@VERSION for an OS hfx has no package format
 * for; percent-encoded as the purl specification's canonical form
 * (inventory/purl.h). Empty qualifier values are left out. Returns 0, or
 * ERR_INPUT when a part is too long for a purl, ERR_NOMEM when ret (len
 * bytes) is too small.
 */
int vex_purl(const char *os_id, const char *os_version, const char *name,
	     const char *version, const char *arch, char *ret, size_t len, struct err *e);

/* The options of a document. */
struct vex_options {
	const char *author;    /* OpenVEX author, CSAF publisher name */
	const char *ns;        /* CSAF publisher namespace, a URI */
	const char *now;       /* the document's time, RFC 3339 */
	const char *version;   /* of hfx, for the CSAF generator; NULL: left out */
};

/*
 * The SHA-256 of the statements as both formats state them, and of the
 * author: equal fleets give equal document ids in both formats, whatever
 * the time of the export. Not of the namespace: a CSAF tracking id need
 * only be unique within its publisher's namespace, and OpenVEX has none.
 * ERR_STATE when there is no statement: both formats require one.
 */
int vex_digest(const struct vex *v, const struct vex_options *o,
	       char ret[SHA256_HEX_LEN + 1], struct err *e);

/* Writes the document to f. ERR_STATE when there is no statement (both
 * formats require at least one); ERR_IO when writing fails. */
int vex_write_openvex(const struct vex *v, const struct vex_options *o, FILE *f,
		      struct err *e);
int vex_write_csaf(const struct vex *v, const struct vex_options *o, FILE *f, struct err *e);

/* Shared by the writers: dumps json (its reference taken; NULL is out of
 * memory) to f, compact, with its keys sorted (CSAF: recommended test
 * 6.2.13) or in the order they were set. */
int vex_dump(json_t *json, bool sorted, FILE *f, struct err *e);
/* A JSON string of s; NULL only when out of memory. Text that is not
 * UTF-8 (a reason typed in another encoding) has its bytes over 0x7f
 * replaced by '?', so that the document stays valid. */
json_t *vex_json_text(const char *s);

#endif
