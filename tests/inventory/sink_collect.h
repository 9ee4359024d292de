/*
 * A collecting inv_sink for the inventory parsers' unit tests: records the
 * OS call and every package (copied, so the test can look at them after
 * the parse), can stop the parse after N packages, and parses from a heap
 * copy of exactly the input's length so AddressSanitizer flags a read past
 * the end. Include after cmocka.h and testutil.h.
 */
#ifndef HFX_TESTS_SINK_COLLECT_H
#define HFX_TESTS_SINK_COLLECT_H

#include "inventory/inventory.h"

#ifndef COLLECT_MAX_PKGS
#define COLLECT_MAX_PKGS 256
#endif

struct seen_pkg {
	char name[128];
	char version[128];
	char arch[32];
	char source[128];
	char source_version[128];
	size_t line;
};

struct collect {
	size_t n;
	int os_calls;
	size_t os_at;        /* packages seen when os was called */
	struct inv_os os;
	size_t stop_after;   /* 0: never */
	struct seen_pkg pkgs[COLLECT_MAX_PKGS];
};

typedef int (*inv_parse_fn)(const char *data, size_t len, const char *filename,
			    const struct inv_sink *sink, struct err *e);

static inline int collect_on_os(const struct inv_os *os, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->os_calls++;
	c->os_at = c->n;
	c->os = *os;
	return 0;
}

static inline int collect_on_pkg(const struct inv_pkg *p, void *ctx, struct err *e)
{
	struct collect *c = ctx;
	struct seen_pkg *s;

	assert_true(p->name_len > 0 && p->version_len > 0);
	assert_true(p->source_len > 0 && p->source_version_len > 0);
	assert_non_null(p->arch);
	assert_true(c->n < COLLECT_MAX_PKGS);
	s = &c->pkgs[c->n++];
	copy_span(s->name, sizeof(s->name), p->name, p->name_len);
	copy_span(s->version, sizeof(s->version), p->version, p->version_len);
	copy_span(s->arch, sizeof(s->arch), p->arch, p->arch_len);
	copy_span(s->source, sizeof(s->source), p->source, p->source_len);
	copy_span(s->source_version, sizeof(s->source_version), p->source_version,
		  p->source_version_len);
	s->line = p->line;
	if (c->stop_after && c->n == c->stop_after)
		return err_set(e, ERR_STATE, "stopped after %zu", c->n);
	return 0;
}

static inline struct collect *collect_new(void)
{
	struct collect *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

/* Parses text[0..len) from an exact-length heap copy into c. */
static inline int collect_parse(inv_parse_fn parse, const char *filename, const char *text,
				size_t len, struct collect *c, struct err *e)
{
	struct inv_sink sink = { .os = collect_on_os, .pkg = collect_on_pkg, .ctx = c };
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, text, len);
	e->msg[0] = '\0';
	r = parse(copy, len, filename, &sink, e);
	free(copy);
	return r;
}

static inline const struct seen_pkg *collect_find(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->pkgs[i].name, name))
			return &c->pkgs[i];
	return NULL;
}

static inline void collect_assert_pkg(const struct collect *c, const char *name,
				      const char *version, const char *arch,
				      const char *source, const char *source_version)
{
	const struct seen_pkg *p = collect_find(c, name);

	if (!p)
		fail_msg("package %s not reported", name);
	assert_string_equal(p->version, version);
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->source, source);
	assert_string_equal(p->source_version, source_version);
}

#endif
