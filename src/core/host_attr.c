/* Host attributes: the key table and validation; see host_attr.h. */
#include "core/host_attr.h"

#include <stdlib.h>
#include <string.h>

#include "base/show.h"
#include "core/window.h"

static const struct host_attr_info attrs_table[HOST_ATTR_N] = {
	[HOST_ATTR_EXPOSURE] = { "exposure", "internet|dmz|internal|isolated",
		"who can reach the host; unset counts as the policy's default-exposure "
		"(internet)" },
	[HOST_ATTR_CRITICALITY] = { "criticality", "low|medium|high|critical",
		"what its loss would cost; unset counts as the policy's default-criticality "
		"(medium)" },
	[HOST_ATTR_GROUP] = { "group", "NAME",
		"the policy group whose overrides apply (letters, digits, '.', '_', '-')" },
	[HOST_ATTR_RING] = { "ring", "NAME", "the rollout ring, e.g. test, pilot, broad" },
	[HOST_ATTR_TAGS] = { "tags", "KEY[=VALUE],...",
		"free labels for decisions' scopes, e.g. pci,role=db" },
	[HOST_ATTR_WINDOW] = { "window", "DAYS HH:MM-HH:MM,...",
		"recurring weekly maintenance windows, e.g. 'sat 02:00-06:00' (docs/WINDOWS.md); "
		"none: fixes are planned only as emergencies" },
	[HOST_ATTR_TZ] = { "tz", "ZONE",
		"the IANA time zone of the windows, e.g. Europe/Berlin (default UTC)" },
	[HOST_ATTR_TRANSPORT] = { "transport", "local|chroot:DIR|ssh:[USER@]HOST[:PORT]",
		"how hfx deploy reaches the host (default: ssh:NAME, the host's own name)" },
};

static const char *const exposure_words[] = { "internet", "dmz", "internal", "isolated", NULL };
static const char *const criticality_words[] = { "low", "medium", "high", "critical", NULL };

const struct host_attr_info *host_attr_info(enum host_attr a)
{
	return (unsigned)a < HOST_ATTR_N ? &attrs_table[a] : NULL;
}

int host_attr_lookup(const char *name, size_t len)
{
	for (int i = 0; i < HOST_ATTR_N; i++)
		if (strlen(attrs_table[i].name) == len && !memcmp(attrs_table[i].name, name, len))
			return i;
	return -1;
}

static bool is_word(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && !memcmp(*words, s, len))
			return true;
	return false;
}

static bool is_name(const char *s, size_t len)
{
	if (!len || len > HOST_ATTR_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-",
			    s[i]) || !s[i])
			return false;
	return true;
}

struct tag {
	const char *s;
	size_t len, key_len;
};

static int tag_cmp(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* Splits, checks and sorts "b=2,a" into "a,b=2"; out has room for len + 1. */
static int canonical_tags(const char *s, size_t len, char *out, struct err *e)
{
	struct tag tags[HOST_ATTR_TAGS_MAX];
	size_t n = 0, o = 0;
	char shown[SHOW_MAX];

	for (size_t i = 0; i <= len;) {
		const char *end = memchr(s + i, ',', len - i);
		size_t tl = end ? (size_t)(end - (s + i)) : len - i;
		const char *eq = memchr(s + i, '=', tl);
		size_t kl = eq ? (size_t)(eq - (s + i)) : tl;

		if (n == HOST_ATTR_TAGS_MAX)
			return err_set(e, ERR_INPUT, "tags: more than %d tags", HOST_ATTR_TAGS_MAX);
		if (!is_name(s + i, kl) || (eq && !is_name(eq + 1, tl - kl - 1)))
			return err_set(e, ERR_INPUT, "tags: '%s' is not KEY or KEY=VALUE (letters, "
				       "digits, '.', '_', '-'; at most %d each)",
				       show_bytes(shown, s + i, tl), HOST_ATTR_NAME_MAX);
		tags[n++] = (struct tag){ s + i, tl, kl };
		i += tl + 1;
	}
	qsort(tags, n, sizeof(tags[0]), tag_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && !tag_cmp(&tags[i - 1], &tags[i]))
			return err_set(e, ERR_INPUT, "tags: key '%s' given twice",
				       show_bytes(shown, tags[i].s, tags[i].key_len));
		if (i)
			out[o++] = ',';
		memcpy(out + o, tags[i].s, tags[i].len);
		o += tags[i].len;
	}
	out[o] = '\0';
	return 0;
}

/* An IANA zone name as it can be: "Europe/Berlin", "UTC", "Etc/GMT+5"; the
 * zone's existence is checked where files are read (base/tz.h). */
static bool is_zone(const char *s, size_t len)
{
	if (!len || len > 64 || s[0] == '/' || memmem(s, len, "..", 2))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!s[i] || !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				     "0123456789/_+-", s[i]))
			return false;
	return true;
}

/* "local", "chroot:/abs/dir" or "ssh:TARGET" with only the characters a
 * path or an SSH target needs; deploy parses the target again. */
static bool is_transport(const char *s, size_t len)
{
	const char *chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
	size_t i = 0;

	if (len == 5 && !memcmp(s, "local", 5))
		return true;
	if (len > 8 && !memcmp(s, "chroot:/", 8))
		i = 7;
	else if (len > 4 && !memcmp(s, "ssh:", 4) && s[4] != '-')
		i = 4;
	else
		return false;
	for (; i < len; i++)
		if (!s[i] || (!strchr(chars, s[i]) && !strchr(s[0] == 'c' ? "/" : "@:[]", s[i])))
			return false;
	return true;
}

/* Windows are stored in their canonical form. */
static int set_window(struct host_attrs *attrs, const char *value, size_t len, struct err *e)
{
	struct window_set ws;
	char text[WINDOW_TEXT_MAX];
	int rc = window_parse(value, len, &ws, e);

	if (rc)
		return err_prefix(e, rc, "window");
	window_format(&ws, text, sizeof(text));
	if (strlen(text) > HOST_ATTR_VALUE_MAX)
		return err_set(e, ERR_INPUT, "window: more than %d characters written out; use "
			       "fewer windows or day ranges", HOST_ATTR_VALUE_MAX);
	memcpy(attrs->value[HOST_ATTR_WINDOW], text, strlen(text) + 1);
	attrs->set[HOST_ATTR_WINDOW] = true;
	return 0;
}

int host_attr_set(struct host_attrs *attrs, enum host_attr a, const char *value, size_t len,
		  struct err *e)
{
	const struct host_attr_info *info = host_attr_info(a);
	char shown[SHOW_MAX];
	bool ok;

	if (!info)
		return err_set(e, ERR_INPUT, "unknown host attribute");
	if (len > HOST_ATTR_VALUE_MAX)
		return err_set(e, ERR_INPUT, "%s: value of %zu bytes, longer than %d", info->name,
			       len, HOST_ATTR_VALUE_MAX);
	if (!len) {
		attrs->value[a][0] = '\0';
		attrs->set[a] = true;
		return 0;
	}
	if (a == HOST_ATTR_TAGS) {
		int rc = canonical_tags(value, len, attrs->value[a], e);

		if (!rc)
			attrs->set[a] = true;
		return rc;
	}
	if (a == HOST_ATTR_WINDOW)
		return set_window(attrs, value, len, e);
	if (a == HOST_ATTR_TRANSPORT)
		ok = is_transport(value, len);
	else if (a == HOST_ATTR_TZ)
		ok = is_zone(value, len);
	else if (a == HOST_ATTR_EXPOSURE)
		ok = is_word(value, len, exposure_words);
	else if (a == HOST_ATTR_CRITICALITY)
		ok = is_word(value, len, criticality_words);
	else
		ok = is_name(value, len);
	if (!ok)
		return err_set(e, ERR_INPUT, "%s: '%s' is not one of %s", info->name,
			       show_bytes(shown, value, len), info->values);
	memcpy(attrs->value[a], value, len);
	attrs->value[a][len] = '\0';
	attrs->set[a] = true;
	return 0;
}

int host_attr_parse(struct host_attrs *attrs, const char *kv, size_t len, struct err *e)
{
	const char *eq = memchr(kv, '=', len);
	char shown[SHOW_MAX];
	int a;

	if (!eq)
		return err_set(e, ERR_INPUT, "'%s' is not KEY=VALUE", show_bytes(shown, kv, len));
	a = host_attr_lookup(kv, (size_t)(eq - kv));
	if (a < 0)
		return err_set(e, ERR_INPUT, "unknown host attribute '%s' (known: exposure, "
			       "criticality, group, ring, tags, window, tz, transport)",
			       show_bytes(shown, kv, (size_t)(eq - kv)));
	return host_attr_set(attrs, (enum host_attr)a, eq + 1, len - (size_t)(eq - kv) - 1, e);
}
