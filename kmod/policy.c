// SPDX-License-Identifier: GPL-2.0
/*
 * brig: building a policy from netlink attributes
 *
 * The attribute policies below bound every value; what they cannot express
 * (a missing capability set, repeated attributes, too many rules) is checked
 * here, each refusal with an extack message on the offending attribute.
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "policy.h"

static struct netlink_range_validation brig_caps_range = {
	.min = 0,
	.max = BRIG_CAPS_MASK,
};

static struct netlink_range_validation brig_pids_range = {
	.min = 1,
	.max = BRIG_PIDS_LIMIT,
};

static const struct nla_policy brig_socket_nl_policy[BRIG_SOCKET_A_MAX + 1] = {
	[BRIG_SOCKET_A_FAMILY] = NLA_POLICY_MAX(NLA_U32, AF_MAX - 1),
	[BRIG_SOCKET_A_TYPE] = NLA_POLICY_MAX(NLA_U32, BRIG_SOCK_TYPE_LAST),
};

static struct netlink_range_validation brig_minor_range = {
	.min = 0,
	.max = BRIG_DEVICE_MINOR_MAX,
};

static const struct nla_policy brig_device_nl_policy[BRIG_DEVICE_A_MAX + 1] = {
	[BRIG_DEVICE_A_TYPE] = NLA_POLICY_RANGE(NLA_U32, BRIG_DEVICE_CHAR,
						BRIG_DEVICE_MAX),
	[BRIG_DEVICE_A_MAJOR] = NLA_POLICY_MAX(NLA_U32, BRIG_DEVICE_MAJOR_MAX),
	[BRIG_DEVICE_A_MINOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &brig_minor_range),
	[BRIG_DEVICE_A_ACCESS] = NLA_POLICY_MASK(NLA_U32, BRIG_DEVICE_ACCESS_ALL),
};

const struct nla_policy brig_policy_nl_policy[BRIG_POLICY_A_MAX + 1] = {
	[BRIG_POLICY_A_MODE] = NLA_POLICY_RANGE(NLA_U32, BRIG_MODE_ENFORCE,
						BRIG_MODE_MAX),
	[BRIG_POLICY_A_CAPS] = NLA_POLICY_FULL_RANGE(NLA_U64, &brig_caps_range),
	[BRIG_POLICY_A_PIDS_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &brig_pids_range),
	[BRIG_POLICY_A_SOCKET_DENY] = NLA_POLICY_NESTED(brig_socket_nl_policy),
	[BRIG_POLICY_A_DEVICE] = NLA_POLICY_NESTED(brig_device_nl_policy),
	[BRIG_POLICY_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, BRIG_POLICY_F_ALL),
};

int brig_nla_reject_duplicates(const struct nlattr *head, int len, int maxtype,
			       u64 multi, struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(seen, 64) = { 0 };
	const struct nlattr *nla;
	int rem, type;

	if (WARN_ON_ONCE(maxtype >= 64))
		return -EINVAL;
	nla_for_each_attr(nla, head, len, rem) {
		type = nla_type(nla);
		if (type > maxtype || (multi & BIT_ULL(type)))
			continue;	/* unknown types are refused by the parser */
		if (__test_and_set_bit(type, seen)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "attribute given twice");
			return -EINVAL;
		}
	}
	return 0;
}

static int brig_socket_rule_parse(const struct nlattr *attr,
				  struct brig_socket_rule *rule,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BRIG_SOCKET_A_MAX + 1];
	int err;

	err = brig_nla_reject_duplicates(nla_data(attr), nla_len(attr),
					 BRIG_SOCKET_A_MAX, 0, extack);
	if (err)
		return err;
	err = nla_parse_nested(tb, BRIG_SOCKET_A_MAX, attr,
			       brig_socket_nl_policy, extack);
	if (err)
		return err;
	rule->family = tb[BRIG_SOCKET_A_FAMILY] ?
		       nla_get_u32(tb[BRIG_SOCKET_A_FAMILY]) : 0;
	rule->type = tb[BRIG_SOCKET_A_TYPE] ?
		     nla_get_u32(tb[BRIG_SOCKET_A_TYPE]) : 0;
	return 0;
}

static int brig_device_rule_parse(const struct nlattr *attr,
				  struct brig_device_rule *rule,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BRIG_DEVICE_A_MAX + 1];
	int err;

	err = brig_nla_reject_duplicates(nla_data(attr), nla_len(attr),
					 BRIG_DEVICE_A_MAX, 0, extack);
	if (err)
		return err;
	err = nla_parse_nested(tb, BRIG_DEVICE_A_MAX, attr,
			       brig_device_nl_policy, extack);
	if (err)
		return err;
	if (!tb[BRIG_DEVICE_A_TYPE]) {
		NL_SET_ERR_ATTR_MISS(extack, attr, BRIG_DEVICE_A_TYPE);
		NL_SET_ERR_MSG(extack, "device rule has no type");
		return -EINVAL;
	}
	if (!tb[BRIG_DEVICE_A_ACCESS]) {
		NL_SET_ERR_ATTR_MISS(extack, attr, BRIG_DEVICE_A_ACCESS);
		NL_SET_ERR_MSG(extack, "device rule has no access");
		return -EINVAL;
	}
	rule->type = nla_get_u32(tb[BRIG_DEVICE_A_TYPE]);
	rule->major = tb[BRIG_DEVICE_A_MAJOR] ?
		      nla_get_u32(tb[BRIG_DEVICE_A_MAJOR]) : BRIG_DEVICE_ANY;
	rule->minor = tb[BRIG_DEVICE_A_MINOR] ?
		      nla_get_u32(tb[BRIG_DEVICE_A_MINOR]) : BRIG_DEVICE_ANY;
	rule->access = nla_get_u32(tb[BRIG_DEVICE_A_ACCESS]);
	return 0;
}

static void brig_socket_rule_apply(struct brig_policy *policy,
				   const struct brig_socket_rule *rule)
{
	u16 types = rule->type ? BIT(rule->type) : BRIG_SOCK_TYPES_ALL;
	int family;

	for (family = 0; family < AF_MAX; family++) {
		if (!rule->family || rule->family == family)
			policy->socket_deny[family] |= types;
	}
}

/* Joins the DFA's chunks (top-level attributes at @head), and verifies it. */
static int brig_policy_load_dfa(struct brig_policy *policy,
				const struct nlattr *head, int head_len,
				struct netlink_ext_ack *extack)
{
	const struct nlattr *nla, *first = NULL;
	size_t len = 0;
	struct brig_dfa *dfa;
	u8 *blob;
	int rem;

	nla_for_each_attr(nla, head, head_len, rem) {
		if (nla_type(nla) != BRIG_A_DFA)
			continue;
		first = first ?: nla;
		len += nla_len(nla);
		if (len > BRIG_DFA_BYTES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "file rule DFA: size out of range");
			return -E2BIG;
		}
	}
	if (!first)
		return 0;
	blob = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!blob)
		return -ENOMEM;
	len = 0;
	nla_for_each_attr(nla, head, head_len, rem) {
		if (nla_type(nla) != BRIG_A_DFA)
			continue;
		memcpy(blob + len, nla_data(nla), nla_len(nla));
		len += nla_len(nla);
	}
	dfa = brig_dfa_load(blob, len, first, extack);
	kvfree(blob);
	if (IS_ERR(dfa))
		return PTR_ERR(dfa);
	policy->dfa = dfa;
	return 0;
}

void brig_policy_free(struct brig_policy *policy)
{
	if (!policy)
		return;
	brig_dfa_put(policy->dfa);
	kfree(policy);
}

struct brig_policy *brig_policy_with_mode(const struct brig_policy *policy, u32 mode)
{
	struct brig_policy *copy = kmemdup(policy, sizeof(*policy), GFP_KERNEL_ACCOUNT);

	if (!copy)
		return NULL;
	copy->mode = mode;
	copy->dfa = brig_dfa_get(policy->dfa);
	return copy;
}

static void brig_policy_free_cb(struct rcu_head *rcu)
{
	brig_policy_free(container_of(rcu, struct brig_policy, rcu));
}

void brig_policy_free_rcu(struct brig_policy *policy)
{
	if (policy)
		call_rcu(&policy->rcu, brig_policy_free_cb);
}

struct brig_policy *brig_policy_parse(const struct nlattr *attr,
				      const struct nlattr *head, int head_len,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BRIG_POLICY_A_MAX + 1];
	struct brig_policy *policy;
	const struct nlattr *nla;
	int err, rem;

	err = brig_nla_reject_duplicates(nla_data(attr), nla_len(attr),
					 BRIG_POLICY_A_MAX,
					 BIT_ULL(BRIG_POLICY_A_SOCKET_DENY) |
					 BIT_ULL(BRIG_POLICY_A_DEVICE), extack);
	if (err)
		return ERR_PTR(err);
	err = nla_parse_nested(tb, BRIG_POLICY_A_MAX, attr,
			       brig_policy_nl_policy, extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[BRIG_POLICY_A_CAPS]) {
		NL_SET_ERR_ATTR_MISS(extack, attr, BRIG_POLICY_A_CAPS);
		NL_SET_ERR_MSG(extack, "policy has no capability set");
		return ERR_PTR(-EINVAL);
	}

	policy = kzalloc(sizeof(*policy), GFP_KERNEL_ACCOUNT);
	if (!policy)
		return ERR_PTR(-ENOMEM);
	policy->caps = nla_get_u64(tb[BRIG_POLICY_A_CAPS]);
	policy->mode = tb[BRIG_POLICY_A_MODE] ?
		       nla_get_u32(tb[BRIG_POLICY_A_MODE]) : BRIG_MODE_ENFORCE;
	if (tb[BRIG_POLICY_A_PIDS_MAX])
		policy->pids_max = nla_get_u32(tb[BRIG_POLICY_A_PIDS_MAX]);
	if (tb[BRIG_POLICY_A_FLAGS])
		policy->flags = nla_get_u32(tb[BRIG_POLICY_A_FLAGS]);

	nla_for_each_nested(nla, attr, rem) {
		struct brig_socket_rule *rule;

		if (nla_type(nla) == BRIG_POLICY_A_DEVICE) {
			if (policy->n_devices == BRIG_DEVICE_RULES_MAX) {
				NL_SET_ERR_MSG_ATTR(extack, nla, "too many device rules");
				err = -E2BIG;
				goto out_free;
			}
			err = brig_device_rule_parse(nla, &policy->devices[policy->n_devices],
						     extack);
			if (err)
				goto out_free;
			policy->n_devices++;
			continue;
		}
		if (nla_type(nla) != BRIG_POLICY_A_SOCKET_DENY)
			continue;
		if (policy->n_socket_rules == BRIG_SOCKET_RULES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "too many socket rules");
			err = -E2BIG;
			goto out_free;
		}
		rule = &policy->socket_rules[policy->n_socket_rules];
		err = brig_socket_rule_parse(nla, rule, extack);
		if (err)
			goto out_free;
		brig_socket_rule_apply(policy, rule);
		policy->n_socket_rules++;
	}
	err = brig_policy_load_dfa(policy, head, head_len, extack);
	if (err)
		goto out_free;
	return policy;

out_free:
	brig_policy_free(policy);
	return ERR_PTR(err);
}

static int brig_device_rule_fill(struct sk_buff *skb,
				 const struct brig_device_rule *rule)
{
	struct nlattr *nest = nla_nest_start(skb, BRIG_POLICY_A_DEVICE);

	if (!nest ||
	    nla_put_u32(skb, BRIG_DEVICE_A_TYPE, rule->type) ||
	    (rule->major != BRIG_DEVICE_ANY &&
	     nla_put_u32(skb, BRIG_DEVICE_A_MAJOR, rule->major)) ||
	    (rule->minor != BRIG_DEVICE_ANY &&
	     nla_put_u32(skb, BRIG_DEVICE_A_MINOR, rule->minor)) ||
	    nla_put_u32(skb, BRIG_DEVICE_A_ACCESS, rule->access))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int brig_policy_fill(struct sk_buff *skb, const struct brig_policy *policy)
{
	struct nlattr *nest, *rule;
	u32 i;

	nest = nla_nest_start(skb, BRIG_A_POLICY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BRIG_POLICY_A_MODE, policy->mode) ||
	    nla_put_u64_64bit(skb, BRIG_POLICY_A_CAPS, policy->caps,
			      BRIG_POLICY_A_PAD))
		goto err_cancel;
	if (policy->pids_max &&
	    nla_put_u32(skb, BRIG_POLICY_A_PIDS_MAX, policy->pids_max))
		goto err_cancel;
	if (policy->dfa &&
	    (nla_put_u32(skb, BRIG_POLICY_A_DFA_STATES, policy->dfa->n_states) ||
	     nla_put_u32(skb, BRIG_POLICY_A_DFA_BYTES, policy->dfa->bytes)))
		goto err_cancel;
	if (policy->flags &&
	    nla_put_u32(skb, BRIG_POLICY_A_FLAGS, policy->flags))
		goto err_cancel;
	for (i = 0; i < policy->n_devices; i++) {
		if (brig_device_rule_fill(skb, &policy->devices[i]))
			goto err_cancel;
	}
	for (i = 0; i < policy->n_socket_rules; i++) {
		rule = nla_nest_start(skb, BRIG_POLICY_A_SOCKET_DENY);
		if (!rule ||
		    nla_put_u32(skb, BRIG_SOCKET_A_FAMILY,
				policy->socket_rules[i].family) ||
		    nla_put_u32(skb, BRIG_SOCKET_A_TYPE,
				policy->socket_rules[i].type))
			goto err_cancel;
		nla_nest_end(skb, rule);
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
