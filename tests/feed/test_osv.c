/*
 * Tests of the OSV record parser: every real record of the shared data
 * (Debian 12, AlmaLinux, osv.dev samples, the schema's examples) parses,
 * hostile and malformed records fail with a message naming the field, and
 * the stored encoding of an affected entry round-trips exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#include "base/buf.h"
#include "feed/osv.h"

/* Set when a test found the shared data missing: main then exits 77. */
static bool data_missing;

#define CHECK(cond, name)                                                   \
	do {                                                                \
		if (!(cond))                                                \
			fail_msg("%s: check failed: %s", (name), #cond);    \
	} while (0)

/* ---- helpers ---- */

static int parse_str(const char *json, struct advisory *a, char **canonical,
		     struct err *e)
{
	return osv_parse(json, strlen(json), a, canonical, e);
}

/*
 * Parsing data fails with ERR_INPUT and exactly the message want (or a
 * message starting with want when prefix is set), leaving the outputs
 * untouched.
 */
static void expect_fail_len(const char *data, size_t len, const char *want, bool prefix)
{
	struct advisory a, sentinel;
	char *canonical = (char *)&sentinel;
	struct err e = { "" };
	int r;

	memset(&a, 0xa5, sizeof(a));
	memcpy(&sentinel, &a, sizeof(a));
	r = osv_parse(data, len, &a, &canonical, &e);
	assert_int_equal(r, ERR_INPUT);
	assert_memory_equal(&a, &sentinel, sizeof(a));
	assert_ptr_equal(canonical, (char *)&sentinel);
	if (prefix ? strncmp(e.msg, want, strlen(want)) != 0 : strcmp(e.msg, want) != 0)
		fail_msg("message '%s', expected %s'%s'", e.msg, prefix ? "a prefix " : "",
			 want);
}

static void expect_fail(const char *json, const char *want)
{
	expect_fail_len(json, strlen(json), want, false);
}

static void expect_fail_prefix(const char *json, const char *want)
{
	expect_fail_len(json, strlen(json), want, true);
}

static bool has_alias(const struct advisory *a, const char *alias)
{
	for (size_t i = 0; i < a->naliases; i++)
		if (!strcmp(a->aliases[i], alias))
			return true;
	return false;
}

static bool has_event(const struct osv_range *rg, enum osv_event_kind kind)
{
	for (size_t i = 0; i < rg->nevents; i++)
		if (rg->events[i].kind == kind)
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

typedef void (*file_fn)(const char *path, const char *name, const char *dir, void *ctx);

/* Calls fn on every *.json under dir (recursively when recurse is set). */
static size_t walk(const char *dir, bool recurse, file_fn fn, void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (!d) {
		fail_msg("cannot open directory %s", dir);
		return 0;
	}
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;
		int w;

		if (de->d_name[0] == '.')
			continue;
		w = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_true(w > 0 && (size_t)w < sizeof(path));
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			if (recurse)
				n += walk(path, true, fn, ctx);
		} else if (ends_with(de->d_name, ".json")) {
			fn(path, de->d_name, dir, ctx);
			n++;
		}
	}
	closedir(d);
	return n;
}

/* Reads and parses one file, failing the test with its name on error. */
static void parse_file(const char *path, struct advisory *a, char **canonical)
{
	struct buf b;
	struct err e = { "" };
	int r;

	buf_init(&b, OSV_RECORD_MAX + 1);
	r = buf_read_file(&b, path, &e);
	if (r)
		fail_msg("%s", e.msg);
	r = osv_parse(b.data, b.len, a, canonical, &e);
	buf_release(&b);
	if (r)
		fail_msg("%s: %s", path, e.msg);
}

/* Copies a shared_path() result (a static buffer), or notes the skip. */
static bool shared_dir(const char *rel, char *out, size_t n)
{
	const char *p = shared_path(rel);

	if (!p) {
		data_missing = true;
		return false;
	}
	snprintf(out, n, "%s", p);
	return true;
}

/* ---- real data ---- */

static void check_debian(const char *path, const char *name, const char *dir, void *ctx)
{
	struct advisory a;
	char *canonical = NULL;
	char cve[256];

	(void)dir;
	(void)ctx;
	parse_file(path, &a, &canonical);
	CHECK(canonical && canonical[0] == '{', name);
	CHECK(ends_with(name, ".json") && strlen(a.id) + 5 == strlen(name) &&
	      !strncmp(name, a.id, strlen(a.id)), name);
	/* DEBIAN-CVE-2004-2541.json names CVE-2004-2541 in "upstream". */
	CHECK(!strncmp(name, "DEBIAN-CVE-", 11), name);
	snprintf(cve, sizeof(cve), "%.*s", (int)(strlen(name) - 7 - 5), name + 7);
	CHECK(has_alias(&a, cve), name);
	CHECK(a.naffected >= 1, name);
	CHECK(a.affected[0].ecosystem && !strcmp(a.affected[0].ecosystem, "Debian:12"), name);
	CHECK(a.affected[0].package && a.affected[0].package[0], name);
	CHECK(a.affected[0].nranges >= 1, name);
	CHECK(a.affected[0].ranges[0].type == RANGE_ECOSYSTEM, name);
	CHECK(has_event(&a.affected[0].ranges[0], EVENT_FIXED), name);
	CHECK(a.modified && !a.withdrawn, name);
	advisory_release(&a);
	free(canonical);
}

static void test_debian12_all(void **state)
{
	char dir[4096];

	(void)state;
	if (!shared_dir("osv/debian12", dir, sizeof(dir)))
		skip();
	assert_int_equal(walk(dir, false, check_debian, NULL), 6056);
}

/*
 * AlmaLinux: ids with ':' in the file name, deduplicated "related". An
 * advisory may list packages of several releases (the same file is then
 * in each release's folder), but at least one of the folder's release.
 */
static void check_alma(const char *path, const char *name, const char *dir, void *ctx)
{
	const char *release = strrchr(dir, '/') + 1;
	struct advisory a;
	size_t mine = 0;
	char eco[64];

	(void)ctx;
	parse_file(path, &a, NULL);
	CHECK(strlen(a.id) + 5 == strlen(name) && !strncmp(name, a.id, strlen(a.id)), name);
	snprintf(eco, sizeof(eco), "AlmaLinux:%s", release);
	for (size_t i = 0; i < a.naffected; i++) {
		CHECK(a.affected[i].ecosystem &&
		      !strncmp(a.affected[i].ecosystem, "AlmaLinux:", 10), name);
		if (!strcmp(a.affected[i].ecosystem, eco))
			mine++;
	}
	CHECK(a.naffected == 0 || mine > 0, name);
	for (size_t i = 0; i < a.naliases; i++)
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(a.aliases[i], a.aliases[j]) != 0, name);
	advisory_release(&a);
}

static void test_almalinux_all(void **state)
{
	char dir[4096];

	(void)state;
	if (!shared_dir("osv/almalinux", dir, sizeof(dir)))
		skip();
	assert_true(walk(dir, true, check_alma, NULL) > 5000);
}

/*
 * Any record: parses, and its canonical JSON parses to the same canonical
 * JSON (canonicalisation is idempotent). ctx counts the withdrawn ones.
 */
static void check_any(const char *path, const char *name, const char *dir, void *ctx)
{
	struct advisory a, b;
	char *canonical = NULL, *again = NULL;
	struct err e = { "" };

	(void)dir;
	parse_file(path, &a, &canonical);
	if (osv_parse(canonical, strlen(canonical), &b, &again, &e))
		fail_msg("%s: canonical form does not parse: %s", name, e.msg);
	CHECK(!strcmp(canonical, again), name);
	CHECK(!strcmp(a.id, b.id) && a.naffected == b.naffected && a.naliases == b.naliases,
	      name);
	if (!strcmp(name, "ghsa_withdrawn.osv.json")) {
		CHECK(a.withdrawn && !strcmp(a.withdrawn, "2018-10-11T17:29:49Z"), name);
		CHECK(!strcmp(a.id, "GHSA-35c4-f3rq-f9g3"), name);
		(*(size_t *)ctx)++;
	} else {
		CHECK(!a.withdrawn, name);
	}
	advisory_release(&a);
	advisory_release(&b);
	free(canonical);
	free(again);
}

static void test_samples_all(void **state)
{
	static const char *const dirs[] = { "osv/samples", "vectors/osv/examples",
					    "vectors/osv/linter_testdata" };
	size_t withdrawn = 0, n = 0;
	char dir[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!shared_dir(dirs[i], dir, sizeof(dir)))
			skip();
		n += walk(dir, true, check_any, &withdrawn);
	}
	assert_true(n >= 30);
	assert_int_equal(withdrawn, 1);
}

/* Fields of two records read field by field. */
static void test_sample_fields(void **state)
{
	struct advisory a;
	char path[4096];
	const struct affected *af;

	(void)state;
	if (!shared_dir("osv/samples/osv-scanner-offline/Debian/DLA-3022-1.json", path,
			sizeof(path)))
		skip();
	parse_file(path, &a, NULL);
	assert_string_equal(a.id, "DLA-3022-1");
	assert_string_equal(a.modified, "2026-03-09T01:23:37.553205Z");
	assert_string_equal(a.published, "2022-05-25T00:00:00Z");
	assert_string_equal(a.summary, "dpkg - security update");
	assert_int_equal(a.naliases, 2);
	assert_string_equal(a.aliases[0], "CVE-2022-1664");
	assert_string_equal(a.aliases[1], "DEBIAN-CVE-2022-1664");
	assert_int_equal(a.naffected, 1);
	af = &a.affected[0];
	assert_string_equal(af->ecosystem, "Debian:9");
	assert_string_equal(af->package, "dpkg");
	assert_string_equal(af->purl, "pkg:deb/debian/dpkg?arch=source");
	assert_int_equal(af->nranges, 1);
	assert_int_equal(af->ranges[0].nevents, 2);
	assert_int_equal(af->ranges[0].events[0].kind, EVENT_INTRODUCED);
	assert_string_equal(af->ranges[0].events[0].version, "0");
	assert_int_equal(af->ranges[0].events[1].kind, EVENT_FIXED);
	assert_string_equal(af->ranges[0].events[1].version, "1.18.26");
	assert_int_equal(af->nversions, 2);
	assert_string_equal(af->versions[1], "1.18.25");
	advisory_release(&a);

	/* A GIT-only entry without "package" is kept, with no package. */
	if (!shared_dir("vectors/osv/linter_testdata/CVE-2023-41045.json", path, sizeof(path)))
		skip();
	parse_file(path, &a, NULL);
	assert_int_equal(a.naffected, 1);
	af = &a.affected[0];
	assert_null(af->ecosystem);
	assert_null(af->package);
	assert_int_equal(af->nranges, 1);
	assert_int_equal(af->ranges[0].type, RANGE_GIT);
	assert_int_equal(af->ranges[0].nevents, 3);
	assert_string_equal(af->ranges[0].events[2].version,
			    "a101f4f12180fd3dfa7d3345188a099877a3c327");
	advisory_release(&a);
}

/* ---- inline records ---- */

static void test_full_record(void **state)
{
	const char *json =
		"{\"id\":\"X-1\",\"modified\":\"m\",\"published\":\"p\",\"summary\":\"s\","
		"\"aliases\":[\"A\",\"B\"],\"upstream\":[\"B\",\"C\",\"A\"],"
		"\"related\":[\"D\",\"C\"],\"future_field\":{\"x\":[1,2,{}]},"
		"\"affected\":["
		"{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"p\",\"extra\":1},"
		" \"ranges\":[{\"type\":\"SEMVER\",\"repo\":\"r\",\"events\":["
		"  {\"introduced\":\"1.0\"},{\"last_affected\":\"1.4\",\"note\":\"x\"},"
		"  {\"limit\":\"2.0\"}]}],"
		" \"versions\":[\"1.0\",\"1.1\"],\"severity\":[]},"
		"{},"
		"{\"ranges\":[{\"type\":\"GIT\",\"events\":[{\"fixed\":\"abc\"}]}]}]}";
	struct advisory a;
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_str(json, &a, NULL, &e), 0);
	assert_string_equal(a.id, "X-1");
	assert_string_equal(a.published, "p");
	assert_string_equal(a.summary, "s");
	assert_null(a.withdrawn);
	/* aliases, then upstream, then related, each once in first place */
	assert_int_equal(a.naliases, 4);
	assert_string_equal(a.aliases[0], "A");
	assert_string_equal(a.aliases[1], "B");
	assert_string_equal(a.aliases[2], "C");
	assert_string_equal(a.aliases[3], "D");
	assert_int_equal(a.naffected, 3);
	assert_string_equal(a.affected[0].ecosystem, "PyPI");
	assert_null(a.affected[0].purl);
	assert_int_equal(a.affected[0].ranges[0].type, RANGE_SEMVER);
	assert_int_equal(a.affected[0].ranges[0].nevents, 3);
	assert_int_equal(a.affected[0].ranges[0].events[1].kind, EVENT_LAST_AFFECTED);
	assert_int_equal(a.affected[0].ranges[0].events[2].kind, EVENT_LIMIT);
	assert_string_equal(a.affected[0].ranges[0].events[2].version, "2.0");
	assert_int_equal(a.affected[0].nversions, 2);
	assert_null(a.affected[1].ecosystem);
	assert_int_equal(a.affected[1].nranges, 0);
	assert_int_equal(a.affected[1].nversions, 0);
	assert_int_equal(a.affected[2].ranges[0].type, RANGE_GIT);
	advisory_release(&a);

	/* The schema allows null for "aliases" and "affected". */
	assert_int_equal(parse_str("{\"id\":\"N\",\"modified\":\"m\",\"aliases\":null,"
				   "\"affected\":null}", &a, NULL, &e), 0);
	assert_int_equal(a.naliases, 0);
	assert_int_equal(a.naffected, 0);
	advisory_release(&a);
}

static void test_bad_syntax(void **state)
{
	(void)state;
	expect_fail_prefix("{\"id\":\"X\",\"modified\":\"", "line 1 column 22: premature end");
	expect_fail_prefix("", "line 1 column 0: ");
	expect_fail_prefix("{\"id\":\"X\",\"modified\":\"m\",\"id\":\"Y\"}",
			   "line 1 column 29: duplicate object key");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\"} {}",
		    "line 1 column 27: end of file expected near '{'");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\"}x",
		    "line 1 column 26: end of file expected near 'x'");
	/* jansson refuses \u0000 in strings by default. */
	expect_fail_prefix("{\"id\":\"X\\u0000Y\",\"modified\":\"m\"}", "line 1 column ");
	expect_fail_prefix("{\"id\":\"\xff\",\"modified\":\"m\"}", "line 1 column ");
	expect_fail("[]", "record: not a JSON object");
	/* Without JSON_DECODE_ANY jansson itself refuses a bare scalar. */
	expect_fail("\"x\"", "line 1 column 3: '[' or '{' expected near '\"x\"'");
}

static void test_bad_types(void **state)
{
	(void)state;
	expect_fail("{\"id\":1,\"modified\":\"m\"}", "record: id: missing or not a string");
	expect_fail("{\"modified\":\"m\"}", "record: id: missing or not a string");
	expect_fail("{\"id\":\"\",\"modified\":\"m\"}", "record: id: empty");
	expect_fail("{\"id\":\"X\"}", "X: modified: missing or not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"summary\":null}",
		    "X: summary: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"withdrawn\":true}",
		    "X: withdrawn: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"published\":[]}",
		    "X: published: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":{}}",
		    "X: affected: not an array");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{},3]}",
		    "X: affected[1]: not an object");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"aliases\":[\"a\",2]}",
		    "X: aliases[1]: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"upstream\":\"CVE-1\"}",
		    "X: upstream: not an array");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"related\":null}",
		    "X: related: not an array");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"related\":[\"a\",\"a\",{}]}",
		    "X: related[2]: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"package\":[]}]}",
		    "X: affected[0].package: not an object");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"package\":"
		    "{\"ecosystem\":\"E\"}}]}",
		    "X: affected[0].package.name: missing or not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"package\":"
		    "{\"ecosystem\":\"E\",\"name\":\"n\",\"purl\":5}}]}",
		    "X: affected[0].package.purl: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"versions\":[\"1\",null]}]}",
		    "X: affected[0].versions[1]: not a string");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"versions\":\"1\"}]}",
		    "X: affected[0].versions: not an array");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"ranges\":{}}]}",
		    "X: affected[0].ranges: not an array");
	expect_fail("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"ranges\":[[]]}]}",
		    "X: affected[0].ranges[0]: not an object");
}

#define RANGE_RECORD(range) \
	"{\"id\":\"DSA-123-1\",\"modified\":\"m\",\"affected\":[{},{},{\"ranges\":[" range "]}]}"
#define GOOD_RANGE "{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}"

static void test_bad_ranges(void **state)
{
	(void)state;
	expect_fail(RANGE_RECORD("{\"type\":\"FOO\",\"events\":[{\"introduced\":\"0\"}]}"),
		    "DSA-123-1: affected[2].ranges[0].type: unknown range type 'FOO'");
	expect_fail(RANGE_RECORD("{\"type\":\"ecosystem\",\"events\":[{\"introduced\":\"0\"}]}"),
		    "DSA-123-1: affected[2].ranges[0].type: unknown range type 'ecosystem'");
	expect_fail(RANGE_RECORD("{\"type\":\"\\u001b[31m\",\"events\":[]}"),
		    "DSA-123-1: affected[2].ranges[0].type: unknown range type '?[31m'");
	expect_fail(RANGE_RECORD("{\"events\":[{\"introduced\":\"0\"}]}"),
		    "DSA-123-1: affected[2].ranges[0].type: missing or not a string");
	expect_fail(RANGE_RECORD(GOOD_RANGE ",{\"type\":\"GIT\"}"),
		    "DSA-123-1: affected[2].ranges[1].events: missing");
	expect_fail(RANGE_RECORD(GOOD_RANGE ",{\"type\":\"GIT\",\"events\":[]}"),
		    "DSA-123-1: affected[2].ranges[1].events: empty: a range needs at least one event");
	expect_fail(RANGE_RECORD("{\"type\":\"GIT\",\"events\":{}}"),
		    "DSA-123-1: affected[2].ranges[0].events: not an array");
	expect_fail(RANGE_RECORD(GOOD_RANGE ",{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},"
			      "{\"fixed\":\"1\"},{\"fixed\":\"2\"},{\"introduced\":\"3\",\"fixed\":\"4\"}]}"),
		    "DSA-123-1: affected[2].ranges[1].events[3]: expected exactly one of "
		    "introduced, fixed, last_affected, limit");
	expect_fail(RANGE_RECORD("{\"type\":\"SEMVER\",\"events\":[{\"Introduced\":\"0\"}]}"),
		    "DSA-123-1: affected[2].ranges[0].events[0]: expected exactly one of "
		    "introduced, fixed, last_affected, limit");
	expect_fail(RANGE_RECORD("{\"type\":\"SEMVER\",\"events\":[{\"fixed\":1}]}"),
		    "DSA-123-1: affected[2].ranges[0].events[0].fixed: not a string");
	expect_fail(RANGE_RECORD("{\"type\":\"SEMVER\",\"events\":[\"fixed\"]}"),
		    "DSA-123-1: affected[2].ranges[0].events[0]: not an object");
}

/* A string of n copies of item separated by commas, wrapped in head/tail. */
static char *repeat(const char *head, const char *item, size_t n, const char *tail)
{
	struct buf b;
	struct err e;

	buf_init(&b, 64u << 20);
	assert_int_equal(buf_append(&b, head, strlen(head), &e), 0);
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_int_equal(buf_append(&b, ",", 1, &e), 0);
		assert_int_equal(buf_append(&b, item, strlen(item), &e), 0);
	}
	assert_int_equal(buf_append(&b, tail, strlen(tail), &e), 0);
	return b.data;
}

static void test_limits(void **state)
{
	struct advisory a;
	struct err e = { "" };
	char *json, *big;
	size_t len;

	(void)state;
	json = repeat("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[", "{}", 10000, "]}");
	assert_int_equal(parse_str(json, &a, NULL, &e), 0);
	assert_int_equal(a.naffected, 10000);
	advisory_release(&a);
	free(json);
	json = repeat("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[", "{}", 10001, "]}");
	expect_fail(json, "X: affected: 10001 entries, more than the limit of 10000");
	free(json);

	json = repeat("{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{\"ranges\":["
		      "{\"type\":\"GIT\",\"events\":[", "{\"fixed\":\"\"}", 100001, "]}]}]}");
	expect_fail(json, "X: affected[0].ranges[0].events: 100001 events, more than the "
		    "limit of 100000");
	free(json);

	/* 64 KiB strings are kept; one byte more is refused. */
	len = 64u << 10;
	big = malloc(len + 2);
	assert_non_null(big);
	memset(big, 'v', len + 1);
	big[len] = '\0';
	json = repeat("{\"id\":\"X\",\"modified\":\"m\",\"summary\":\"", big, 1, "\"}");
	assert_int_equal(parse_str(json, &a, NULL, &e), 0);
	assert_int_equal(strlen(a.summary), len);
	advisory_release(&a);
	free(json);
	big[len] = 'v';
	big[len + 1] = '\0';
	json = repeat("{\"id\":\"X\",\"modified\":\"m\",\"summary\":\"", big, 1, "\"}");
	expect_fail(json, "X: summary: string of 65537 bytes, longer than the limit of 65536");
	free(json);
	/* A long, hostile id is cut short in messages. */
	json = repeat("{\"id\":\"", big, 1, "\"}");
	expect_fail(json, "record: id: string of 65537 bytes, longer than the limit of 65536");
	free(json);
	free(big);
	json = repeat("{\"id\":\"", "0123456789012345678901234567890123456789"
		      "0123456789012345678901234567890123456789", 1, "\"}");
	expect_fail(json, "01234567890123456789012345678901234567890123...: modified: "
		    "missing or not a string");
	free(json);

	/* Records over OSV_RECORD_MAX are refused before parsing. */
	big = malloc(OSV_RECORD_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', OSV_RECORD_MAX + 1);
	expect_fail_len(big, OSV_RECORD_MAX + 1,
			"record: 16777217 bytes, more than the limit of 16777216", false);
	free(big);
}

/* jansson stops at 2048 levels: deeper is an error, shallower parses. */
static void test_nesting(void **state)
{
	struct advisory a;
	struct err e = { "" };
	char *canonical = NULL;
	char *json;
	size_t depth = 100000, len;

	(void)state;
	json = malloc(2 * depth + 64);
	assert_non_null(json);
	len = (size_t)snprintf(json, 64, "{\"id\":\"X\",\"modified\":\"m\",\"x\":");
	memset(json + len, '[', depth);
	memset(json + len + depth, ']', depth);
	json[len + 2 * depth] = '}';
	json[len + 2 * depth + 1] = '\0';
	expect_fail_prefix(json, "line 1 column 2077: maximum parsing depth reached");

	depth = 2000;
	memset(json + len, '[', depth);
	memset(json + len + depth, ']', depth);
	json[len + 2 * depth] = '}';
	json[len + 2 * depth + 1] = '\0';
	assert_int_equal(parse_str(json, &a, &canonical, &e), 0);
	assert_int_equal(strlen(canonical), 2 * depth + 30);
	advisory_release(&a);
	free(canonical);
	free(json);
}

/* osv_parse_json() sees trees jansson did not parse: NUL bytes, bad UTF-8. */
static void test_parse_json_tree(void **state)
{
	struct advisory a;
	struct err e = { "" };
	json_t *root;

	(void)state;
	root = json_pack("{s:s, s:s, s:s%}", "id", "X", "modified", "m", "summary", "a\0b",
			 (size_t)3);
	assert_non_null(root);
	assert_int_equal(osv_parse_json(root, &a, &e), ERR_INPUT);
	assert_string_equal(e.msg, "X: summary: string contains a NUL byte");
	json_decref(root);

	root = json_pack("{s:s, s:s, s:[s,o]}", "id", "X", "modified", "m", "aliases", "a",
			 json_string_nocheck("\xff\xfe"));
	assert_non_null(root);
	assert_int_equal(osv_parse_json(root, &a, &e), 0);
	assert_int_equal(a.naliases, 2);
	advisory_release(&a);
	json_decref(root);

	assert_int_equal(osv_parse_json(NULL, &a, &e), ERR_INPUT);
	assert_string_equal(e.msg, "record: not a JSON object");
}

/* ---- encode / decode ---- */

static void assert_affected_equal(const struct affected *x, const struct affected *y)
{
	assert_int_equal(x->nranges, y->nranges);
	for (size_t i = 0; i < x->nranges; i++) {
		assert_int_equal(x->ranges[i].type, y->ranges[i].type);
		assert_int_equal(x->ranges[i].nevents, y->ranges[i].nevents);
		for (size_t j = 0; j < x->ranges[i].nevents; j++) {
			assert_int_equal(x->ranges[i].events[j].kind, y->ranges[i].events[j].kind);
			assert_string_equal(x->ranges[i].events[j].version,
					    y->ranges[i].events[j].version);
			assert_int_equal(x->ranges[i].events[j].len,
					 strlen(y->ranges[i].events[j].version));
			assert_int_equal(y->ranges[i].events[j].len,
					 strlen(y->ranges[i].events[j].version));
		}
	}
	assert_int_equal(x->nversions, y->nversions);
	for (size_t i = 0; i < x->nversions; i++)
		assert_string_equal(x->versions[i], y->versions[i]);
}

static void test_encode_decode(void **state)
{
	const char *json =
		"{\"id\":\"X\",\"modified\":\"m\",\"affected\":[{"
		"\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"p\"},"
		"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.2\"}]},{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"last_affected\":\"1.4.0\"}]},{\"type\":\"GIT\",\"events\":["
		"{\"introduced\":\"abc\"},{\"limit\":\"d\\\"e\\u00e9\"}]}],"
		"\"versions\":[\"1.0\",\"1:2.0~rc1\"]},{}]}";
	const char *want =
		"{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.2\"}]},{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"last_affected\":\"1.4.0\"}]},{\"type\":\"GIT\",\"events\":["
		"{\"introduced\":\"abc\"},{\"limit\":\"d\\\"e\xc3\xa9\"}]}],"
		"\"versions\":[\"1.0\",\"1:2.0~rc1\"]}";
	struct advisory a;
	struct affected d, sentinel;
	struct err e = { "" };
	char *enc, *again;

	(void)state;
	assert_int_equal(parse_str(json, &a, NULL, &e), 0);
	enc = osv_affected_encode(&a.affected[0]);
	assert_non_null(enc);
	assert_string_equal(enc, want);
	assert_int_equal(osv_affected_decode(enc, &d, &e), 0);
	assert_null(d.ecosystem);
	assert_null(d.package);
	assert_affected_equal(&a.affected[0], &d);
	again = osv_affected_encode(&d);
	assert_string_equal(again, enc);
	affected_release(&d);
	free(again);
	free(enc);

	/* An empty entry: both keys written, both accepted missing. */
	enc = osv_affected_encode(&a.affected[1]);
	assert_string_equal(enc, "{\"ranges\":[],\"versions\":[]}");
	free(enc);
	assert_int_equal(osv_affected_decode("{}", &d, &e), 0);
	assert_int_equal(d.nranges + d.nversions, 0);
	affected_release(&d);
	assert_int_equal(osv_affected_decode("{\"versions\":[\"1\"],\"x\":0}", &d, &e), 0);
	assert_int_equal(d.nversions, 1);
	assert_string_equal(d.versions[0], "1");
	affected_release(&d);
	advisory_release(&a);

	/* Decode is as strict as the parser, and leaves *ret alone on failure. */
	memset(&d, 0x5a, sizeof(d));
	memcpy(&sentinel, &d, sizeof(d));
	assert_int_equal(osv_affected_decode("{\"ranges\":[{\"type\":\"FOO\",\"events\":"
					     "[{\"fixed\":\"1\"}]}]}", &d, &e), ERR_INPUT);
	assert_string_equal(e.msg, "stored affected entry: ranges[0].type: unknown range type 'FOO'");
	assert_int_equal(osv_affected_decode("{\"versions\":[\"1\",2]}", &d, &e), ERR_INPUT);
	assert_string_equal(e.msg, "stored affected entry: versions[1]: not a string");
	assert_int_equal(osv_affected_decode("[]", &d, &e), ERR_INPUT);
	assert_string_equal(e.msg, "stored affected entry: not a JSON object");
	assert_int_equal(osv_affected_decode("{\"ranges\":", &d, &e), ERR_INPUT);
	assert_true(!strncmp(e.msg, "stored affected entry: line 1 column 10: ", 41));
	assert_memory_equal(&d, &sentinel, sizeof(d));
}

/* ---- canonical JSON ---- */

static void test_canonical(void **state)
{
	const char *one = "{\"id\":\"X\",\"modified\":\"m\",\"n\":1.5,\"affected\":"
			  "[{\"package\":{\"name\":\"p\",\"ecosystem\":\"E\"}}],\"s\":\"\xc3\xa9/\"}";
	const char *two = "{\n  \"s\" : \"\\u00e9\\/\",\r\n  \"modified\": \"m\",\n"
			  "  \"affected\": [ { \"package\": { \"ecosystem\": \"E\",\n"
			  "    \"name\": \"p\" } } ],\t\"n\": 15e-1,\n  \"id\": \"\\u0058\"\n}\n";
	const char *three = "{\"id\":\"X\",\"modified\":\"m2\",\"n\":1.5,\"affected\":"
			    "[{\"package\":{\"name\":\"p\",\"ecosystem\":\"E\"}}],\"s\":\"\xc3\xa9/\"}";
	struct advisory a;
	struct err e = { "" };
	char *c1 = NULL, *c2 = NULL, *c3 = NULL;

	(void)state;
	assert_int_equal(parse_str(one, &a, &c1, &e), 0);
	advisory_release(&a);
	assert_int_equal(parse_str(two, &a, &c2, &e), 0);
	advisory_release(&a);
	assert_int_equal(parse_str(three, &a, &c3, &e), 0);
	advisory_release(&a);
	assert_string_equal(c1, "{\"affected\":[{\"package\":{\"ecosystem\":\"E\",\"name\":\"p\"}}],"
			    "\"id\":\"X\",\"modified\":\"m\",\"n\":1.5,\"s\":\"\xc3\xa9/\"}");
	assert_string_equal(c1, c2);
	assert_string_not_equal(c1, c3);
	free(c1);
	free(c2);
	free(c3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_record),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_parse_json_tree),
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_sample_fields),
		cmocka_unit_test(test_samples_all),
		cmocka_unit_test(test_debian12_all),
		cmocka_unit_test(test_almalinux_all),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_missing ? 77 : 0;
}
