/* hfx cvss: the score and severity of CVSS vectors (v3.0, v3.1, v4.0). */
#include "cli/cli.h"

#include <string.h>

#include "core/cvss3.h"
#include "core/cvss4.h"

static int one(const char *v, struct err *e)
{
	struct cvss3 c3;
	struct cvss4 c4;
	int rc;

	if (!strncmp(v, "CVSS:4.0/", 9)) {
		rc = cvss4_parse(v, strlen(v), &c4, e);
		if (!rc)
			printf("%s\t%.1f\t%s\tmacrovector %s\n", v, c4.score,
			       cvss_severity(c4.score), c4.macrovector);
		return rc;
	}
	rc = cvss3_parse(v, strlen(v), &c3, e);
	if (!rc)
		printf("%s\t%.1f\t%s\ttemporal %.1f\tenvironmental %.1f\n", v, c3.base,
		       cvss_severity(c3.base), c3.temporal, c3.environmental);
	return rc;
}

static int run(const struct cli_args *a, struct err *e)
{
	int rc = 0;

	for (int i = 0; i < a->npos && !rc; i++)
		rc = one(a->pos[i], e);
	return rc;
}

const struct cli_command cmd_cvss = {
	.name = "cvss",
	.args = "VECTOR...",
	.summary = "print each CVSS vector's score and severity (v3.0, v3.1, v4.0)",
	.details = "One line per vector: the vector, its score (v3: base), its severity, and "
		   "for v3 the temporal and environmental scores (equal to the base score when "
		   "their metrics are not given), for v4.0 the macrovector. An invalid vector is "
		   "an error naming the bad metric.",
	.min_pos = 1, .max_pos = -1,
	.run = run,
};
