/*
 * Tests for the KEV catalog parser: the real catalog from the shared data,
 * checked against its own "count" and against the CSV edition of the same
 * catalog, and small inline catalogs for every kind of bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"
#include "feed/kev.h"
#include "testutil.h"

static bool data_skipped;

struct collect {
	size_t n, cap;
	struct kev_entry *entries;
	size_t fail_at; /* return ERR_DB at this entry (1-based), 0 = never */
};

static int collect_entry(const struct kev_entry *entry, void *ctx, struct err *e)
{
	struct collect *c = ctx;

	if (c->fail_at && c->n + 1 == c->fail_at)
		return err_set(e, ERR_DB, "callback says no");
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->entries = realloc(c->entries, c->cap * sizeof(*c->entries));
		assert_non_null(c->entries);
	}
	c->entries[c->n++] = *entry;
	return 0;
}

/*
 * Splits the CSV edition into records and fields (RFC 4180 quoting:
 * fields may hold commas, doubled quotes and newlines). Calls fn for each
 * record with up to 12 fields, copied into bounded buffers.
 */
struct csv_record {
	size_t nfields;
	char field[12][512];
};

static size_t csv_records(const char *s, size_t len,
			  void (*fn)(const struct csv_record *rec, size_t idx, void *ctx),
			  void *ctx)
{
	static struct csv_record rec;
	size_t i = 0, nrec = 0, flen = 0;
	bool quoted = false;

	memset(&rec, 0, sizeof(rec));
	while (i < len) {
		char c = s[i++];

		if (quoted) {
			if (c == '"' && i < len && s[i] == '"')
				i++;
			else if (c == '"') {
				quoted = false;
				continue;
			}
		} else if (c == '"') {
			quoted = true;
			continue;
		} else if (c == ',' || c == '\n') {
			rec.nfields++;
			flen = 0;
			if (c == '\n') {
				fn(&rec, nrec++, ctx);
				memset(&rec, 0, sizeof(rec));
			}
			continue;
		} else if (c == '\r') {
			continue;
		}
		if (rec.nfields < 12 && flen + 1 < sizeof(rec.field[0]))
			rec.field[rec.nfields][flen++] = c;
	}
	assert_false(quoted);
	if (flen > 0 || rec.nfields > 0) {
		rec.nfields++;
		fn(&rec, nrec++, ctx);
	}
	return nrec;
}

/* Record 0 is the header; record i is entry i - 1 of the JSON edition. */
static void check_csv_record(const struct csv_record *rec, size_t idx, void *ctx)
{
	const struct collect *c = ctx;
	const struct kev_entry *k;

	if (idx == 0) {
		assert_string_equal(rec->field[0], "cveID");
		assert_string_equal(rec->field[4], "dateAdded");
		assert_string_equal(rec->field[7], "dueDate");
		assert_string_equal(rec->field[8], "knownRansomwareCampaignUse");
		return;
	}
	assert_true(idx <= c->n);
	k = &c->entries[idx - 1];
	assert_string_equal(k->cve, rec->field[0]);
	assert_string_equal(k->date_added, rec->field[4]);
	assert_string_equal(k->due_date, rec->field[7]);
	assert_int_equal(k->ransomware, strcmp(rec->field[8], "Known") == 0);
	assert_int_equal(strncmp(k->vendor, rec->field[1], sizeof(k->vendor) - 1), 0);
}

static void test_real_catalog(void **state)
{
	const char *path = shared_path("kev/known_exploited_vulnerabilities.json");
	struct collect c = { 0 };
	struct buf json, csv;
	struct err e = { "" };
	char version[32] = "";
	json_t *root;
	size_t nrec, ransomware = 0;
	const struct kev_entry *log4j = NULL, *snapdragon = NULL;

	(void)state;
	if (!path) {
		data_skipped = true;
		skip();
	}
	buf_init(&json, 64u << 20);
	buf_init(&csv, 64u << 20);
	assert_int_equal(buf_read_file(&json, path, &e), 0);
	if (kev_parse(json.data, json.len, "known_exploited_vulnerabilities.json",
		      collect_entry, &c, version, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(version, "2025.08.25");
	assert_true(kev_looks_like(json.data, json.len));

	/* The catalog's own count, read independently. */
	root = json_loadb(json.data, json.len, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "count")), 1404);
	json_decref(root);
	assert_int_equal(c.n, 1404);

	/* The CSV edition: same entries, same order, same dates. */
	path = shared_path("kev/known_exploited_vulnerabilities.csv");
	assert_non_null(path);
	assert_int_equal(buf_read_file(&csv, path, &e), 0);
	nrec = csv_records(csv.data, csv.len, check_csv_record, &c);
	assert_int_equal(nrec - 1, c.n);
	assert_false(kev_looks_like(csv.data, csv.len));

	for (size_t i = 0; i < c.n; i++) {
		ransomware += c.entries[i].ransomware;
		if (strcmp(c.entries[i].cve, "CVE-2021-44228") == 0)
			log4j = &c.entries[i];
		if (strcmp(c.entries[i].cve, "CVE-2020-11261") == 0)
			snapdragon = &c.entries[i];
	}
	assert_int_equal(ransomware, 293);
	assert_non_null(log4j);
	assert_string_equal(log4j->vendor, "Apache");
	assert_string_equal(log4j->product, "Log4j2");
	assert_string_equal(log4j->name, "Apache Log4j2 Remote Code Execution Vulnerability");
	assert_string_equal(log4j->date_added, "2021-12-10");
	assert_string_equal(log4j->due_date, "2021-12-24");
	assert_true(log4j->ransomware);
	/* Its product is 179 bytes: cut to the field, not rejected. */
	assert_non_null(snapdragon);
	assert_int_equal(strlen(snapdragon->product), sizeof(snapdragon->product) - 1);
	assert_int_equal(strncmp(snapdragon->product, "Snapdragon Auto, Snapdragon Compute", 35), 0);

	free(c.entries);
	buf_release(&json);
	buf_release(&csv);
}

#define ENTRY(cve, added, due) \
	"{\"cveID\":\"" cve "\",\"vendorProject\":\"V\",\"product\":\"P\"," \
	"\"vulnerabilityName\":\"N\",\"dateAdded\":\"" added "\",\"dueDate\":\"" due "\"," \
	"\"knownRansomwareCampaignUse\":\"Unknown\",\"notes\":\"\",\"cwes\":[\"CWE-20\"]}"
#define CATALOG(entries) \
	"{\"catalogVersion\":\"2025.08.25\",\"count\":1,\"vulnerabilities\":[" entries "]}"
#define CATALOG_NOCOUNT(entries) \
	"{\"catalogVersion\":\"2025.08.25\",\"vulnerabilities\":[" entries "]}"

static int parse_str(const char *text, struct collect *c, char version[32], struct err *e)
{
	return kev_parse(text, strlen(text), "t.json", collect_entry, c, version, e);
}

static void test_small_catalog(void **state)
{
	struct collect c = { 0 };
	struct err e = { "" };
	char version[32] = "";

	(void)state;
	assert_int_equal(parse_str(CATALOG_NOCOUNT(
		ENTRY("CVE-2024-12345678", "2024-02-29", "2000-02-29") ","
		"{\"cveID\":\"CVE-1999-0001\",\"dateAdded\":\"2021-01-01\",\"dueDate\":\"2021-12-31\","
		"\"vendorProject\":\"Ev\\u001b[2Jil\",\"knownRansomwareCampaignUse\":\"Known\","
		"\"future\":{\"x\":[1,2]}},"
		"{\"cveID\":\"CVE-1999-0002\",\"dateAdded\":\"2021-01-01\",\"dueDate\":\"2021-12-31\","
		"\"knownRansomwareCampaignUse\":\"known\"}"), &c, version, &e), 0);
	assert_string_equal(version, "2025.08.25");
	assert_int_equal(c.n, 3);
	assert_false(c.entries[2].ransomware); /* only the exact "Known" counts */
	assert_string_equal(c.entries[0].cve, "CVE-2024-12345678");
	assert_string_equal(c.entries[0].vendor, "V");
	assert_string_equal(c.entries[0].product, "P");
	assert_string_equal(c.entries[0].name, "N");
	assert_false(c.entries[0].ransomware);
	/* Optional labels may be absent; control characters become spaces. */
	assert_string_equal(c.entries[1].vendor, "Ev [2Jil");
	assert_string_equal(c.entries[1].product, "");
	assert_true(c.entries[1].ransomware);
	free(c.entries);
}

/* A label longer than its field is cut at a character boundary. */
static void test_label_cut_utf8(void **state)
{
	struct collect c = { 0 };
	struct err e = { "" };
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 16);
	assert_int_equal(buf_appendf(&b, &e, "{\"catalogVersion\":\"1\",\"vulnerabilities\":["
				     "{\"cveID\":\"CVE-2020-0001\",\"dateAdded\":\"2020-01-01\","
				     "\"dueDate\":\"2020-01-02\",\"product\":\""), 0);
	for (int i = 0; i < 100; i++) /* 200 bytes: byte 127 is inside an 'é' */
		assert_int_equal(buf_appendf(&b, &e, "\xC3\xA9"), 0);
	assert_int_equal(buf_appendf(&b, &e, "\"}]}"), 0);
	assert_int_equal(kev_parse(b.data, b.len, "t.json", collect_entry, &c, NULL, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(strlen(c.entries[0].product), 2 * 63);
	assert_int_equal(memcmp(c.entries[0].product + 124, "\xC3\xA9", 2), 0);
	free(c.entries);
	buf_release(&b);
}

static void expect_bad(const char *text, const char *want)
{
	struct collect c = { 0 };
	struct err e = { "" };
	char version[32] = "untouched";
	int r = parse_str(text, &c, version, &e);

	if (r != ERR_INPUT || !strstr(e.msg, want))
		fail_msg("input %.80s: got %d '%s', want ERR_INPUT with '%s'", text, r, e.msg, want);
	assert_int_equal(strncmp(e.msg, "t.json: ", 8), 0);
	assert_int_equal(c.n, 0); /* nothing handed over from a bad catalog */
	assert_string_equal(version, "untouched");
	free(c.entries);
}

static void test_bad_inputs(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "line 1 column 0: '[' or '{' expected" },
		{ "{\"vulnerabilities\": [", "line 1 column" },
		{ "[]", "expected a JSON object" },
		{ "{\"catalogVersion\":\"1\"}", "t.json: vulnerabilities: missing" },
		{ "{\"catalogVersion\":\"1\",\"vulnerabilities\":{}}", "vulnerabilities: expected an array" },
		{ "{\"vulnerabilities\":[]}", "catalogVersion: missing" },
		{ "{\"catalogVersion\":2025,\"vulnerabilities\":[]}", "catalogVersion: expected a string" },
		{ "{\"catalogVersion\":\"\",\"vulnerabilities\":[]}", "catalogVersion: expected 1 to 31" },
		{ "{\"catalogVersion\":\"12345678901234567890123456789012\",\"vulnerabilities\":[]}",
		  "catalogVersion: expected 1 to 31" },
		{ "{\"catalogVersion\":\"1\",\"catalogVersion\":\"2\",\"vulnerabilities\":[]}",
		  "duplicate object key" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2024-01-01", "2024-01-02") ","
			  ENTRY("CVE-2024-1235", "2024-01-01", "2024-01-02")),
		  "count: says 1 but vulnerabilities has 2 entries" },
		{ "{\"catalogVersion\":\"1\",\"count\":\"1\",\"vulnerabilities\":[]}",
		  "count: expected an integer" },
		{ CATALOG_NOCOUNT("[]"), "vulnerabilities[0]: expected an object" },
		{ CATALOG(ENTRY("CVE-24-1234", "2024-01-01", "2024-01-02")),
		  "vulnerabilities[0].cveID: expected a CVE id" },
		{ CATALOG(ENTRY("CVE-2024-123", "2024-01-01", "2024-01-02")), "[0].cveID: expected" },
		{ CATALOG(ENTRY("CVE-2024-12345678901234567890", "2024-01-01", "2024-01-02")),
		  "[0].cveID: expected" },
		{ CATALOG(ENTRY("cve-2024-1234", "2024-01-01", "2024-01-02")), "[0].cveID: expected" },
		{ CATALOG_NOCOUNT("{\"dateAdded\":\"2024-01-01\",\"dueDate\":\"2024-01-02\"}"),
		  "vulnerabilities[0].cveID: missing" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2024-02-30", "2024-03-01")),
		  "vulnerabilities[0].dateAdded: expected a date YYYY-MM-DD" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2023-02-29", "2024-03-01")), "[0].dateAdded: expected" },
		{ CATALOG(ENTRY("CVE-2024-1234", "1900-02-29", "2024-03-01")), "[0].dateAdded: expected" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2024-1-01", "2024-03-01")), "[0].dateAdded: expected" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2024-01-01T00:00:00Z", "2024-03-01")),
		  "[0].dateAdded: expected" },
		{ CATALOG(ENTRY("CVE-2024-1234", "2024-01-01", "2024-13-01")),
		  "vulnerabilities[0].dueDate: expected a date YYYY-MM-DD" },
		{ CATALOG_NOCOUNT("{\"cveID\":\"CVE-2024-1234\",\"dateAdded\":\"2024-01-01\"}"),
		  "vulnerabilities[0].dueDate: missing" },
		{ CATALOG_NOCOUNT("{\"cveID\":\"CVE-2024-1234\",\"dateAdded\":\"2024-01-01\","
				  "\"dueDate\":\"2024-01-01\",\"product\":[]}"),
		  "vulnerabilities[0].product: expected a string" },
		{ CATALOG_NOCOUNT("{\"cveID\":\"CVE-2024-1234\",\"dateAdded\":\"2024-01-01\","
				  "\"dueDate\":\"2024-01-01\",\"knownRansomwareCampaignUse\":true}"),
		  "vulnerabilities[0].knownRansomwareCampaignUse: expected a string" },
		{ CATALOG_NOCOUNT("{\"cveID\":\"CVE-2024-1234\\u0000\",\"dateAdded\":\"2024-01-01\","
				  "\"dueDate\":\"2024-01-01\"}"),
		  "\\u0000 is not allowed" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_bad(cases[i].text, cases[i].want);
}

/* The message names the exact entry, and no entry before it is handed over. */
static void test_error_names_entry(void **state)
{
	struct collect c = { 0 };
	struct err e = { "" };
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_appendf(&b, &e, "{\"catalogVersion\":\"1\",\"vulnerabilities\":["), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(buf_appendf(&b, &e, ENTRY("CVE-2024-%04d", "2024-01-01",
							   "2024-01-02") ",", 1000 + i), 0);
	assert_int_equal(buf_appendf(&b, &e, "{\"cveID\":\"CVE-2024-9999\",\"dateAdded\":"
				     "\"2024-01-01\",\"dueDate\":20240102}]}"), 0);
	assert_int_equal(kev_parse(b.data, b.len, "kev.json", collect_entry, &c, NULL, &e),
			 ERR_INPUT);
	assert_string_equal(e.msg, "kev.json: vulnerabilities[12].dueDate: expected a date YYYY-MM-DD");
	assert_int_equal(c.n, 0);
	buf_release(&b);
}

static void test_callback_error_stops(void **state)
{
	struct collect c = { .fail_at = 2 };
	struct err e = { "" };
	char version[32] = "untouched";

	(void)state;
	assert_int_equal(parse_str(CATALOG_NOCOUNT(
		ENTRY("CVE-2024-1234", "2024-01-01", "2024-01-02") ","
		ENTRY("CVE-2024-1235", "2024-01-01", "2024-01-02") ","
		ENTRY("CVE-2024-1236", "2024-01-01", "2024-01-02")), &c, version, &e), ERR_DB);
	assert_string_equal(e.msg, "callback says no");
	assert_int_equal(c.n, 1);
	assert_string_equal(version, "untouched");
	free(c.entries);
}

static void test_size_limit(void **state)
{
	struct err e = { "" };
	static const char small[] = "{}";

	(void)state;
	/* The length is checked before the data is read. */
	assert_int_equal(kev_parse(small, (size_t)KEV_INPUT_MAX + 1, "big.json", collect_entry,
				   NULL, NULL, &e), ERR_NOMEM);
	assert_string_equal(e.msg, "big.json: larger than the limit of 64 MiB");
}

static void test_looks_like(void **state)
{
	static const char kev[] = CATALOG(ENTRY("CVE-2024-1234", "2024-01-01", "2024-01-02"));
	static const char osv[] = "{\"id\":\"DSA-1\",\"aliases\":[\"CVE-2024-1234\"],"
				  "\"affected\":[]}";

	(void)state;
	assert_true(kev_looks_like(kev, strlen(kev)));
	assert_true(kev_looks_like("\xEF\xBB\xBF\n {\"vulnerabilities\":[{\"cveID\":1}]}", 39));
	assert_false(kev_looks_like(osv, strlen(osv)));
	assert_false(kev_looks_like("{\"catalogVersion\":\"1\"}", 22));
	assert_false(kev_looks_like("cveID,catalogVersion\n", 21));
	assert_false(kev_looks_like("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_catalog),
		cmocka_unit_test(test_label_cut_utf8),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_error_names_entry),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_real_catalog),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		return 1;
	return data_skipped ? 77 : 0;
}
