/*
 * Tests for the EPSS CSV parser: the real daily file from the shared data
 * (gzipped; decompressed here with libarchive and fed in awkward chunks),
 * and small inline files for every kind of bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>

#include "feed/epss.h"
#include "testutil.h"

static bool data_skipped;

struct collect {
	size_t n;
	struct epss_row rows[8];
	int fail_at; /* return ERR_DB from this row (1-based), 0 = never */
};

static int collect_row(const struct epss_row *row, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	if (c->fail_at && (int)c->n + 1 == c->fail_at)
		return err_set(e, ERR_DB, "callback says no");
	if (c->n < 8)
		c->rows[c->n] = *row;
	c->n++;
	return 0;
}

/* Parses text fed in chunks of `chunk` bytes (0: all at once). */
static int parse_text(const char *text, size_t len, size_t chunk, struct epss_parser *p,
		      struct collect *c, struct err *e)
{
	size_t off = 0, n;
	int r;

	epss_parser_init(p, "t.csv", collect_row, c);
	while (off < len) {
		n = chunk && len - off > chunk ? chunk : len - off;
		r = epss_parser_feed(p, text + off, n, e);
		if (r)
			return r;
		off += n;
	}
	return epss_parser_finish(p, e);
}

static int parse_str(const char *text, struct epss_parser *p, struct collect *c,
		     struct err *e)
{
	return parse_text(text, strlen(text), 0, p, c, e);
}

static const char good[] =
	"#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\r\n"
	"cve,epss,percentile\r\n"
	"CVE-2025-1234,0.00043,0.12345\r\n"
	"CVE-1999-0001,1,0\r\n"
	"CVE-2024-1234567,1e-05,0.999990000"; /* no final line ending */

static void check_good(const struct epss_parser *p, const struct collect *c)
{
	assert_int_equal(c->n, 3);
	assert_int_equal(p->rows, 3);
	assert_string_equal(p->model_version, "v2025.03.14");
	assert_string_equal(p->score_date, "2025-08-25T00:00:00+0000");
	assert_string_equal(c->rows[0].cve, "CVE-2025-1234");
	assert_true(c->rows[0].epss == 0.00043);
	assert_true(c->rows[0].percentile == 0.12345);
	assert_int_equal(c->rows[0].line, 3);
	assert_true(c->rows[1].epss == 1.0 && c->rows[1].percentile == 0.0);
	assert_string_equal(c->rows[2].cve, "CVE-2024-1234567");
	assert_true(c->rows[2].epss == 1e-05);
	assert_int_equal(c->rows[2].line, 5);
}

/* The same rows whatever the chunking, CRLF pairs split included. */
static void test_good_any_chunking(void **state)
{
	struct epss_parser p;
	struct collect c;
	struct err e = { "" };
	size_t len = strlen(good);

	(void)state;
	for (size_t chunk = 0; chunk <= len; chunk++) {
		memset(&c, 0, sizeof(c));
		assert_int_equal(parse_text(good, len, chunk, &p, &c, &e), 0);
		check_good(&p, &c);
	}
	/* Every split into two pieces. */
	for (size_t cut = 0; cut <= len; cut++) {
		memset(&c, 0, sizeof(c));
		epss_parser_init(&p, "t.csv", collect_row, &c);
		assert_int_equal(epss_parser_feed(&p, good, cut, &e), 0);
		assert_int_equal(epss_parser_feed(&p, good + cut, len - cut, &e), 0);
		assert_int_equal(epss_parser_finish(&p, &e), 0);
		check_good(&p, &c);
	}
}

static void test_no_metadata_line(void **state)
{
	struct epss_parser p;
	struct collect c = { 0 };
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_str("cve,epss,percentile\nCVE-2025-0001,0.5,0.5\n\n", &p, &c, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.rows[0].line, 2);
	assert_string_equal(p.model_version, "");
	assert_string_equal(p.score_date, "");
}

/* Asserts that text fails with ERR_INPUT and a message containing each want. */
static void expect_bad(const char *text, size_t chunk, const char *want1, const char *want2)
{
	struct epss_parser p;
	struct collect c = { 0 };
	struct err e = { "" };
	int r = parse_text(text, strlen(text), chunk, &p, &c, &e);

	if (r != ERR_INPUT || !strstr(e.msg, want1) || (want2 && !strstr(e.msg, want2)))
		fail_msg("input %.60s...: got %d '%s', want ERR_INPUT with '%s' '%s'",
			 text, r, e.msg, want1, want2 ? want2 : "");
	assert_int_equal(strncmp(e.msg, "t.csv: ", 7), 0);
}

#define HDR "#model_version:v1,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\n"

static void test_bad_inputs(void **state)
{
	static const struct {
		const char *text, *want1, *want2;
	} cases[] = {
		{ "cve,percentile,epss\nCVE-2025-0001,0.5,0.5\n", "line 1: expected the header", NULL },
		{ "#model_version:v1\ncve,epss\n", "line 2: expected the header", NULL },
		{ "#model_version:v1\n#again\ncve,epss,percentile\n", "line 2: expected the header", NULL },
		{ HDR "CVE-2025-0001,0.5,0.5\nCVE-25-1,0.5,0.5\n", "line 4: field 'cve'", "CVE-25-1" },
		{ HDR "cve-2025-0001,0.5,0.5\n", "line 3: field 'cve'", NULL },
		{ HDR "CVE-2025-001,0.5,0.5\n", "line 3: field 'cve'", NULL },
		{ HDR "CVE-2025-0001,1.5,0.5\n", "line 3: field 'epss'", "'1.5'" },
		{ HDR "CVE-2025-0001,-0.1,0.5\n", "line 3: field 'epss'", NULL },
		{ HDR "CVE-2025-0001,abc,0.5\n", "line 3: field 'epss'", "'abc'" },
		{ HDR "CVE-2025-0001,0x1p-1,0.5\n", "line 3: field 'epss'", NULL },
		{ HDR "CVE-2025-0001,nan,0.5\n", "line 3: field 'epss'", NULL },
		{ HDR "CVE-2025-0001, 0.5,0.5\n", "line 3: field 'epss'", NULL },
		{ HDR "CVE-2025-0001,0.5.1,0.5\n", "line 3: field 'epss'", NULL },
		{ HDR "CVE-2025-0001,,0.5\n", "line 3: field 'epss': empty", NULL },
		{ HDR "CVE-2025-0001,0.5,2\n", "line 3: field 'percentile'", NULL },
		{ HDR "CVE-2025-0001,0.5\n", "line 3: field 'percentile': missing", NULL },
		{ HDR "CVE-2025-0001\n", "line 3: field 'epss': missing", NULL },
		{ HDR "CVE-2025-0001,0.5,0.5,0.5\n", "line 3: more than 3 fields", NULL },
		{ HDR "CVE-2025-0001,0.5,0.5\r\r\n", "line 3: field 'percentile'", NULL },
		{ "#model_version:,score_date:x\ncve,epss,percentile\n", "line 1: model_version", NULL },
		{ "", "no header", NULL },
		{ "#model_version:v1\n", "no header", NULL },
		{ "\xEF\xBB\xBF" "cve,epss,percentile\nCVE-2025-0001,0.5,0.5\x1b[2J\n",
		  "line 2: field 'percentile'", "'0.5?[2J'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_bad(cases[i].text, 0, cases[i].want1, cases[i].want2);
		expect_bad(cases[i].text, 1, cases[i].want1, cases[i].want2);
		expect_bad(cases[i].text, 5, cases[i].want1, cases[i].want2);
	}
}

/* Lines up to EPSS_LINE_MAX bytes (plus CRLF) pass; one more byte fails. */
static void test_line_limit(void **state)
{
	static char text[3 * EPSS_LINE_MAX];
	size_t meta = EPSS_LINE_MAX - 1; /* '#' + filler */
	size_t chunks[] = { 0, 1, 7, 4093, EPSS_LINE_MAX + 1 };

	(void)state;
	for (size_t extra = 0; extra <= 1; extra++) {
		for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			struct epss_parser p;
			struct collect c = { 0 };
			struct err e = { "" };
			size_t len;
			int r;

			text[0] = '#';
			memset(text + 1, 'x', meta + extra);
			len = 1 + meta + extra;
			memcpy(text + len, "\r\ncve,epss,percentile\r\nCVE-2025-0001,0.5,0.5\r\n", 46);
			len += 46;
			r = parse_text(text, len, chunks[k], &p, &c, &e);
			if (!extra) {
				assert_int_equal(r, 0);
				assert_int_equal(c.n, 1);
				assert_int_equal(c.rows[0].line, 3);
			} else {
				assert_int_equal(r, ERR_INPUT);
				assert_non_null(strstr(e.msg, "line 1: longer than 4096 bytes"));
			}
		}
	}
	/* A long row, and a long line with no line ending at all. */
	memset(text, '1', 5000);
	memcpy(text, HDR "CVE-2025-0001,0.", strlen(HDR "CVE-2025-0001,0."));
	text[5000] = '\0';
	expect_bad(text, 0, "line 3: longer than 4096 bytes", NULL);
	expect_bad(text, 3, "line 3: longer than 4096 bytes", NULL);
	memset(text, 'x', 2 * EPSS_LINE_MAX);
	text[2 * EPSS_LINE_MAX] = '\0';
	expect_bad(text, 0, "line 1: longer than 4096 bytes", NULL);
}

static void test_callback_error_stops(void **state)
{
	struct epss_parser p;
	struct collect c = { .fail_at = 2 };
	struct err e = { "" };

	(void)state;
	assert_int_equal(parse_str(good, &p, &c, &e), ERR_DB);
	assert_string_equal(e.msg, "callback says no");
	assert_int_equal(c.n, 1);
	assert_int_equal(p.rows, 1);
	/* A stopped parser refuses more input rather than resyncing mid-file. */
	assert_int_equal(epss_parser_feed(&p, "x", 1, &e), ERR_STATE);
	assert_int_equal(epss_parser_finish(&p, &e), ERR_STATE);
}

static void test_looks_like(void **state)
{
	(void)state;
	assert_true(epss_looks_like(good, strlen(good)));
	assert_true(epss_looks_like("cve,epss,percentile\n", 20));
	assert_true(epss_looks_like("cve,epss,percentile", 19));
	assert_true(epss_looks_like("#other\ncve,epss,percentile\r\nCVE", 31));
	assert_false(epss_looks_like("cve,epss,percentiles\n", 21));
	assert_false(epss_looks_like("{\"catalogVersion\": \"1\"}", 23));
	assert_false(epss_looks_like("", 0));
	assert_false(epss_looks_like("#model_version", 14));
}

struct real_ctx {
	size_t n;
	struct epss_row log4j, last;
};

static int real_row(const struct epss_row *row, void *vctx, struct err *e)
{
	struct real_ctx *ctx = vctx;

	(void)e;
	ctx->n++;
	if (strcmp(row->cve, "CVE-2021-44228") == 0)
		ctx->log4j = *row;
	ctx->last = *row;
	return 0;
}

/* Decompresses a .gz with libarchive, feeding chunks of varying size. */
static void test_real_file(void **state)
{
	static const size_t sizes[] = { 7, 1, 2, 13, 4093, 65536, 3, 100000 };
	const char *path = shared_path("epss/epss_scores-2026-08-16.csv.gz");
	struct archive *a = NULL;
	struct archive_entry *ae;
	struct epss_parser p;
	struct err e = { "" };
	static char chunk[100000];
	struct real_ctx ctx = { 0 };
	size_t k = 0;
	la_ssize_t n;

	(void)state;
	if (!path) {
		data_skipped = true;
		skip();
	}
	a = archive_read_new();
	assert_non_null(a);
	assert_int_equal(archive_read_support_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_read_support_format_raw(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &ae), ARCHIVE_OK);
	epss_parser_init(&p, "epss_scores-2026-08-16.csv", real_row, &ctx);
	while ((n = archive_read_data(a, chunk, sizes[k++ % 8])) > 0)
		if (epss_parser_feed(&p, chunk, (size_t)n, &e))
			fail_msg("%s", e.msg);
	assert_int_equal(n, 0);
	if (epss_parser_finish(&p, &e))
		fail_msg("%s", e.msg);
	archive_read_free(a);

	/* zcat | wc -l gives 360144: the metadata line, the header, the rows. */
	assert_int_equal(ctx.n, 360142);
	assert_int_equal(p.rows, 360142);
	assert_string_equal(p.model_version, "unknown");
	assert_string_equal(p.score_date, "2026-08-16T00:00:00+0000");
	assert_int_equal(ctx.log4j.line, 174447);
	assert_string_equal(ctx.log4j.cve, "CVE-2021-44228");
	assert_true(ctx.log4j.epss == 0.99999);
	assert_true(ctx.log4j.percentile == 1.0);
	assert_string_equal(ctx.last.cve, "CVE-2026-9999");
	assert_true(ctx.last.epss == 0.00225);
	assert_true(ctx.last.percentile == 0.13466);
	assert_int_equal(ctx.last.line, 360144);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_any_chunking),
		cmocka_unit_test(test_no_metadata_line),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_real_file),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
