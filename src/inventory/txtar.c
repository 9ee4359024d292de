/*
 * Reader of txtar archives holding an image's package database; the
 * format and the contract are in txtar.h.
 *
 * Two passes over the archive, neither allocating: the first finds the
 * os-release to use and whether there is an inventory at all, the second
 * hands each inventory member, a span of the input, to its own parser.
 * The native databases' records (dpkg_pkg, apk_pkg) are turned into
 * inv_pkg here as formats.c does for the bare files; the rpm-manifest
 * parser speaks inv_sink itself.
 *
 * Each member's parser gets "<filename>: member 'NAME'" as its file name,
 * so that its messages say where in the archive the problem is.
 */
#include "inventory/txtar.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"
#include "inventory/apk_installed.h"
#include "inventory/dpkg_status.h"
#include "inventory/os_release.h"
#include "inventory/rpm_manifest.h"

/* How far txtar_looks_like() reads. */
#define SNIFF_MAX (1u << 20)

/* Longest rendering of a member name in a message (with the NUL). */
#define EXCERPT_MAX 160

enum kind {
	K_OTHER,
	K_DPKG,
	K_APK,
	K_RPM_MANIFEST,
	K_OS_ETC,
	K_OS_USR,
};

/* Member names by kind, matched as the whole name or after a '/'. */
static const struct {
	const char *suffix;
	enum kind kind;
} kinds[] = {
	{ "var/lib/dpkg/status", K_DPKG },
	{ "lib/apk/db/installed", K_APK },
	{ "rpm-manifest", K_RPM_MANIFEST },
	{ "etc/os-release", K_OS_ETC },
	{ "usr/lib/os-release", K_OS_USR },
};

struct member {
	const char *name;
	size_t name_len;
	const char *data; /* the contents, up to the next marker line */
	size_t len;
};

/* Walks an archive's members in order; at is where the next marker is. */
struct walk {
	const char *data;
	size_t len;
	size_t at; /* len when there is no further member */
};

/* What a member's record adapters need. */
struct member_ctx {
	const struct inv_sink *sink;
	const char *label; /* "<filename>: member 'NAME'" */
};

/*
 * Input bytes for a message, as base/show.h renders them, in EXCERPT_MAX
 * bytes rather than SHOW_MAX: messages quote this file's excerpts at
 * that length, and tests assert them.
 */
static const char *show(char out[EXCERPT_MAX], const char *s, size_t len)
{
	return show_bytes_n(out, EXCERPT_MAX, s, len);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Whether the line at data[pos..len) is a marker, Go's isMarker(): it
 * starts with "-- ", ends (before its '\n') with " --", and is at least
 * six bytes. Sets the trimmed name and *ret_next, the start of the next
 * line (len at the end).
 */
static bool marker_at(const char *data, size_t len, size_t pos, struct member *ret,
		      size_t *ret_next)
{
	const char *nl = memchr(data + pos, '\n', len - pos);
	size_t eol = nl ? (size_t)(nl - data) : len, b, end;

	*ret_next = nl ? eol + 1 : len;
	if (eol - pos < 6 || memcmp(data + pos, "-- ", 3) || memcmp(data + eol - 3, " --", 3))
		return false;
	b = pos + 3;
	end = eol - 3;
	while (b < end && is_space(data[b]))
		b++;
	while (end > b && is_space(data[end - 1]))
		end--;
	ret->name = data + b;
	ret->name_len = end - b;
	return true;
}

/* The first marker line at or after the line start pos, or len. */
static size_t find_marker(const char *data, size_t len, size_t pos)
{
	struct member m;
	size_t next;

	for (; pos < len; pos = next)
		if (marker_at(data, len, pos, &m, &next))
			return pos;
	return len;
}

static void walk_init(struct walk *w, const char *data, size_t len)
{
	*w = (struct walk){ data, len, find_marker(data, len, 0) };
}

/* The next member into *ret; false when there is none. */
static bool walk_next(struct walk *w, struct member *ret)
{
	size_t body, end;

	if (w->at >= w->len || !marker_at(w->data, w->len, w->at, ret, &body))
		return false;
	end = find_marker(w->data, w->len, body);
	ret->data = w->data + body;
	ret->len = end - body;
	w->at = end;
	return true;
}

static enum kind kind_of(const struct member *m)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].suffix);

		if (m->name_len < n || memcmp(m->name + m->name_len - n, kinds[i].suffix, n))
			continue;
		if (m->name_len == n || m->name[m->name_len - n - 1] == '/')
			return kinds[i].kind;
	}
	return K_OTHER;
}

static bool is_inventory(enum kind k)
{
	return k == K_DPKG || k == K_APK || k == K_RPM_MANIFEST;
}

static void make_label(char *out, size_t size, const char *filename, const struct member *m)
{
	char shown[EXCERPT_MAX];

	snprintf(out, size, "%s: member '%s'", filename, show(shown, m->name, m->name_len));
}

/* A callback's failure, said to be in this member (the callback named
 * the line when it knew one). */
static int sink_failed(const struct member_ctx *c, int r, struct err *e)
{
	return err_prefix(e, r, "%s", c->label);
}

static int dpkg_pkg(const struct dpkg_pkg *p, void *ctx, struct err *e)
{
	const struct member_ctx *c = ctx;
	struct inv_pkg ip = { p->name, p->name_len, p->version, p->version_len, p->arch,
			      p->arch_len, p->source, p->source_len, p->source_version,
			      p->source_version_len, p->line };
	int r = c->sink->pkg ? c->sink->pkg(&ip, c->sink->ctx, e) : 0;

	return r ? sink_failed(c, r, e) : 0;
}

static int apk_pkg(const struct apk_pkg *p, void *ctx, struct err *e)
{
	const struct member_ctx *c = ctx;
	struct inv_pkg ip = { p->name, p->name_len, p->version, p->version_len, p->arch,
			      p->arch_len, p->origin, p->origin_len, p->version, p->version_len,
			      p->line };
	int r = c->sink->pkg ? c->sink->pkg(&ip, c->sink->ctx, e) : 0;

	return r ? sink_failed(c, r, e) : 0;
}

static int report_os(const struct member *m, const char *filename,
		     const struct inv_sink *sink, struct err *e)
{
	char label[4352];
	struct os_release osr;
	struct inv_os os = { 0 };
	int r;

	make_label(label, sizeof(label), filename, m);
	r = os_release_parse(m->data, m->len, label, &osr, e);
	if (r || !sink->os)
		return r;
	/* Same sizes (64), so nothing is cut. */
	snprintf(os.id, sizeof(os.id), "%s", osr.id);
	snprintf(os.version_id, sizeof(os.version_id), "%s", osr.version_id);
	r = sink->os(&os, sink->ctx, e);
	return r ? err_prefix(e, r, "%s", label) : 0;
}

static int parse_member(const struct member *m, enum kind k, const char *filename,
			const struct inv_sink *sink, struct err *e)
{
	char label[4352];
	struct member_ctx c = { sink, label };

	make_label(label, sizeof(label), filename, m);
	switch (k) {
	case K_DPKG:
		return dpkg_status_parse(m->data, m->len, label, dpkg_pkg, &c, e);
	case K_APK:
		return apk_installed_parse(m->data, m->len, label, apk_pkg, &c, e);
	case K_RPM_MANIFEST:
		return rpm_manifest_parse(m->data, m->len, label, sink, e);
	default:
		return 0;
	}
}

int txtar_parse(const char *data, size_t len, const char *filename,
		const struct inv_sink *sink, struct err *e)
{
	static const struct inv_sink none = { 0 };
	struct member m, os_etc = { 0 }, os_usr = { 0 };
	bool have_etc = false, have_usr = false;
	size_t inventories = 0;
	struct walk w;
	int r;

	if (!filename)
		filename = "input";
	if (!sink)
		sink = &none;
	if (!data) {
		data = "";
		len = 0;
	}
	if (len > TXTAR_MAX)
		return err_set(e, ERR_NOMEM, "%s: %zu bytes, larger than the limit of %u MiB",
			       filename, len, TXTAR_MAX >> 20);

	for (walk_init(&w, data, len); walk_next(&w, &m);) {
		enum kind k = kind_of(&m);

		if (k == K_OS_ETC && !have_etc) {
			os_etc = m;
			have_etc = true;
		} else if (k == K_OS_USR && !have_usr) {
			os_usr = m;
			have_usr = true;
		}
		inventories += is_inventory(k);
	}
	if (!inventories)
		return err_set(e, ERR_INPUT, "%s: no inventory member (looked for "
			       "var/lib/dpkg/status, lib/apk/db/installed, .../rpm-manifest)",
			       filename);
	if (have_etc || have_usr) {
		r = report_os(have_etc ? &os_etc : &os_usr, filename, sink, e);
		if (r)
			return r;
	}
	for (walk_init(&w, data, len); walk_next(&w, &m);) {
		enum kind k = kind_of(&m);

		if (!is_inventory(k))
			continue; /* package indexes, repositories, search results ... */
		r = parse_member(&m, k, filename, sink, e);
		if (r)
			return r;
	}
	return 0;
}

bool txtar_looks_like(const char *data, size_t len)
{
	size_t limit = len < SNIFF_MAX ? len : SNIFF_MAX, pos = 0, next;
	struct member m;

	if (!data)
		return false;
	for (; pos < limit; pos = next) {
		bool marker = marker_at(data, len, pos, &m, &next);

		if (marker && is_inventory(kind_of(&m)))
			return true;
	}
	return false;
}
