/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the file rule DFA, verified once and then matched in one pass
 */
#ifndef _BRIG_DFA_H
#define _BRIG_DFA_H

#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include <brig.h>

/**
 * struct brig_dfa - a verified DFA (format: uapi/brig.h, docs/abi.md)
 * @n_states: states; 0 is dead, 1 the start.
 * @n_classes: input classes, columns of @next.
 * @bytes: size of the blob it was loaded from.
 * @classes: byte -> input class, each below @n_classes.
 * @accept: per state, deny bits | audit bits << 16 | %BRIG_DFA_DENY_BELOW.
 * @any: every state's @accept together: what some rule denies or audits
 *	somewhere, for a file whose name cannot be trusted.
 * @next: per state and class, the next state, each below @n_states.
 * @ref: the policies that hold it: one, or more once a mode switch has
 *	made a policy of the same rules (brig_policy_with_mode()). It never
 *	changes once loaded, so it is shared as it is.
 */
struct brig_dfa {
	u32 n_states;
	u32 n_classes;
	size_t bytes;
	u8 classes[BRIG_DFA_CLASSES];
	u32 *accept;
	u32 any;
	u32 *next;
	refcount_t ref;
};

/*
 * Verifies @len bytes at @blob and makes a DFA of them; ERR_PTR() with the
 * reason in @extack (on @attr) if any size, state, transition or accept
 * entry is out of bounds.
 */
struct brig_dfa *brig_dfa_load(const void *blob, size_t len,
			       const struct nlattr *attr,
			       struct netlink_ext_ack *extack);
/* Another holder of @dfa (which may be NULL); returns it. */
struct brig_dfa *brig_dfa_get(struct brig_dfa *dfa);
/* Drops a holder's reference; the last frees it. NULL does nothing. */
void brig_dfa_put(struct brig_dfa *dfa);

/* The state after @state reads the byte @c (0, the dead state, stays). */
static inline u32 brig_dfa_step(const struct brig_dfa *dfa, u32 state, u8 c)
{
	return dfa->next[(size_t)state * dfa->n_classes + dfa->classes[c]];
}

/*
 * The permissions of @path (deny | audit << 16 | %BRIG_DFA_DENY_BELOW): one
 * pass, O(@len), no allocation, whatever the number of rules.
 */
static inline u32 brig_dfa_match(const struct brig_dfa *dfa, const char *path,
				 size_t len)
{
	u32 state = 1;
	size_t i;

	for (i = 0; i < len && state; i++)
		state = brig_dfa_step(dfa, state, path[i]);
	return dfa->accept[state];
}

#endif /* _BRIG_DFA_H */
