/* Lifecycle of the advisory model; see advisory.h. */
#include "core/advisory.h"

#include <stdlib.h>

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void affected_release(struct affected *af)
{
	if (!af)
		return;
	free(af->ecosystem);
	free(af->package);
	free(af->purl);
	for (size_t i = 0; i < af->nranges; i++) {
		for (size_t j = 0; j < af->ranges[i].nevents; j++)
			free(af->ranges[i].events[j].version);
		free(af->ranges[i].events);
	}
	free(af->ranges);
	free_strv(af->versions, af->nversions);
	*af = (struct affected){0};
}

void advisory_release(struct advisory *a)
{
	if (!a)
		return;
	free(a->id);
	free(a->modified);
	free(a->published);
	free(a->withdrawn);
	free(a->summary);
	free_strv(a->aliases, a->naliases);
	for (size_t i = 0; i < a->naffected; i++)
		affected_release(&a->affected[i]);
	free(a->affected);
	for (size_t i = 0; i < a->nseverities; i++) {
		free(a->severities[i].type);
		free(a->severities[i].score);
	}
	free(a->severities);
	free(a->rating);
	*a = (struct advisory){0};
}

const char *osv_event_kind_name(enum osv_event_kind kind)
{
	switch (kind) {
	case EVENT_INTRODUCED: return "introduced";
	case EVENT_FIXED: return "fixed";
	case EVENT_LAST_AFFECTED: return "last_affected";
	case EVENT_LIMIT: return "limit";
	}
	return "?";
}

const char *osv_range_type_name(enum osv_range_type type)
{
	switch (type) {
	case RANGE_ECOSYSTEM: return "ECOSYSTEM";
	case RANGE_SEMVER: return "SEMVER";
	case RANGE_GIT: return "GIT";
	}
	return "?";
}
