/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig internals: the DFA compiler's last steps (dfa_minimize.c).
 */
#ifndef BRIG_DFA_MINIMIZE_H
#define BRIG_DFA_MINIMIZE_H

#include "dfa.h"

/*
 * @min becomes the minimal DFA of @raw (every state reachable; 0 dead, 1
 * the start), states numbered in the order of @raw's first state of each.
 */
void dfa_minimize(const struct brig_dfa *raw, struct brig_dfa *min);
/*
 * BRIG_DFA_DENY_BELOW on every state from which at least one more byte can
 * lead to a state that denies something: what renaming a directory needs.
 */
void dfa_mark_deny_below(struct brig_dfa *dfa);

#endif /* BRIG_DFA_MINIMIZE_H */
