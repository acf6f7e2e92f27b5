// SPDX-License-Identifier: GPL-2.0
/*
 * brig: loading the file rule DFA
 *
 * The DFA is compiled in user space (launcher/lib/dfa.c) and trusted for
 * nothing: every size is checked against the blob, every class, transition
 * and accept entry against its bound, before the matcher ever reads it. The
 * matcher then needs no check at all: each step is one table lookup.
 */

#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <brig.h>

#include "dfa.h"

/* Like NL_SET_ERR_MSG_ATTR(), for a message chosen at run time (static). */
static void brig_dfa_refuse(struct netlink_ext_ack *extack,
			    const struct nlattr *attr, const char *why)
{
	if (!extack)
		return;
	extack->_msg = why;
	NL_SET_BAD_ATTR(extack, attr);
}

static const char *brig_dfa_check_header(const struct brig_dfa_header *hdr,
					 size_t len, size_t *cells)
{
	size_t words, expected;

	if (le32_to_cpu(hdr->magic) != BRIG_DFA_MAGIC)
		return "file rule DFA: bad magic";
	if (le16_to_cpu(hdr->version) != BRIG_DFA_VERSION)
		return "file rule DFA: unsupported version";
	if (hdr->reserved)
		return "file rule DFA: reserved header field is not 0";
	if (!hdr->n_classes || le16_to_cpu(hdr->n_classes) > BRIG_DFA_CLASSES)
		return "file rule DFA: input classes out of range";
	if (le32_to_cpu(hdr->n_states) < 2 ||
	    le32_to_cpu(hdr->n_states) > BRIG_DFA_STATES_MAX)
		return "file rule DFA: state count out of range";
	if (check_mul_overflow((size_t)le32_to_cpu(hdr->n_states),
			       (size_t)le16_to_cpu(hdr->n_classes), cells) ||
	    check_add_overflow(*cells, (size_t)le32_to_cpu(hdr->n_states), &words) ||
	    check_mul_overflow(words, sizeof(u32), &expected) ||
	    check_add_overflow(expected, sizeof(*hdr) + BRIG_DFA_CLASSES, &expected) ||
	    expected != len)
		return "file rule DFA: size does not match its header";
	return NULL;
}

struct brig_dfa *brig_dfa_load(const void *blob, size_t len,
			       const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	const struct brig_dfa_header *hdr = blob;
	const __le32 *words;
	struct brig_dfa *dfa;
	const char *why;
	size_t cells, i;
	u32 c;

	if (len < sizeof(*hdr) || len > BRIG_DFA_BYTES_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "file rule DFA: size out of range");
		return ERR_PTR(-EINVAL);
	}
	why = brig_dfa_check_header(hdr, len, &cells);
	if (why) {
		brig_dfa_refuse(extack, attr, why);
		return ERR_PTR(-EINVAL);
	}

	dfa = kzalloc(sizeof(*dfa), GFP_KERNEL_ACCOUNT);
	if (!dfa)
		return ERR_PTR(-ENOMEM);
	refcount_set(&dfa->ref, 1);
	dfa->n_states = le32_to_cpu(hdr->n_states);
	dfa->n_classes = le16_to_cpu(hdr->n_classes);
	dfa->bytes = len;
	dfa->accept = kvmalloc_array(dfa->n_states + cells, sizeof(u32),
				     GFP_KERNEL_ACCOUNT);
	if (!dfa->accept) {
		kfree(dfa);
		return ERR_PTR(-ENOMEM);
	}
	dfa->next = dfa->accept + dfa->n_states;

	memcpy(dfa->classes, (const u8 *)blob + sizeof(*hdr), BRIG_DFA_CLASSES);
	for (i = 0; i < BRIG_DFA_CLASSES; i++) {
		if (dfa->classes[i] >= dfa->n_classes) {
			why = "file rule DFA: byte class out of range";
			goto out_free;
		}
	}
	words = (const __le32 *)((const u8 *)blob + sizeof(*hdr) + BRIG_DFA_CLASSES);
	for (i = 0; i < dfa->n_states; i++) {
		dfa->accept[i] = le32_to_cpu(words[i]);
		if (dfa->accept[i] & ~(BRIG_PERM_ALL | BRIG_PERM_ALL << BRIG_DFA_AUDIT_SHIFT |
				       BRIG_DFA_DENY_BELOW)) {
			why = "file rule DFA: unknown permission in an accept entry";
			goto out_free;
		}
		dfa->any |= dfa->accept[i];
	}
	words += dfa->n_states;
	for (i = 0; i < cells; i++) {
		dfa->next[i] = le32_to_cpu(words[i]);
		if (dfa->next[i] >= dfa->n_states) {
			why = "file rule DFA: transition to a state out of range";
			goto out_free;
		}
	}
	/* The matcher stops at state 0: it must accept nothing, lead nowhere. */
	if (dfa->accept[0]) {
		why = "file rule DFA: the dead state accepts";
		goto out_free;
	}
	for (c = 0; c < dfa->n_classes; c++) {
		if (dfa->next[c]) {
			why = "file rule DFA: the dead state has a way out";
			goto out_free;
		}
	}
	return dfa;

out_free:
	brig_dfa_refuse(extack, attr, why);
	brig_dfa_put(dfa);
	return ERR_PTR(-EINVAL);
}

struct brig_dfa *brig_dfa_get(struct brig_dfa *dfa)
{
	if (dfa)
		refcount_inc(&dfa->ref);
	return dfa;
}

void brig_dfa_put(struct brig_dfa *dfa)
{
	if (!dfa || !refcount_dec_and_test(&dfa->ref))
		return;
	kvfree(dfa->accept);
	kfree(dfa);
}
