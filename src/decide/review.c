/*
 * The review queue; see review.h. One pass over the open findings ordered
 * by advisory and host: each finding without a standing decision counts
 * towards its advisory's item.
 */
#include "decide/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/finding_store.h"

struct build {
	struct decide_view *v;
	struct review_item *items;
	size_t n, cap;
	sqlite3_int64 advisory_id, host_id; /* of the last queued finding */
};

static void count_group(struct review_item *it, const char *group)
{
	size_t i;

	for (i = 0; i < it->ngroups; i++)
		if (!strcmp(it->groups[i].name, group))
			break;
	if (i == it->ngroups && it->ngroups == REVIEW_GROUPS_MAX) {
		i = REVIEW_GROUPS_MAX - 1; /* the last slot collects the rest */
		snprintf(it->groups[i].name, sizeof(it->groups[i].name), "...");
	} else if (i == it->ngroups) {
		snprintf(it->groups[i].name, sizeof(it->groups[i].name), "%s", group);
		it->ngroups++;
	}
	it->groups[i].hosts++;
}

static struct review_item *item_for(struct build *b, const struct queue_row *r, struct err *e)
{
	struct review_item *it;

	if (b->n && b->advisory_id == r->advisory_id)
		return &b->items[b->n - 1];
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		struct review_item *g = realloc(b->items, ncap * sizeof(*g));

		if (!g) {
			err_set(e, ERR_NOMEM, "out of memory building the queue");
			return NULL;
		}
		b->items = g;
		b->cap = ncap;
	}
	it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	it->priority = -1;
	snprintf(it->advisory, sizeof(it->advisory), "%s", r->advisory);
	snprintf(it->aliases, sizeof(it->aliases), "%s", r->aliases);
	b->advisory_id = r->advisory_id;
	b->host_id = 0;
	return it;
}

static int add_row(const struct queue_row *r, void *ctx, struct err *e)
{
	struct build *b = ctx;
	struct decide_state st;
	struct review_item *it;

	decide_view_state(b->v, r->host_id, r->advisory, r->aliases, r->priority, &st);
	if (!decide_state_queued(&st))
		return 0;
	if (!(it = item_for(b, r, e)))
		return ERR_NOMEM;
	if (r->priority > it->priority)
		it->priority = r->priority;
	if (r->due && (!it->due[0] || strcmp(r->due, it->due) < 0))
		snprintf(it->due, sizeof(it->due), "%s", r->due);
	if (r->first_seen && (!it->first_seen[0] || strcmp(r->first_seen, it->first_seen) < 0))
		snprintf(it->first_seen, sizeof(it->first_seen), "%s", r->first_seen);
	it->fixable |= r->fixable;
	if (st.status != DECIDE_NONE && !it->note[0])
		decide_state_text(&st, it->note, sizeof(it->note));
	if (r->host_id != b->host_id) {
		const struct decide_hostctx *h = r->host_id > 0 && (size_t)r->host_id < b->v->nhosts ?
						 &b->v->hosts[r->host_id] : NULL;

		it->hosts++;
		count_group(it, h && h->group ? h->group : "");
		b->host_id = r->host_id;
	}
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct review_item *x = a, *y = b;
	int c;

	if (x->priority != y->priority)
		return y->priority - x->priority;
	c = strcmp(x->due[0] ? x->due : "9999", y->due[0] ? y->due : "9999");
	return c ? c : strcmp(x->advisory, y->advisory);
}

int review_queue(struct store *s, struct decide_view *v, struct review_item **ret,
		 size_t *ret_n, struct err *e)
{
	struct build b = { .v = v };
	int rc = finding_queue_rows(s, add_row, &b, e);

	if (rc) {
		free(b.items);
		return rc;
	}
	if (b.n)
		qsort(b.items, b.n, sizeof(*b.items), item_cmp);
	*ret = b.items;
	*ret_n = b.n;
	return 0;
}
