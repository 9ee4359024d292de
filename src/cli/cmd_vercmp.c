/* hfx vercmp: compare two versions with an ecosystem's rules. */
#include "cli/cli.h"

#include <string.h>

#include "core/version.h"

struct scheme {
	const char *name;
	version_cmp_fn cmp;
	bool (*valid)(const char *v, size_t len, const char **ret_reason);
};

static bool apk_version_valid_why(const char *v, size_t len, const char **ret_reason)
{
	*ret_reason = "not a version apk-tools accepts";
	return apk_version_valid(v, len);
}

static const struct scheme schemes[] = {
	{ "debian", deb_vercmp, deb_version_valid },
	{ "rpm", rpm_vercmp, NULL },
	{ "apk", apk_vercmp, apk_version_valid_why },
	{ "semver", semver_cmp, NULL },
};

static char sign(int r)
{
	return r < 0 ? '<' : r > 0 ? '>' : '=';
}

static int check(const struct scheme *sc, const char *v, struct err *e)
{
	const char *why = NULL;

	if (sc->valid && !sc->valid(v, strlen(v), &why))
		return err_set(e, ERR_INPUT, "'%s' is not a valid %s version: %s", v, sc->name, why);
	return 0;
}

/* --batch: "A<TAB>B" lines on stdin, one sign per line on stdout. */
static int batch(const struct scheme *sc, struct err *e)
{
	char line[8192];
	long n = 0;

	while (fgets(line, sizeof(line), stdin)) {
		size_t len = strcspn(line, "\n");
		char *tab = memchr(line, '\t', len);

		n++;
		if (len == sizeof(line) - 1 || !tab)
			return err_set(e, ERR_INPUT, "stdin: line %ld: expected A<TAB>B", n);
		printf("%c\n", sign(sc->cmp(line, (size_t)(tab - line), tab + 1,
					    len - (size_t)(tab - line) - 1)));
	}
	return 0;
}

static const struct cli_option options[] = {
	{ "ecosystem", "NAME", "debian (default), rpm, apk or semver" },
	{ "batch", NULL, "compare A<TAB>B lines from stdin, one result per line" },
	{ NULL, NULL, NULL },
};

static int run(const struct cli_args *a, struct err *e)
{
	const char *name = a->values[0] ? a->values[0] : "debian";
	const struct scheme *sc = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strcmp(schemes[i].name, name))
			sc = &schemes[i];
	if (!sc)
		return err_set(e, ERR_INPUT, "--ecosystem '%s': expected debian, rpm, apk or semver", name);
	if (a->values[1])
		return a->npos ? err_set(e, ERR_INPUT, "vercmp --batch takes no arguments")
			       : batch(sc, e);
	if (a->npos != 2)
		return err_set(e, ERR_INPUT, "vercmp: expected two versions A B");
	rc = check(sc, a->pos[0], e);
	if (!rc)
		rc = check(sc, a->pos[1], e);
	if (!rc)
		printf("%c\n", sign(sc->cmp(a->pos[0], strlen(a->pos[0]), a->pos[1],
					    strlen(a->pos[1]))));
	return rc;
}

const struct cli_command cmd_vercmp = {
	.name = "vercmp",
	.args = "A B",
	.summary = "compare two versions: prints <, = or >",
	.details = "Debian versions compare exactly as dpkg --compare-versions does, RPM "
		   "versions ([epoch:]version[-release]) as rpm's rpm.vercmp(), Alpine versions "
		   "as apk-tools, semver by SemVer 2.0.0 precedence.",
	.max_pos = 2,
	.options = options,
	.run = run,
};
