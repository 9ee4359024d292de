/*
 * CISA KEV catalog parser; see kev.h.
 *
 * The catalog is small (about 1,400 entries, 1.3 MB), so it is decoded in
 * one piece with jansson and walked twice: once to validate every entry,
 * once to hand them to the callback. Two walks cost nothing next to the
 * decode and mean a bad entry at the end cannot leave the caller with half
 * a catalog applied.
 */
#include "feed/kev.h"

#include <string.h>

#include <jansson.h>

#include "core/cve.h"

/* How far kev_looks_like() reads. */
#define KEV_SNIFF_LEN 8192

static bool is_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static unsigned num(const char *s, size_t len)
{
	unsigned v = 0;

	for (size_t i = 0; i < len; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* "YYYY-MM-DD" naming a day that exists. */
static bool is_date(const char *s, size_t len)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-' || !is_digits(s, 4) ||
	    !is_digits(s + 5, 2) || !is_digits(s + 8, 2))
		return false;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	return true;
}

/*
 * Copies a display string into dst, cut at a UTF-8 character boundary when
 * it does not fit. Control characters become spaces, so that a hostile
 * catalog cannot put terminal escapes into what hfx prints later.
 */
static void copy_label(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = len;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[n] = '\0';
}

enum field_state { FIELD_OK, FIELD_MISSING, FIELD_NOT_STRING };

static enum field_state get_string(const json_t *obj, const char *key,
				   const char **ret, size_t *ret_len)
{
	const json_t *v = json_object_get(obj, key);

	if (!v)
		return FIELD_MISSING;
	if (!json_is_string(v))
		return FIELD_NOT_STRING;
	*ret = json_string_value(v);
	*ret_len = json_string_length(v);
	return FIELD_OK;
}

/* A required string field that must pass check(); copied into dst. */
static int get_checked(const json_t *obj, const char *key,
		       bool (*check)(const char *, size_t), const char *expected,
		       char *dst, size_t size, const char *fn, size_t idx,
		       struct err *e)
{
	const char *s = NULL;
	size_t len = 0;

	switch (get_string(obj, key, &s, &len)) {
	case FIELD_MISSING:
		return err_set(e, ERR_INPUT, "%s: vulnerabilities[%zu].%s: missing",
			       fn, idx, key);
	case FIELD_NOT_STRING:
		break;
	case FIELD_OK:
		if (check(s, len) && len < size) {
			memcpy(dst, s, len);
			dst[len] = '\0';
			return 0;
		}
		break;
	}
	return err_set(e, ERR_INPUT, "%s: vulnerabilities[%zu].%s: expected %s",
		       fn, idx, key, expected);
}

/* An optional display string; "" when absent. */
static int get_label(const json_t *obj, const char *key, char *dst, size_t size,
		     const char *fn, size_t idx, struct err *e)
{
	const char *s = NULL;
	size_t len = 0;

	switch (get_string(obj, key, &s, &len)) {
	case FIELD_MISSING:
		dst[0] = '\0';
		return 0;
	case FIELD_NOT_STRING:
		return err_set(e, ERR_INPUT, "%s: vulnerabilities[%zu].%s: expected a string",
			       fn, idx, key);
	case FIELD_OK:
		break;
	}
	copy_label(dst, size, s, len);
	return 0;
}

static int entry_from_json(const json_t *v, size_t idx, const char *fn,
			   struct kev_entry *ret, struct err *e)
{
	const char *s = NULL;
	size_t len = 0;
	int r;

	if (!json_is_object(v))
		return err_set(e, ERR_INPUT, "%s: vulnerabilities[%zu]: expected an object",
			       fn, idx);
	memset(ret, 0, sizeof(*ret));
	r = get_checked(v, "cveID", cve_id_valid, "a CVE id CVE-YYYY-NNNN", ret->cve,
			sizeof(ret->cve), fn, idx, e);
	if (!r)
		r = get_checked(v, "dateAdded", is_date, "a date YYYY-MM-DD",
				ret->date_added, sizeof(ret->date_added), fn, idx, e);
	if (!r)
		r = get_checked(v, "dueDate", is_date, "a date YYYY-MM-DD",
				ret->due_date, sizeof(ret->due_date), fn, idx, e);
	if (!r)
		r = get_label(v, "vendorProject", ret->vendor, sizeof(ret->vendor), fn, idx, e);
	if (!r)
		r = get_label(v, "product", ret->product, sizeof(ret->product), fn, idx, e);
	if (!r)
		r = get_label(v, "vulnerabilityName", ret->name, sizeof(ret->name), fn, idx, e);
	if (r)
		return r;
	switch (get_string(v, "knownRansomwareCampaignUse", &s, &len)) {
	case FIELD_MISSING:
		break;
	case FIELD_NOT_STRING:
		return err_set(e, ERR_INPUT,
			       "%s: vulnerabilities[%zu].knownRansomwareCampaignUse: expected a string",
			       fn, idx);
	case FIELD_OK:
		ret->ransomware = len == 5 && memcmp(s, "Known", 5) == 0;
		break;
	}
	return 0;
}

/* The top-level fields: the entry array, the version, the count. */
static int check_catalog(const json_t *root, const char *fn, const json_t **ret_vulns,
			 const char **ret_version, size_t *ret_version_len, struct err *e)
{
	const json_t *vulns, *count;
	const char *ver = NULL;
	size_t len = 0;

	if (!json_is_object(root))
		return err_set(e, ERR_INPUT, "%s: expected a JSON object (a KEV catalog)", fn);
	vulns = json_object_get(root, "vulnerabilities");
	if (!vulns)
		return err_set(e, ERR_INPUT, "%s: vulnerabilities: missing", fn);
	if (!json_is_array(vulns))
		return err_set(e, ERR_INPUT, "%s: vulnerabilities: expected an array", fn);
	switch (get_string(root, "catalogVersion", &ver, &len)) {
	case FIELD_MISSING:
		return err_set(e, ERR_INPUT, "%s: catalogVersion: missing", fn);
	case FIELD_NOT_STRING:
		return err_set(e, ERR_INPUT, "%s: catalogVersion: expected a string", fn);
	case FIELD_OK:
		/* It is stored and compared: cutting it would merge versions. */
		if (len == 0 || len > 31)
			return err_set(e, ERR_INPUT,
				       "%s: catalogVersion: expected 1 to 31 characters", fn);
		break;
	}
	/* Optional, but when present it catches a catalog cut short. */
	count = json_object_get(root, "count");
	if (count) {
		if (!json_is_integer(count))
			return err_set(e, ERR_INPUT, "%s: count: expected an integer", fn);
		if (json_integer_value(count) < 0 ||
		    (unsigned long long)json_integer_value(count) != json_array_size(vulns))
			return err_set(e, ERR_INPUT,
				       "%s: count: says %lld but vulnerabilities has %zu entries",
				       fn, (long long)json_integer_value(count),
				       json_array_size(vulns));
	}
	*ret_vulns = vulns;
	*ret_version = ver;
	*ret_version_len = len;
	return 0;
}

int kev_parse(const char *data, size_t len, const char *filename,
	      kev_entry_fn *cb, void *ctx, char ret_catalog_version[32],
	      struct err *e)
{
	const char *fn = filename ? filename : "KEV catalog";
	const json_t *vulns = NULL;
	const char *version = NULL;
	size_t version_len = 0;
	struct kev_entry entry;
	json_error_t jerr;
	json_t *root = NULL;
	size_t i;
	int r;

	if (len > KEV_INPUT_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB",
			       fn, KEV_INPUT_MAX >> 20);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		r = err_set(e, ERR_INPUT, "%s: line %d column %d: %s", fn, jerr.line,
			    jerr.column, jerr.text);
		goto out;
	}
	r = check_catalog(root, fn, &vulns, &version, &version_len, e);
	if (r)
		goto out;
	for (i = 0; i < json_array_size(vulns); i++) {
		r = entry_from_json(json_array_get(vulns, i), i, fn, &entry, e);
		if (r)
			goto out;
	}
	for (i = 0; i < json_array_size(vulns); i++) {
		r = entry_from_json(json_array_get(vulns, i), i, fn, &entry, e);
		if (!r)
			r = cb(&entry, ctx, e);
		if (r)
			goto out;
	}
	if (ret_catalog_version)
		copy_label(ret_catalog_version, 32, version, version_len);
out:
	json_decref(root);
	return r;
}

bool kev_looks_like(const char *data, size_t len)
{
	size_t n = len < KEV_SNIFF_LEN ? len : KEV_SNIFF_LEN;
	size_t i = 0;

	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
			 data[i] == '\n'))
		i++;
	if (i >= n || data[i] != '{')
		return false;
	return memmem(data, n, "\"cveID\"", 7) &&
	       (memmem(data, n, "\"catalogVersion\"", 16) ||
		memmem(data, n, "\"vulnerabilities\"", 17));
}
