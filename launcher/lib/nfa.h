/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig, inside the file-rule compiler: the NFA that glob.c builds from
 * globs (Thompson's construction) and dfa.c determinizes. Not for use
 * outside them.
 */
#ifndef BRIG_NFA_H
#define BRIG_NFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 256-bit byte sets. */
struct byteset {
	uint64_t w[4];
};

static inline bool set_has(const struct byteset *s, unsigned int c)
{
	return s->w[c >> 6] >> (c & 63) & 1;
}

struct nfa_edge {
	uint32_t to;
	int32_t set;		/* index into nfa.sets; -1: epsilon */
};

struct nfa_state {
	struct nfa_edge *edges;
	uint32_t n_edges, cap_edges;
	uint32_t accept;	/* deny | audit << 16 */
};

struct nfa {
	struct nfa_state *states;
	uint32_t n_states, cap_states;
	struct byteset *sets;
	uint32_t n_sets, cap_sets;
};

/*
 * Grows @ptr to hold at least @need elements of @size, doubling @cap.
 * Out of memory aborts, as in the rest of the compiler.
 */
void *nfa_grow(void *ptr, uint32_t *cap, uint32_t need, size_t size);

uint32_t nfa_state(struct nfa *n);
/* An edge on byte set @set (an index into n->sets), or -1 for epsilon. */
void nfa_edge(struct nfa *n, uint32_t from, uint32_t to, int32_t set);
void nfa_free(struct nfa *n);

/*
 * Adds @glob as a path from state @from; on success *end is the state that
 * accepts it. Returns 0, or -1 with *offset and *why as brig_glob_check's.
 */
int nfa_add_glob(struct nfa *n, uint32_t from, const char *glob,
		 uint32_t *end, size_t *offset, const char **why);

#endif /* BRIG_NFA_H */
