/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: a container's policy, immutable once built
 */
#ifndef _BRIG_POLICY_H
#define _BRIG_POLICY_H

#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "dfa.h"
#include "limits.h"

/**
 * struct brig_socket_rule - one socket deny rule, as given
 * @family: AF_*, 0 for every family.
 * @type: SOCK_*, 0 for every type.
 */
struct brig_socket_rule {
	u32 family;
	u32 type;
};

/**
 * struct brig_device_rule - one device node a policy exposes
 * @type: &enum brig_device.
 * @major: the major number, or %BRIG_DEVICE_ANY.
 * @minor: the minor number, or %BRIG_DEVICE_ANY.
 * @access: BRIG_PERM_READ and/or BRIG_PERM_WRITE: what an open may ask for.
 */
struct brig_device_rule {
	u32 type;
	u32 major;
	u32 minor;
	u32 access;
};

/**
 * struct brig_policy - what a container may do
 *
 * Built once from a netlink message and never changed: a new policy replaces
 * the old one with rcu_assign_pointer(), and the old one is freed after a
 * grace period. Hooks read it under rcu_read_lock().
 *
 * @rcu: for kfree_rcu().
 * @caps: capabilities allowed, bit N for capability N.
 * @pids_max: task ceiling; 0 for none.
 * @mode: &enum brig_mode.
 * @socket_deny: per family, bit N set when socket type N is refused.
 * @n_socket_rules: number of entries in @socket_rules.
 * @socket_rules: the rules @socket_deny was built from, for reporting.
 * @dfa: the file rules, or NULL if there are none.
 * @flags: BRIG_POLICY_F_*.
 * @n_devices: number of entries in @devices.
 * @devices: the device nodes that may be opened, with %BRIG_POLICY_F_DEVICES.
 */
struct brig_policy {
	struct rcu_head rcu;
	u64 caps;
	u32 pids_max;
	u32 mode;
	u16 socket_deny[AF_MAX];
	u32 n_socket_rules;
	struct brig_socket_rule socket_rules[BRIG_SOCKET_RULES_MAX];
	struct brig_dfa *dfa;
	u32 flags;
	u32 n_devices;
	struct brig_device_rule devices[BRIG_DEVICE_RULES_MAX];
};

extern const struct nla_policy brig_policy_nl_policy[BRIG_POLICY_A_MAX + 1];

/*
 * Builds a policy from a %BRIG_A_POLICY nest and the %BRIG_A_DFA chunks
 * among the message's top-level attributes (@head, @head_len); ERR_PTR()
 * with extack set.
 */
struct brig_policy *brig_policy_parse(const struct nlattr *attr,
				      const struct nlattr *head, int head_len,
				      struct netlink_ext_ack *extack);
/* Room brig_policy_fill() needs at most, beyond NLMSG_GOODSIZE. */
#define BRIG_POLICY_FILL_EXTRA \
	(BRIG_DEVICE_RULES_MAX * nla_total_size(4 * nla_total_size(sizeof(u32))))
/* Puts @policy into @skb as a %BRIG_A_POLICY nest. */
int brig_policy_fill(struct sk_buff *skb, const struct brig_policy *policy);

/*
 * A new policy: @policy's rules, in @mode (enum brig_mode), its DFA shared
 * (brig_dfa_get()); NULL if out of memory.
 */
struct brig_policy *brig_policy_with_mode(const struct brig_policy *policy, u32 mode);
/* Frees @policy now: nobody can see it (or a grace period has passed). */
void brig_policy_free(struct brig_policy *policy);
/* Frees @policy after a grace period: hooks may still be reading it. */
void brig_policy_free_rcu(struct brig_policy *policy);

static inline bool brig_policy_complains(const struct brig_policy *policy)
{
	return policy->mode == BRIG_MODE_COMPLAIN;
}

static inline bool brig_policy_has(const struct brig_policy *policy, u32 flag)
{
	return policy->flags & flag;
}

/*
 * Returns -EINVAL, with extack set, if an attribute of the nest at @head
 * appears twice; bit N of @multi allows type N to repeat.
 */
int brig_nla_reject_duplicates(const struct nlattr *head, int len, int maxtype,
			       u64 multi, struct netlink_ext_ack *extack);

#endif /* _BRIG_POLICY_H */
