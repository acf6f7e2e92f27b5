/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately simple reference for dfa.h's glob language, to check the
 * glob -> DFA compiler against (dfa_test.c, tests/fuzz/glob_fuzz.c).
 *
 * Globs are expanded into every brace-free alternative, as token lists
 * (so that `*{*,}` is a star and maybe another star, never `**`), and each
 * is matched by backtracking: exponential, so for short globs and paths.
 *
 * It takes only globs that brig_glob_check() accepts, of fewer than
 * GLOB_REF_TOKENS characters; braces nest at most 16 deep there.
 */
#ifndef BRIG_TESTS_GLOB_REF_H
#define BRIG_TESTS_GLOB_REF_H

#include <stdbool.h>
#include <stddef.h>

/* A glob's length, at most, plus one. */
#define GLOB_REF_TOKENS 64
/* glob.c's BRACE_DEPTH_MAX, plus one. */
#define GLOB_REF_DEPTH 17

enum { T_LIT, T_ONE, T_SET, T_STAR, T_DSTAR };

struct token {
	int kind;
	unsigned char c;	/* T_LIT */
	const char *set;	/* T_SET: points at its '[' */
};

struct alt {
	struct token t[GLOB_REF_TOKENS];
	int n;
};

/* Length of the set starting at g ('['), up to and including ']'. */
static inline size_t set_len(const char *g)
{
	size_t i = 1;

	if (g[i] == '^' || g[i] == '!')
		i++;
	do {
		if (g[i] == '\\')
			i++;
		i++;
	} while (g[i] != ']');
	return i + 1;
}

/* Bytes compare unsigned, as the compiler's byte sets do. */
static inline bool in_set(const char *set, unsigned char c)
{
	const unsigned char *g = (const unsigned char *)set;
	size_t i = 1, end = set_len(set) - 1;
	bool negate = false, found = false;

	if (g[i] == '^' || g[i] == '!') {
		negate = true;
		i++;
	}
	while (i < end) {
		unsigned char lo = g[i] == '\\' ? g[++i] : g[i], hi = lo;

		if (g[i + 1] == '-' && i + 2 < end) {
			hi = g[i + 2] == '\\' ? g[i + 3] : g[i + 2];
			i += g[i + 2] == '\\' ? 3 : 2;
		}
		if (c >= lo && c <= hi)
			found = true;
		i++;
	}
	return c != '/' && found != negate;
}

static inline bool tokens_match(const struct token *t, int n, const char *p)
{
	int k;

	if (!n)
		return !*p;
	switch (t->kind) {
	case T_STAR:
	case T_DSTAR:
		for (k = 0;; k++) {
			if (tokens_match(t + 1, n - 1, p + k))
				return true;
			if (!p[k] || (t->kind == T_STAR && p[k] == '/'))
				return false;
		}
	case T_ONE:
		return *p && *p != '/' && tokens_match(t + 1, n - 1, p + 1);
	case T_SET:
		return *p && in_set(t->set, *p) && tokens_match(t + 1, n - 1, p + 1);
	default:
		return (unsigned char)*p == t->c && tokens_match(t + 1, n - 1, p + 1);
	}
}

/* From g[pos], the end of the current alternative at this depth. */
static inline size_t alt_end(const char *g, size_t pos)
{
	int depth = 0;

	for (; g[pos]; pos++) {
		if (g[pos] == '\\')
			pos++;
		else if (g[pos] == '[')
			pos += set_len(g + pos) - 1;
		else if (g[pos] == '{')
			depth++;
		else if (g[pos] == '}' && depth)
			depth--;
		else if ((g[pos] == ',' || g[pos] == '}') && !depth)
			return pos;
	}
	return pos;
}

/*
 * Matches the alternatives of g[*pos..] (up to its end, or ',' / '}' inside
 * braces) following the tokens already in @prefix, then @rest (the text
 * after the enclosing braces, at each outer level), against @p. Each brace
 * adds a rest, so @n_rest is the depth: outside braces ',' is a character.
 */
static inline bool expand_match(const char *g, size_t pos, struct alt prefix,
				const char *const *rest, int n_rest, const char *p)
{
	while (g[pos] && (!n_rest || (g[pos] != ',' && g[pos] != '}'))) {
		struct token *t = &prefix.t[prefix.n++];

		switch (g[pos]) {
		case '{': {
			/* Each alternative, then what follows the braces. */
			size_t a = pos, close;
			const char *rest2[GLOB_REF_DEPTH];
			int i;

			prefix.n--;
			close = a;
			do
				close = alt_end(g, close + 1);
			while (g[close] == ',');
			for (i = 0; i < n_rest; i++)
				rest2[i + 1] = rest[i];
			rest2[0] = g + close + 1;
			do {
				if (expand_match(g, a + 1, prefix, rest2, n_rest + 1, p))
					return true;
				a = alt_end(g, a + 1);
			} while (g[a] == ',');
			return false;
		}
		case '*':
			if (g[pos + 1] == '*') {
				t->kind = T_DSTAR;
				pos++;
			} else {
				t->kind = T_STAR;
			}
			pos++;
			break;
		case '?':
			t->kind = T_ONE;
			pos++;
			break;
		case '[':
			t->kind = T_SET;
			t->set = g + pos;
			pos += set_len(g + pos);
			break;
		case '\\':
			pos++;
			/* fall through */
		default:
			t->kind = T_LIT;
			t->c = g[pos++];
		}
	}
	if (n_rest)
		return expand_match(rest[0], 0, prefix, rest + 1, n_rest - 1, p);
	return tokens_match(prefix.t, prefix.n, p);
}

/* Does @glob match @path? */
static inline bool glob_ref_match(const char *glob, const char *path)
{
	struct alt none = { .n = 0 };

	return expand_match(glob, 0, none, NULL, 0, path);
}

#endif /* BRIG_TESTS_GLOB_REF_H */
