/* Decision actions, justifications and scopes; see decision.h. */
#include "core/decision.h"

#include <stdio.h>
#include <string.h>

#include "base/show.h"
#include "core/host_attr.h"

static const char *const action_names[DECIDE_NACTIONS] = {
	"approve", "expedite", "defer", "accept-risk", "not-affected", "mitigated",
};

const char *const decide_justifications[] = {
	"component_not_present",
	"vulnerable_code_not_present",
	"vulnerable_code_not_in_execute_path",
	"vulnerable_code_cannot_be_controlled_by_adversary",
	"inline_mitigations_already_exist",
	NULL,
};

const char *decide_action_name(enum decide_action a)
{
	return (unsigned)a < DECIDE_NACTIONS ? action_names[a] : "?";
}

int decide_action_parse(const char *s)
{
	for (int i = 0; i < DECIDE_NACTIONS; i++)
		if (!strcmp(action_names[i], s))
			return i;
	return -1;
}

bool decide_action_deploys(enum decide_action a)
{
	return a == DECIDE_APPROVE || a == DECIDE_EXPEDITE;
}

bool decide_justification_valid(const char *s)
{
	for (const char *const *j = decide_justifications; *j; j++)
		if (!strcmp(*j, s))
			return true;
	return false;
}

/* A group, host, tag key or tag value: what host attributes allow. */
static bool is_name(const char *s, size_t len)
{
	struct host_attrs probe;
	struct err e;

	if (!len || len > HOST_ATTR_NAME_MAX)
		return false;
	return !host_attr_set(&probe, HOST_ATTR_GROUP, s, len, &e);
}

int decide_scope_parse(const char *s, struct decide_scope *ret, struct err *e)
{
	static const struct { const char *prefix; enum decide_scope_kind kind; } kinds[] = {
		{ "group:", SCOPE_GROUP }, { "host:", SCOPE_HOST }, { "tag:", SCOPE_TAG },
	};
	char shown[SHOW_MAX];

	if (!strcmp(s, "all")) {
		*ret = (struct decide_scope){ .kind = SCOPE_ALL };
		return 0;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t pl = strlen(kinds[i].prefix);
		const char *v = s + pl, *eq;
		size_t len;
		bool ok;

		if (strncmp(s, kinds[i].prefix, pl))
			continue;
		len = strlen(v);
		eq = kinds[i].kind == SCOPE_TAG ? strchr(v, '=') : NULL;
		ok = eq ? is_name(v, (size_t)(eq - v)) && is_name(eq + 1, len - (size_t)(eq - v) - 1)
			: is_name(v, len);
		if (kinds[i].kind == SCOPE_HOST)
			ok = len > 0 && len < DECIDE_SCOPE_MAX &&
			     strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789._-") == len;
		if (!ok)
			return err_set(e, ERR_INPUT, "--scope '%s': '%s' is not a valid %s", s,
				       show_bytes(shown, v, len), kinds[i].prefix);
		*ret = (struct decide_scope){ .kind = kinds[i].kind };
		memcpy(ret->value, v, len + 1);
		return 0;
	}
	return err_set(e, ERR_INPUT, "--scope '%s': expected all, group:NAME, host:NAME or "
		       "tag:KEY=VALUE", show_bytes(shown, s, strlen(s)));
}

void decide_scope_format(const struct decide_scope *sc, char ret[DECIDE_SCOPE_MAX + 8])
{
	static const char *const prefix[] = { "all", "group:", "tag:", "host:" };

	snprintf(ret, DECIDE_SCOPE_MAX + 8, "%s%s", prefix[sc->kind],
		 sc->kind == SCOPE_ALL ? "" : sc->value);
}

/* Whether the canonical tag list "a,b=2" holds tag ("b=2", or "a"). */
static bool has_tag(const char *tags, const char *tag)
{
	size_t n = strlen(tag);

	for (const char *p = tags; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !memcmp(p, tag, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

bool decide_scope_covers(const struct decide_scope *sc, const struct decide_host *h)
{
	switch (sc->kind) {
	case SCOPE_ALL:
		return true;
	case SCOPE_GROUP:
		return h->group && !strcmp(h->group, sc->value);
	case SCOPE_HOST:
		return h->name && !strcmp(h->name, sc->value);
	case SCOPE_TAG:
		return has_tag(h->tags, sc->value);
	}
	return false;
}
