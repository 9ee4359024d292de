/*
 * hfx vex export: the fleet's VEX status per vulnerability and product, as
 * an OpenVEX or a CSAF 2.0 VEX document (vex/vex.h; docs/VEX.md).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "vex/vex.h"

enum { OPT_FORMAT, OPT_AUTHOR, OPT_NAMESPACE, OPT_OUTPUT };

static const struct cli_option options[] = {
	[OPT_FORMAT] = { "format", "FORMAT", "openvex or csaf (required)" },
	[OPT_AUTHOR] = { "author", "NAME", "the OpenVEX author and CSAF publisher name (default: "
			 "the acting person, --as)" },
	[OPT_NAMESPACE] = { "namespace", "URL", "the CSAF publisher namespace, a URL the "
			    "publisher controls (default https://hfx.invalid/)" },
	[OPT_OUTPUT] = { "output", "FILE", "write the document to FILE (replaced whole, only "
			 "once complete) instead of standard output" },
	{ NULL, NULL, NULL },
};

/* An absolute URI as the CSAF schema's "uri" format wants it: a scheme,
 * ':', and printable ASCII without spaces. */
static bool uri_valid(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

	if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) ||
	    s[n] != ':' || !s[n + 1])
		return false;
	for (s += n + 1; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || *s == '"' ||
		    *s == '<' || *s == '>' || *s == '\\' || *s == '{' || *s == '}' || *s == '|' ||
		    *s == '^' || *s == '`')
			return false;
	return true;
}

struct doc {
	const struct vex *v;
	const struct vex_options *o;
	bool csaf;
};

static int write_doc(const void *ctx, FILE *f, struct err *e)
{
	const struct doc *d = ctx;

	return d->csaf ? vex_write_csaf(d->v, d->o, f, e) : vex_write_openvex(d->v, d->o, f, e);
}

static int run(const struct cli_args *a, struct err *e)
{
	const char *format = a->values[OPT_FORMAT], *output = a->values[OPT_OUTPUT];
	struct vex_options o = {
		.author = a->values[OPT_AUTHOR] ? a->values[OPT_AUTHOR] : a->actor,
		.ns = a->values[OPT_NAMESPACE] ? a->values[OPT_NAMESPACE] : "https://hfx.invalid/",
	};
	struct store *s = NULL;
	struct vex v = { 0 };
	struct policy p;
	char now[32];
	bool csaf;
	int rc;

	if (!format || (strcmp(format, "openvex") && strcmp(format, "csaf")))
		return err_set(e, ERR_INPUT, "--format: expected openvex or csaf");
	csaf = !strcmp(format, "csaf");
	if (!o.author || !o.author[0])
		return err_set(e, ERR_INPUT, "--author: expected a name");
	if (!uri_valid(o.ns))
		return err_set(e, ERR_INPUT, "--namespace '%.200s': expected an absolute URL "
			       "(https://example.com/)", o.ns);
	store_now(now);
	o.now = now;
	rc = cli_open_ranked(a, &p, &s, e);
	if (!rc)
		rc = vex_load(&v, s, &p, e);
	if (!rc) {
		struct doc d = { &v, &o, csaf };

		rc = output ? cli_write_output(output, write_doc, &d, e) : write_doc(&d, stdout, e);
	}
	if (!rc && output)
		printf("%zu statements on %zu products of %zu hosts written to %s\n", v.nstmts,
		       v.nproducts, v.nhosts, output);
	vex_release(&v);
	store_close(s);
	return rc;
}

const struct cli_command cmd_vex_export = {
	.name = "vex export",
	.summary = "export the fleet's VEX status of each vulnerability on each package of "
		   "each host, as OpenVEX or CSAF 2.0",
	.details = "One statement per vulnerability (each CVE id of an advisory, or the "
		   "advisory's id when it has none) and product (one binary package on one "
		   "host): not_affected when a not-affected decision stands (with its "
		   "justification), affected with an action statement when another decision "
		   "or an auto-approval rule stands, under_investigation when none does, fixed "
		   "when a resolved finding left the host's package fixed. The rules, the "
		   "document layouts and how to validate them are in docs/VEX.md.",
	.max_pos = 0,
	.role = ROLE_VIEWER,
	.options = options,
	.run = run,
};
