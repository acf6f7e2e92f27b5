// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: a DFA made minimal (Hopcroft's partition refinement), then each
 * state marked that leads on to a denial (BRIG_DFA_DENY_BELOW). Both work on
 * the inverse transitions, in O(n k log n) and O(n k) for n states and k
 * classes: a single long glob is a chain of states, which rounds of
 * refinement or passes to a fixpoint would take quadratic time over.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <brig.h>

#include "dfa.h"
#include "dfa_minimize.h"

/* qsort_r() order of states: by accept value (@accept), then by number. */
static int by_accept(const void *a, const void *b, void *accept)
{
	const uint32_t *acc = accept;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (acc[x] != acc[y])
		return acc[x] < acc[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * For each class c and state t, the states that go to t on c (CSR):
 * from[start[c * n + t]] up to from[start[c * n + t + 1]], over states
 * @first to n - 1 (with @any, all classes in one bucket per target).
 */
struct inverse {
	uint32_t *start;
	uint32_t *from;
};

static void inverse_build(const struct brig_dfa *dfa, uint32_t first, bool any,
			  struct inverse *inv)
{
	uint32_t n = dfa->n_states, k = dfa->n_classes, s, c;
	size_t buckets = any ? n : (size_t)n * k, i;

	inv->start = calloc(buckets + 1, sizeof(*inv->start));
	inv->from = malloc(((size_t)n * k + 1) * sizeof(*inv->from));
	if (!inv->start || !inv->from)
		abort();
	for (s = first; s < n; s++)
		for (c = 0; c < k; c++)
			inv->start[(any ? 0 : (size_t)c * n) + dfa->next[(size_t)s * k + c] + 1]++;
	for (i = 0; i < buckets; i++)
		inv->start[i + 1] += inv->start[i];
	/* Filled from each bucket's start, which leaves it at the next one's. */
	for (s = first; s < n; s++)
		for (c = 0; c < k; c++)
			inv->from[inv->start[(any ? 0 : (size_t)c * n) +
					     dfa->next[(size_t)s * k + c]]++] = s;
	for (i = buckets; i > 0; i--)
		inv->start[i] = inv->start[i - 1];
	inv->start[0] = 0;
}

static void inverse_free(struct inverse *inv)
{
	free(inv->start);
	free(inv->from);
}

/*
 * Hopcroft's algorithm: states start in blocks by what they accept. A block
 * taken from the worklist splits every block some of whose states lead into
 * it on a class and others not; the smaller half of each split joins the
 * worklist (both, if the block was waiting already). O(n k log n), where
 * Moore's rounds would be quadratic in the longest glob.
 *
 * Blocks are ranges of elems[]; a block's states that lead into the splitter
 * are gathered at its front (marked[b] of them) before it splits.
 */
void dfa_minimize(const struct brig_dfa *raw, struct brig_dfa *min)
{
	uint32_t n = raw->n_states, k = raw->n_classes;
	uint32_t *block = malloc(n * sizeof(*block));
	uint32_t *elems = malloc(n * sizeof(*elems)), *loc = malloc(n * sizeof(*loc));
	uint32_t *bstart = calloc(n, sizeof(*bstart)), *bend = calloc(n, sizeof(*bend));
	uint32_t *marked = calloc(n, sizeof(*marked)), *touched = malloc(n * sizeof(*touched));
	uint32_t *work = malloc(n * sizeof(*work)), *splitter = malloc(n * sizeof(*splitter));
	bool *waiting = calloc(n, sizeof(*waiting));
	uint32_t n_blocks, n_work = 0, i, c, b, *renum;
	struct inverse inv;

	/* determinize() makes the dead state and the start at least. */
	if (n < 2 || !block || !elems || !loc || !bstart || !bend || !marked ||
	    !touched || !work || !splitter || !waiting)
		abort();
	/* Initial partition: by accept value, each block a range of elems[]. */
	for (i = 0; i < n; i++)
		elems[i] = i;
	qsort_r(elems, n, sizeof(*elems), by_accept, raw->accept);
	for (i = 0, n_blocks = 0; i < n; i++) {
		if (i == 0 || raw->accept[elems[i]] != raw->accept[elems[i - 1]]) {
			if (n_blocks)
				bend[n_blocks - 1] = i;
			bstart[n_blocks++] = i;
		}
		block[elems[i]] = n_blocks - 1;
		loc[elems[i]] = i;
	}
	bend[n_blocks - 1] = n;
	for (b = 0; b < n_blocks; b++) {
		work[n_work++] = b;
		waiting[b] = true;
	}
	inverse_build(raw, 0, false, &inv);

	while (n_work) {
		uint32_t a = work[--n_work], len = bend[a] - bstart[a], t;

		waiting[a] = false;
		/* The block as it is now: it may split while it is used. */
		memcpy(splitter, elems + bstart[a], len * sizeof(*splitter));
		for (c = 0; c < k; c++) {
			uint32_t n_touched = 0;

			for (t = 0; t < len; t++) {
				size_t bucket = (size_t)c * n + splitter[t], j;

				for (j = inv.start[bucket]; j < inv.start[bucket + 1]; j++) {
					uint32_t s = inv.from[j], front, other;

					b = block[s];
					front = bstart[b] + marked[b];
					if (loc[s] < front)
						continue;	/* marked already */
					other = elems[front];
					elems[front] = s;
					elems[loc[s]] = other;
					loc[other] = loc[s];
					loc[s] = front;
					if (!marked[b]++)
						touched[n_touched++] = b;
				}
			}
			for (i = 0; i < n_touched; i++) {
				uint32_t m, nb, j;

				b = touched[i];
				m = marked[b];
				marked[b] = 0;
				if (m == bend[b] - bstart[b])
					continue;	/* all of it leads there: no split */
				nb = n_blocks++;
				bstart[nb] = bstart[b];
				bend[nb] = bstart[b] + m;
				bstart[b] += m;
				for (j = bstart[nb]; j < bend[nb]; j++)
					block[elems[j]] = nb;
				if (waiting[b] || m < bend[b] - bstart[b]) {
					work[n_work++] = nb;
					waiting[nb] = true;
				} else {
					work[n_work++] = b;
					waiting[b] = true;
				}
			}
		}
	}
	inverse_free(&inv);

	/* Renumber: the dead state's block is 0, the start's 1. */
	renum = malloc(n_blocks * sizeof(*renum));
	if (!renum)
		abort();
	memset(renum, 0xff, n_blocks * sizeof(*renum));
	renum[block[0]] = 0;
	min->n_states = 1;
	if (block[1] != block[0])
		renum[block[1]] = min->n_states++;
	else
		min->n_states++;	/* no rule matches anything: a dead start */
	for (i = 0; i < n; i++) {
		if (renum[block[i]] == UINT32_MAX)
			renum[block[i]] = min->n_states++;
	}
	min->n_classes = k;
	memcpy(min->classes, raw->classes, sizeof(min->classes));
	min->accept = calloc(min->n_states, sizeof(*min->accept));
	min->next = calloc((size_t)min->n_states * k, sizeof(*min->next));
	if (!min->accept || !min->next)
		abort();
	for (i = 0; i < n; i++) {
		uint32_t to = renum[block[i]];

		if (i == 1 && block[1] == block[0])
			to = 1;
		min->accept[to] = raw->accept[i];
		for (c = 0; c < k; c++)
			min->next[(size_t)to * k + c] = renum[block[raw->next[(size_t)i * k + c]]];
	}
	free(renum);
	free(block);
	free(elems);
	free(loc);
	free(bstart);
	free(bend);
	free(marked);
	free(touched);
	free(work);
	free(splitter);
	free(waiting);
}

void dfa_mark_deny_below(struct brig_dfa *dfa)
{
	uint32_t n = dfa->n_states, head = 0, tail = 0, t;
	uint32_t *queue = malloc(n * sizeof(*queue));
	bool *queued = calloc(n, sizeof(*queued));
	struct inverse inv;
	size_t j;

	if (!queue || !queued)
		abort();
	/*
	 * Backwards from every state that denies something: whatever leads
	 * to one, or to a state marked so, is marked. The dead state leads
	 * nowhere else and is never marked.
	 */
	inverse_build(dfa, 1, true, &inv);
	for (t = 1; t < n; t++) {
		if (dfa->accept[t] & BRIG_PERM_ALL) {
			queue[tail++] = t;
			queued[t] = true;
		}
	}
	while (head < tail) {
		t = queue[head++];
		for (j = inv.start[t]; j < inv.start[t + 1]; j++) {
			uint32_t s = inv.from[j];

			dfa->accept[s] |= BRIG_DFA_DENY_BELOW;
			if (!queued[s]) {
				queued[s] = true;
				queue[tail++] = s;
			}
		}
	}
	inverse_free(&inv);
	free(queue);
	free(queued);
}
