// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: globs -> NFA, by Thompson's construction; also the check alone,
 * for the parser's errors. The language is dfa.h's.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dfa.h"
#include "nfa.h"

#define GLOB_MAX	4096	/* PATH_MAX */
#define BRACE_DEPTH_MAX	16

static void set_add(struct byteset *s, unsigned int c)
{
	s->w[c >> 6] |= 1ULL << (c & 63);
}

void *nfa_grow(void *ptr, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return ptr;
	*cap = *cap ? *cap * 2 : 16;
	if (*cap < need)
		*cap = need;
	ptr = realloc(ptr, (size_t)*cap * size);
	if (!ptr)
		abort();
	return ptr;
}

uint32_t nfa_state(struct nfa *n)
{
	n->states = nfa_grow(n->states, &n->cap_states, n->n_states + 1,
			     sizeof(*n->states));
	memset(&n->states[n->n_states], 0, sizeof(*n->states));
	return n->n_states++;
}

void nfa_edge(struct nfa *n, uint32_t from, uint32_t to, int32_t set)
{
	struct nfa_state *s = &n->states[from];

	s->edges = nfa_grow(s->edges, &s->cap_edges, s->n_edges + 1, sizeof(*s->edges));
	s->edges[s->n_edges++] = (struct nfa_edge){ .to = to, .set = set };
}

/* Interns a byte set; equal sets share an index. */
static int32_t nfa_set(struct nfa *n, const struct byteset *set)
{
	uint32_t i;

	for (i = 0; i < n->n_sets; i++) {
		if (!memcmp(&n->sets[i], set, sizeof(*set)))
			return i;
	}
	n->sets = nfa_grow(n->sets, &n->cap_sets, n->n_sets + 1, sizeof(*n->sets));
	n->sets[n->n_sets] = *set;
	return n->n_sets++;
}

static int32_t nfa_byte(struct nfa *n, unsigned char c)
{
	struct byteset s = { { 0 } };

	set_add(&s, c);
	return nfa_set(n, &s);
}

static int32_t nfa_any(struct nfa *n, bool slash)
{
	struct byteset s;

	memset(&s, 0xff, sizeof(s));
	s.w[0] &= ~1ULL;	/* never NUL */
	if (!slash)
		s.w['/' >> 6] &= ~(1ULL << ('/' & 63));
	return nfa_set(n, &s);
}

void nfa_free(struct nfa *n)
{
	uint32_t i;

	for (i = 0; i < n->n_states; i++)
		free(n->states[i].edges);
	free(n->states);
	free(n->sets);
}
/* Glob parsing; with @n NULL it only checks. */
struct parser {
	struct nfa *n;
	const char *g;
	size_t pos;
	const char *why;
};

static int fail(struct parser *p, const char *why)
{
	p->why = why;
	return -1;
}

/* [abc], [a-z], [^abc]: one byte of the set, never '/'. */
static int parse_set(struct parser *p, uint32_t *cur)
{
	struct byteset set = { { 0 } };
	bool negate = false, first = true;
	unsigned int c, hi, b;
	size_t start = p->pos++;

	if (p->g[p->pos] == '^' || p->g[p->pos] == '!') {
		negate = true;
		p->pos++;
	}
	for (;;) {
		c = (unsigned char)p->g[p->pos];
		if (!c) {
			p->pos = start;
			return fail(p, "unterminated character set");
		}
		if (c == ']' && !first)
			break;
		first = false;
		if (c == '\\') {
			c = (unsigned char)p->g[++p->pos];
			if (!c)
				return fail(p, "'\\' at the end of the glob");
		}
		hi = c;
		if (p->g[p->pos + 1] == '-' && p->g[p->pos + 2] &&
		    p->g[p->pos + 2] != ']') {
			p->pos += 2;
			hi = (unsigned char)p->g[p->pos];
			if (hi == '\\')
				hi = (unsigned char)p->g[++p->pos];
			if (!hi || hi < c)
				return fail(p, "bad range in character set");
		}
		for (b = c; b <= hi; b++) {
			if (b == '/')
				return fail(p, "a character set never matches '/'");
			set_add(&set, b);
		}
		p->pos++;
	}
	p->pos++;	/* ']' */
	if (negate) {
		for (b = 0; b < 4; b++)
			set.w[b] = ~set.w[b];
		set.w[0] &= ~1ULL;
		set.w['/' >> 6] &= ~(1ULL << ('/' & 63));
	}
	if (p->n) {
		uint32_t next = nfa_state(p->n);

		nfa_edge(p->n, *cur, next, nfa_set(p->n, &set));
		*cur = next;
	}
	return 0;
}

static int parse_seq(struct parser *p, uint32_t *cur, int depth);

/* {a,b,...}: each alternative from the same state, all joining after. */
static int parse_braces(struct parser *p, uint32_t *cur, int depth)
{
	size_t start = p->pos;
	uint32_t join = p->n ? nfa_state(p->n) : 0;

	if (depth >= BRACE_DEPTH_MAX)
		return fail(p, "alternatives nested too deep");
	do {
		uint32_t alt = *cur;

		p->pos++;	/* '{' or ',' */
		if (parse_seq(p, &alt, depth + 1) < 0)
			return -1;
		if (p->n)
			nfa_edge(p->n, alt, join, -1);
	} while (p->g[p->pos] == ',');
	if (p->g[p->pos] != '}') {
		p->pos = start;
		return fail(p, "unterminated '{'");
	}
	p->pos++;
	*cur = join;
	return 0;
}

/* A sequence, up to the end, or to ',' or '}' inside braces. */
static int parse_seq(struct parser *p, uint32_t *cur, int depth)
{
	unsigned char c;

	while ((c = (unsigned char)p->g[p->pos])) {
		if (depth && (c == ',' || c == '}'))
			return 0;
		if (c == '}')
			return fail(p, "'}' without '{'");
		if (c == '{') {
			if (parse_braces(p, cur, depth) < 0)
				return -1;
			continue;
		}
		if (c == '[') {
			if (parse_set(p, cur) < 0)
				return -1;
			continue;
		}
		if (c == '*') {
			bool any = p->g[p->pos + 1] == '*';

			p->pos += any ? 2 : 1;
			if (p->g[p->pos] == '*')
				return fail(p, "'***' means nothing more than '**'");
			if (p->n) {
				uint32_t loop = nfa_state(p->n);

				nfa_edge(p->n, *cur, loop, -1);
				nfa_edge(p->n, loop, loop, nfa_any(p->n, any));
				*cur = loop;
			}
			continue;
		}
		if (c == '?') {
			p->pos++;
			if (p->n) {
				uint32_t next = nfa_state(p->n);

				nfa_edge(p->n, *cur, next, nfa_any(p->n, false));
				*cur = next;
			}
			continue;
		}
		if (c == '\\') {
			c = (unsigned char)p->g[++p->pos];
			if (!c)
				return fail(p, "'\\' at the end of the glob");
		}
		p->pos++;
		if (p->n) {
			uint32_t next = nfa_state(p->n);

			nfa_edge(p->n, *cur, next, nfa_byte(p->n, c));
			*cur = next;
		}
	}
	return 0;
}

static int parse_glob(struct parser *p, uint32_t *cur)
{
	if (p->g[0] != '/')
		return fail(p, "a file rule's glob is an absolute path: it starts with '/'");
	if (strlen(p->g) >= GLOB_MAX)
		return fail(p, "glob longer than PATH_MAX");
	return parse_seq(p, cur, 0);
}

int brig_glob_check(const char *glob, size_t *offset, const char **why)
{
	struct parser p = { .g = glob };
	uint32_t cur = 0;

	if (parse_glob(&p, &cur) == 0)
		return 0;
	*offset = p.pos;
	*why = p.why;
	return -1;
}

int nfa_add_glob(struct nfa *n, uint32_t from, const char *glob,
		 uint32_t *end, size_t *offset, const char **why)
{
	struct parser p = { .n = n, .g = glob };
	uint32_t cur = nfa_state(n);

	nfa_edge(n, from, cur, -1);
	if (parse_glob(&p, &cur) < 0) {
		*offset = p.pos;
		*why = p.why;
		return -1;
	}
	*end = cur;
	return 0;
}
