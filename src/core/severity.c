/* The CVSS that ranks an advisory; see severity.h. */
#include "core/severity.h"

#include <string.h>

#include "core/cvss3.h"
#include "core/cvss4.h"

int severity_score(const struct osv_severity *s, struct cvss_pick *ret, struct err *e)
{
	size_t len = s->score ? strlen(s->score) : 0;

	if (s->type && !strcmp(s->type, "CVSS_V3")) {
		struct cvss3 c;
		int r = cvss3_parse(s->score, len, &c, e);

		if (r)
			return r;
		ret->score = c.environmental;
		ret->automatable = c.metric[CVSS3_AV] == 'N' && c.metric[CVSS3_PR] == 'N' &&
				   c.metric[CVSS3_UI] == 'N';
		return 0;
	}
	if (s->type && !strcmp(s->type, "CVSS_V4")) {
		struct cvss4 c;
		int r = cvss4_parse(s->score, len, &c, e);

		if (r)
			return r;
		ret->score = c.score;
		ret->automatable = c.metric[CVSS4_AV] == 'N' && c.metric[CVSS4_PR] == 'N' &&
				   c.metric[CVSS4_UI] == 'N';
		return 0;
	}
	return err_set(e, ERR_STATE, "not scored");
}

void severity_pick(const struct advisory *a, struct cvss_pick *ret)
{
	*ret = (struct cvss_pick){ .index = -1 };
	for (size_t i = 0; i < a->nseverities; i++) {
		struct cvss_pick p = { .index = (long)i };
		struct err e;

		if (severity_score(&a->severities[i], &p, &e))
			continue;
		if (ret->index < 0 || p.score > ret->score)
			*ret = p;
	}
}
