// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: file rules -> NFA (glob.c) -> DFA (subset construction over byte
 * classes) -> minimal DFA (dfa_minimize.c) -> blob.
 *
 * Byte classes: bytes that every character set of every rule treats alike
 * share one column of the transition table, so the table has a column per
 * class (a few dozen) rather than per byte.
 */
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <brig.h>

#include "dfa.h"
#include "dfa_minimize.h"
#include "nfa.h"

/* Byte classes: bytes in exactly the same sets share a class. */
static uint32_t byte_classes(const struct nfa *n, uint8_t classes[256],
			     unsigned int reps[256])
{
	uint32_t n_classes = 0, i;
	unsigned int b, r;

	for (b = 0; b < 256; b++) {
		for (r = 0; r < n_classes; r++) {
			for (i = 0; i < n->n_sets; i++) {
				if (set_has(&n->sets[i], b) !=
				    set_has(&n->sets[i], reps[r]))
					break;
			}
			if (i == n->n_sets)
				break;
		}
		if (r == n_classes)
			reps[n_classes++] = b;
		classes[b] = r;
	}
	return n_classes;
}

/* Sets of NFA states, the subset construction's DFA states. */
struct stateset {
	uint32_t *s;
	uint32_t n;
	uint64_t hash;
};

struct subsets {
	struct stateset *sets;
	uint32_t n, cap;
	uint32_t *table;	/* open addressing: index + 1, 0 empty */
	uint32_t table_size;
};

static uint64_t hash_states(const uint32_t *s, uint32_t n)
{
	uint64_t h = 1469598103934665603ULL;
	uint32_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

static void subsets_rehash(struct subsets *ss)
{
	uint32_t i, j;

	free(ss->table);
	ss->table_size = ss->table_size ? ss->table_size * 2 : 1024;
	ss->table = calloc(ss->table_size, sizeof(*ss->table));
	if (!ss->table)
		abort();
	for (i = 0; i < ss->n; i++) {
		j = ss->sets[i].hash & (ss->table_size - 1);
		while (ss->table[j])
			j = (j + 1) & (ss->table_size - 1);
		ss->table[j] = i + 1;
	}
}

/* The index of set @s (taken over), adding it if new; *added says which. */
static uint32_t subsets_intern(struct subsets *ss, uint32_t *s, uint32_t n,
			       bool *added)
{
	uint64_t h = hash_states(s, n);
	uint32_t j;

	if ((ss->n + 1) * 2 > ss->table_size)
		subsets_rehash(ss);
	j = h & (ss->table_size - 1);
	while (ss->table[j]) {
		struct stateset *o = &ss->sets[ss->table[j] - 1];

		if (o->hash == h && o->n == n &&
		    (!n || !memcmp(o->s, s, n * sizeof(*s)))) {
			free(s);
			*added = false;
			return ss->table[j] - 1;
		}
		j = (j + 1) & (ss->table_size - 1);
	}
	ss->sets = nfa_grow(ss->sets, &ss->cap, ss->n + 1, sizeof(*ss->sets));
	ss->sets[ss->n] = (struct stateset){ .s = s, .n = n, .hash = h };
	ss->table[j] = ss->n + 1;
	*added = true;
	return ss->n++;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Epsilon closure of @s (n states, sorted, deduplicated on return). */
static uint32_t *closure(const struct nfa *nfa, uint32_t *s, uint32_t *n,
			 uint8_t *mark)
{
	uint32_t cap = *n, len = *n, i = 0, k, j;

	for (k = 0; k < len; k++)
		mark[s[k]] = 1;
	while (i < len) {
		const struct nfa_state *st = &nfa->states[s[i++]];

		for (j = 0; j < st->n_edges; j++) {
			uint32_t to = st->edges[j].to;

			if (st->edges[j].set >= 0 || mark[to])
				continue;
			mark[to] = 1;
			s = nfa_grow(s, &cap, len + 1, sizeof(*s));
			s[len++] = to;
		}
	}
	for (k = 0; k < len; k++)
		mark[s[k]] = 0;
	qsort(s, len, sizeof(*s), cmp_u32);
	*n = len;
	return s;
}

/* Subset construction; fills @raw (unminimised). */
static int determinize(const struct nfa *nfa, uint32_t start,
		       struct brig_dfa *raw, struct brig_error **err)
{
	struct subsets ss = { 0 };
	unsigned int reps[256];
	uint32_t cap_next = 0, i, c, k, e, *set, n;
	uint64_t work = 0;	/* NFA states visited: BRIG_DFA_WORK_MAX */
	uint8_t *mark;
	bool added;
	int ret = 0;

	raw->n_classes = byte_classes(nfa, raw->classes, reps);
	mark = calloc(nfa->n_states, 1);
	if (!mark)
		abort();
	/* 0: the dead state (no NFA state), 1: the start. */
	subsets_intern(&ss, NULL, 0, &added);
	set = malloc(sizeof(*set));
	if (!set)
		abort();
	set[0] = start;
	n = 1;
	set = closure(nfa, set, &n, mark);
	subsets_intern(&ss, set, n, &added);

	raw->next = NULL;
	for (i = 0; i < ss.n; i++) {
		if (ss.n > BRIG_DFA_STATES_MAX) {
			ret = brig_error_make(err, 0,
				"file rules need more than %u DFA states: simplify the globs",
				BRIG_DFA_STATES_MAX);
			goto out;
		}
		work += (uint64_t)ss.sets[i].n * raw->n_classes;
		if (work > BRIG_DFA_WORK_MAX) {
			ret = brig_error_make(err, 0,
				"file rules too costly to compile (more than %llu steps): "
				"shorten the globs, above all what follows `**`",
				(unsigned long long)BRIG_DFA_WORK_MAX);
			goto out;
		}
		raw->next = nfa_grow(raw->next, &cap_next, (i + 1) * raw->n_classes,
				     sizeof(*raw->next));
		for (c = 0; c < raw->n_classes; c++) {
			uint32_t cap = 0, len = 0, *to = NULL;
			const struct stateset *from = &ss.sets[i];

			for (k = 0; k < from->n; k++) {
				const struct nfa_state *st = &nfa->states[from->s[k]];

				for (e = 0; e < st->n_edges; e++) {
					const struct nfa_edge *edge = &st->edges[e];

					if (edge->set < 0 || mark[edge->to] ||
					    !set_has(&nfa->sets[edge->set], reps[c]))
						continue;
					mark[edge->to] = 1;
					to = nfa_grow(to, &cap, len + 1, sizeof(*to));
					to[len++] = edge->to;
				}
			}
			for (k = 0; k < len; k++)
				mark[to[k]] = 0;
			if (len)
				to = closure(nfa, to, &len, mark);
			raw->next[i * raw->n_classes + c] =
				subsets_intern(&ss, to, len, &added);
		}
	}
	raw->n_states = ss.n;
	raw->accept = calloc(ss.n, sizeof(*raw->accept));
	if (!raw->accept)
		abort();
	for (i = 0; i < ss.n; i++) {
		for (k = 0; k < ss.sets[i].n; k++)
			raw->accept[i] |= nfa->states[ss.sets[i].s[k]].accept;
	}
out:
	for (i = 0; i < ss.n; i++)
		free(ss.sets[i].s);
	free(ss.sets);
	free(ss.table);
	free(mark);
	return ret;
}

int brig_dfa_compile(const struct brig_file_rule *rules, size_t n_rules,
		     struct brig_dfa **out, struct brig_error **err)
{
	struct brig_dfa raw = { 0 }, *min;
	struct nfa nfa = { 0 };
	uint32_t start;
	size_t i;

	start = nfa_state(&nfa);
	for (i = 0; i < n_rules; i++) {
		const char *why;
		size_t offset;
		uint32_t end;

		if ((rules[i].deny | rules[i].audit) & ~BRIG_PERM_ALL) {
			nfa_free(&nfa);
			return brig_error_make(err, 0, "rule %zu: unknown permission bits", i + 1);
		}
		if (nfa_add_glob(&nfa, start, rules[i].glob, &end, &offset, &why) < 0) {
			nfa_free(&nfa);
			return brig_error_make(err, 0, "glob `%s`, at %zu: %s",
					       rules[i].glob, offset + 1, why);
		}
		nfa.states[end].accept |= rules[i].deny | rules[i].audit << BRIG_DFA_AUDIT_SHIFT;
	}
	if (determinize(&nfa, start, &raw, err) < 0) {
		nfa_free(&nfa);
		free(raw.next);
		return -1;
	}
	nfa_free(&nfa);
	min = calloc(1, sizeof(*min));
	if (!min)
		abort();
	dfa_minimize(&raw, min);
	free(raw.next);
	free(raw.accept);
	dfa_mark_deny_below(min);
	*out = min;
	return 0;
}

uint32_t brig_dfa_match(const struct brig_dfa *dfa, const char *path,
			size_t len)
{
	uint32_t state = 1;
	size_t i;

	for (i = 0; i < len && state; i++)
		state = dfa->next[state * dfa->n_classes +
				  dfa->classes[(unsigned char)path[i]]];
	return dfa->accept[state];
}

int brig_dfa_serialize(const struct brig_dfa *dfa, void **blob, size_t *len,
		       struct brig_error **err)
{
	size_t cells = (size_t)dfa->n_states * dfa->n_classes, i;
	struct brig_dfa_header hdr = {
		.magic = htole32(BRIG_DFA_MAGIC),
		.version = htole16(BRIG_DFA_VERSION),
		.n_classes = htole16(dfa->n_classes),
		.n_states = htole32(dfa->n_states),
	};
	uint32_t *p;
	char *b;

	*len = sizeof(hdr) + BRIG_DFA_CLASSES + (dfa->n_states + cells) * sizeof(uint32_t);
	if (*len > BRIG_DFA_BYTES_MAX)
		return brig_error_make(err, 0,
			"file rules compile to %zu bytes, more than the %u the module takes",
			*len, BRIG_DFA_BYTES_MAX);
	b = malloc(*len);
	if (!b)
		return brig_error_make(err, ENOMEM, "file rules");
	memcpy(b, &hdr, sizeof(hdr));
	memcpy(b + sizeof(hdr), dfa->classes, BRIG_DFA_CLASSES);
	p = (uint32_t *)(b + sizeof(hdr) + BRIG_DFA_CLASSES);
	for (i = 0; i < dfa->n_states; i++)
		*p++ = htole32(dfa->accept[i]);
	for (i = 0; i < cells; i++)
		*p++ = htole32(dfa->next[i]);
	*blob = b;
	return 0;
}

void brig_dfa_free(struct brig_dfa *dfa)
{
	if (!dfa)
		return;
	free(dfa->accept);
	free(dfa->next);
	free(dfa);
}
