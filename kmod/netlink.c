// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the generic netlink family "brig"
 *
 * The family lives in the initial network namespace only (.netnsok = false):
 * a container with its own network namespace cannot even resolve it. Each
 * op has its own attribute policy with explicit bounds, and resv_start_op is
 * 0, so unknown attributes, flags and reserved header bits are refused for
 * every command. What a policy table cannot say (repeated attributes, one
 * selector of two, a name's characters, who may send) is checked in the op,
 * and every refusal carries an extack message.
 */

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/threads.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include <brig.h>

#include "container.h"
#include "event.h"
#include "netlink.h"
#include "policy.h"
#include "probe.h"

enum brig_nlgrp {
	BRIG_NLGRP_EVENTS,
};

static const struct genl_multicast_group brig_mcgrps[] = {
	[BRIG_NLGRP_EVENTS] = {
		.name = BRIG_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family brig_genl_family;

/*
 * Whether the family is registered, so that events may be sent: an event
 * sent after genl_unregister_family() would go to multicast group ids that
 * are no longer ours. Set after registering, cleared before unregistering,
 * under brig_nl_event_lock, which each send holds throughout.
 */
static bool brig_nl_live;
static DEFINE_MUTEX(brig_nl_event_lock);

static struct netlink_range_validation brig_pid_range = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

#define BRIG_NAME_POLICY { .type = NLA_NUL_STRING, .len = BRIG_NAME_MAX - 1 }
#define BRIG_ID_POLICY NLA_POLICY_MIN(NLA_U32, 1)

static const struct nla_policy brig_ping_policy[BRIG_A_COOKIE + 1] = {
	[BRIG_A_COOKIE] = { .type = NLA_U64 },
};

/* A full range: the s16 bounds of NLA_POLICY_RANGE stop at 32767. */
static struct netlink_range_validation brig_dfa_chunk_range = {
	.min = 1,
	.max = BRIG_DFA_CHUNK_MAX,
};

#define BRIG_DFA_POLICY NLA_POLICY_FULL_RANGE(NLA_BINARY, &brig_dfa_chunk_range)

static const struct nla_policy brig_register_policy[BRIG_A_DFA + 1] = {
	[BRIG_A_NAME] = BRIG_NAME_POLICY,
	[BRIG_A_INIT_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &brig_pid_range),
	[BRIG_A_POLICY] = NLA_POLICY_NESTED(brig_policy_nl_policy),
	[BRIG_A_DFA] = BRIG_DFA_POLICY,
};

static const struct nla_policy brig_set_policy_policy[BRIG_A_MODE + 1] = {
	[BRIG_A_ID] = BRIG_ID_POLICY,
	[BRIG_A_NAME] = BRIG_NAME_POLICY,
	[BRIG_A_POLICY] = NLA_POLICY_NESTED(brig_policy_nl_policy),
	[BRIG_A_DFA] = BRIG_DFA_POLICY,
	[BRIG_A_MODE] = NLA_POLICY_RANGE(NLA_U32, BRIG_MODE_ENFORCE, BRIG_MODE_MAX),
};

static const struct nla_policy brig_select_policy[BRIG_A_NAME + 1] = {
	[BRIG_A_ID] = BRIG_ID_POLICY,
	[BRIG_A_NAME] = BRIG_NAME_POLICY,
};

/*
 * Who may send: nobody inside a container; CAP_NET_ADMIN in the initial
 * user namespace; CAP_MAC_ADMIN too for anything that changes state.
 */
static int brig_nl_check_sender(const struct sk_buff *skb, bool changes_state,
				struct netlink_ext_ack *extack)
{
	struct brig_container *c;

	rcu_read_lock();
	c = brig_current_container();
	rcu_read_unlock();
	if (c) {
		NL_SET_ERR_MSG(extack, "not permitted from inside a container");
		return -EPERM;
	}
	if (!netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack, "needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (changes_state && !netlink_capable(skb, CAP_MAC_ADMIN)) {
		NL_SET_ERR_MSG(extack, "needs CAP_MAC_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return 0;
}

/* Privilege, then the attributes' shape; @maxattr is the op's policy size. */
static int brig_nl_check(const struct sk_buff *skb, struct genl_info *info,
			 bool changes_state, int maxattr)
{
	int err;

	err = brig_nl_check_sender(skb, changes_state, info->extack);
	if (err)
		return err;
	/* Only the DFA comes in several pieces. */
	return brig_nla_reject_duplicates(genlmsg_data(info->genlhdr),
					  genlmsg_len(info->genlhdr), maxattr,
					  BIT_ULL(BRIG_A_DFA), info->extack);
}

/* True, with the missing attribute and @msg in extack, if @attr is absent. */
#define brig_nl_missing(info, attr, msg) ({				\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack, msg);			\
	__missing;							\
})

/* [A-Za-z0-9][A-Za-z0-9_.-]*, as Docker names containers. */
static int brig_nl_check_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	size_t i;

	if (!isalnum(name[0])) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "container name must start with a letter or digit");
		return -EINVAL;
	}
	for (i = 1; name[i]; i++) {
		if (!isalnum(name[i]) && !strchr("_.-", name[i])) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "container name may only hold letters, digits and _.-");
			return -EINVAL;
		}
	}
	return 0;
}

/* The container named by ID or NAME; under brig_registry_lock. */
static struct brig_container *brig_nl_select(struct genl_info *info)
{
	struct nlattr *id = info->attrs[BRIG_A_ID];
	struct nlattr *name = info->attrs[BRIG_A_NAME];
	struct brig_container *c;

	lockdep_assert_held(&brig_registry_lock);
	if (id && name) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "name the container by id or by name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!id && !name) {
		NL_SET_ERR_MSG(info->extack, "no container id or name");
		return ERR_PTR(-EINVAL);
	}
	c = brig_container_find(id ? nla_get_u32(id) : 0,
				name ? nla_data(name) : NULL);
	if (!c) {
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: name, "no such container");
		return ERR_PTR(-ENOENT);
	}
	return c;
}

static int brig_ping_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(nla_total_size(sizeof(u32)) +
			    nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	hdr = genlmsg_put_reply(reply, info, &brig_genl_family, 0,
				BRIG_CMD_PING);
	if (!hdr)
		goto err_msgsize;
	if (nla_put_u32(reply, BRIG_A_VERSION, BRIG_GENL_VERSION))
		goto err_msgsize;
	if (info->attrs[BRIG_A_COOKIE] &&
	    nla_put_u64_64bit(reply, BRIG_A_COOKIE,
			      nla_get_u64(info->attrs[BRIG_A_COOKIE]),
			      BRIG_A_PAD))
		goto err_msgsize;

	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

err_msgsize:
	nlmsg_free(reply);
	return -EMSGSIZE;
}

static int brig_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct brig_policy *policy;
	struct task_struct *init;
	struct sk_buff *reply;
	struct pid *pid;
	void *hdr;
	u32 id;
	int err;

	err = brig_nl_check(skb, info, true, BRIG_A_DFA);
	if (err)
		return err;
	if (brig_nl_missing(info, BRIG_A_INIT_PID, "no init pid") ||
	    brig_nl_missing(info, BRIG_A_NAME, "no container name") ||
	    brig_nl_missing(info, BRIG_A_POLICY, "no policy"))
		return -EINVAL;
	err = brig_nl_check_name(info->attrs[BRIG_A_NAME], info->extack);
	if (err)
		return err;

	/* Everything that can fail for want of memory, before any change. */
	reply = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &brig_genl_family, 0,
				BRIG_CMD_REGISTER);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out_free_reply;
	}
	policy = brig_policy_parse(info->attrs[BRIG_A_POLICY],
				   genlmsg_data(info->genlhdr),
				   genlmsg_len(info->genlhdr), info->extack);
	if (IS_ERR(policy)) {
		err = PTR_ERR(policy);
		goto out_free_reply;
	}

	pid = find_get_pid(nla_get_u32(info->attrs[BRIG_A_INIT_PID]));
	init = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!init) {
		brig_policy_free(policy);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BRIG_A_INIT_PID],
				    "no such process");
		err = -ESRCH;
		goto out_free_reply;
	}
	err = brig_container_register(init, nla_data(info->attrs[BRIG_A_NAME]),
				      policy, &id, info->extack);
	put_task_struct(init);
	if (err)
		goto out_free_reply;

	if (nla_put_u32(reply, BRIG_A_ID, id)) {
		/* Cannot happen: the reply was sized for it. */
		err = -EMSGSIZE;
		goto out_free_reply;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

out_free_reply:
	nlmsg_free(reply);
	return err;
}

/* SET_POLICY with %BRIG_A_MODE: the policy in force, in another mode. */
static int brig_set_mode(struct genl_info *info)
{
	struct brig_policy *policy;
	struct brig_container *c;
	u32 mode = nla_get_u32(info->attrs[BRIG_A_MODE]);
	int err = 0;

	if (info->attrs[BRIG_A_POLICY] || info->attrs[BRIG_A_DFA]) {
		NL_SET_ERR_MSG(info->extack, "a mode or a policy, not both");
		return -EINVAL;
	}
	mutex_lock(&brig_registry_lock);
	c = brig_nl_select(info);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto out;
	}
	policy = brig_policy_with_mode(rcu_dereference_protected(c->policy,
			lockdep_is_held(&brig_registry_lock)), mode);
	if (!policy) {
		err = -ENOMEM;
		goto out;
	}
	brig_container_set_policy(c, policy);
out:
	mutex_unlock(&brig_registry_lock);
	return err;
}

static int brig_set_policy_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct brig_policy *policy;
	struct brig_container *c;
	int err;

	err = brig_nl_check(skb, info, true, BRIG_A_MODE);
	if (err)
		return err;
	if (info->attrs[BRIG_A_MODE])
		return brig_set_mode(info);
	if (brig_nl_missing(info, BRIG_A_POLICY, "no policy"))
		return -EINVAL;
	policy = brig_policy_parse(info->attrs[BRIG_A_POLICY],
				   genlmsg_data(info->genlhdr),
				   genlmsg_len(info->genlhdr), info->extack);
	if (IS_ERR(policy))
		return PTR_ERR(policy);

	mutex_lock(&brig_registry_lock);
	c = brig_nl_select(info);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		brig_policy_free(policy);
	} else {
		brig_container_set_policy(c, policy);
	}
	mutex_unlock(&brig_registry_lock);
	return err;
}

static int brig_unregister_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct brig_container *c;
	int err;

	err = brig_nl_check(skb, info, true, BRIG_A_NAME);
	if (err)
		return err;
	mutex_lock(&brig_registry_lock);
	c = brig_nl_select(info);
	if (IS_ERR(c))
		err = PTR_ERR(c);
	else
		brig_container_unregister_locked(c);
	mutex_unlock(&brig_registry_lock);
	return err;
}

static int brig_nl_fill_denials(struct sk_buff *skb,
				const struct brig_container *c)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, BRIG_A_DENIALS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, BRIG_COUNTER_A_CAP,
			      atomic64_read(&c->denials[BRIG_KIND_CAP]),
			      BRIG_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_COUNTER_A_SOCKET,
			      atomic64_read(&c->denials[BRIG_KIND_SOCKET]),
			      BRIG_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_COUNTER_A_TASK,
			      atomic64_read(&c->denials[BRIG_KIND_TASK]),
			      BRIG_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_COUNTER_A_FILE,
			      atomic64_read(&c->denials[BRIG_KIND_FILE]),
			      BRIG_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_COUNTER_A_MOUNT,
			      atomic64_read(&c->denials[BRIG_KIND_MOUNT]),
			      BRIG_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_COUNTER_A_DEVICE,
			      atomic64_read(&c->denials[BRIG_KIND_DEVICE]),
			      BRIG_COUNTER_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int brig_nl_hook_size(const char *symbol, u64 missed, void *arg)
{
	*(size_t *)arg += nla_total_size(0) +
			  nla_total_size(strlen(symbol) + 1) +
			  nla_total_size_64bit(sizeof(u64));
	return 0;
}

/* Room for one GET reply: its fixed part and one HOOK nest per probe. */
static size_t brig_nl_get_size(void)
{
	size_t size = NLMSG_GOODSIZE + BRIG_POLICY_FILL_EXTRA;

	brig_probes_each(brig_nl_hook_size, &size);
	return size;
}

static int brig_nl_fill_hook(const char *symbol, u64 missed, void *arg)
{
	struct sk_buff *skb = arg;
	struct nlattr *nest;

	nest = nla_nest_start(skb, BRIG_A_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, BRIG_HOOK_A_NAME, symbol) ||
	    nla_put_u64_64bit(skb, BRIG_HOOK_A_MISSES, missed,
			      BRIG_HOOK_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One container as a GET reply or dump entry; under brig_registry_lock. */
static int brig_nl_fill(struct sk_buff *skb, const struct brig_container *c,
			u32 portid, u32 seq, int flags,
			struct netlink_callback *cb)
{
	const struct brig_policy *policy;
	void *hdr;

	lockdep_assert_held(&brig_registry_lock);
	hdr = genlmsg_put(skb, portid, seq, &brig_genl_family, flags,
			  BRIG_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	policy = rcu_dereference_protected(c->policy,
					   lockdep_is_held(&brig_registry_lock));
	if (nla_put_u32(skb, BRIG_A_ID, c->id) ||
	    nla_put_string(skb, BRIG_A_NAME, c->name) ||
	    nla_put_u32(skb, BRIG_A_INIT_PID, c->init_pid) ||
	    nla_put_u32(skb, BRIG_A_PIDNS_INO, c->pidns->ns.inum) ||
	    brig_policy_fill(skb, policy) ||
	    nla_put_u32(skb, BRIG_A_TASKS, atomic_read(&c->tasks)) ||
	    brig_nl_fill_denials(skb, c) ||
	    nla_put_u64_64bit(skb, BRIG_A_HOOK_MISSES, brig_probes_missed(),
			      BRIG_A_PAD) ||
	    nla_put_u64_64bit(skb, BRIG_A_EVENTS_LOST, brig_events_lost(),
			      BRIG_A_PAD) ||
	    brig_probes_each(brig_nl_fill_hook, skb)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int brig_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct brig_container *c;
	struct sk_buff *reply;
	int err;

	err = brig_nl_check(skb, info, false, BRIG_A_NAME);
	if (err)
		return err;
	reply = genlmsg_new(brig_nl_get_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	mutex_lock(&brig_registry_lock);
	c = brig_nl_select(info);
	if (IS_ERR(c))
		err = PTR_ERR(c);
	else
		err = brig_nl_fill(reply, c, info->snd_portid, info->snd_seq, 0,
				   NULL);
	mutex_unlock(&brig_registry_lock);
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

/**
 * struct brig_dump_ctx - where a GET dump resumes
 * @checked: the sender was checked (on the first call).
 * @next_id: the smallest id not yet sent; ids only grow, so a container
 *	registered during the dump comes last and none is sent twice.
 */
struct brig_dump_ctx {
	bool checked;
	u32 next_id;
};

static struct brig_dump_ctx *brig_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct brig_dump_ctx) > sizeof(cb->ctx));
	return (struct brig_dump_ctx *)cb->ctx;
}

/* Every skb of the dump has room for at least one entry. */
static int brig_get_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN + brig_nl_get_size());
	return 0;
}

static int brig_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct brig_dump_ctx *ctx = brig_dump_ctx(cb);
	struct brig_container *c;
	int err = 0;

	/*
	 * Checked here rather than in a start() op: 6.1 calls start() without
	 * an extack, so its refusal would reach the sender without a reason.
	 */
	if (!ctx->checked) {
		err = brig_nl_check_sender(cb->skb, false, cb->extack);
		if (err)
			return err;
		ctx->checked = true;
	}

	mutex_lock(&brig_registry_lock);
	cb->seq = brig_registry_generation;
	list_for_each_entry(c, &brig_containers, node) {
		if (c->id < ctx->next_id)
			continue;
		err = brig_nl_fill(skb, c, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		/* Only now that the entry fits. */
		ctx->next_id = c->id + 1;
	}
	mutex_unlock(&brig_registry_lock);
	/* A full skb ends this part of the dump; the next resumes at next_id. */
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

static const struct genl_ops brig_genl_ops[] = {
	{
		.cmd = BRIG_CMD_PING,
		.doit = brig_ping_doit,
		.policy = brig_ping_policy,
		.maxattr = ARRAY_SIZE(brig_ping_policy) - 1,
	},
	{
		.cmd = BRIG_CMD_REGISTER,
		.doit = brig_register_doit,
		.policy = brig_register_policy,
		.maxattr = ARRAY_SIZE(brig_register_policy) - 1,
	},
	{
		.cmd = BRIG_CMD_SET_POLICY,
		.doit = brig_set_policy_doit,
		.policy = brig_set_policy_policy,
		.maxattr = ARRAY_SIZE(brig_set_policy_policy) - 1,
	},
	{
		.cmd = BRIG_CMD_UNREGISTER,
		.doit = brig_unregister_doit,
		.policy = brig_select_policy,
		.maxattr = ARRAY_SIZE(brig_select_policy) - 1,
	},
	{
		.cmd = BRIG_CMD_GET,
		.doit = brig_get_doit,
		.start = brig_get_start,
		.dumpit = brig_get_dumpit,
		.policy = brig_select_policy,
		.maxattr = ARRAY_SIZE(brig_select_policy) - 1,
	},
};

static struct genl_family brig_genl_family __ro_after_init = {
	.name = BRIG_GENL_NAME,
	.version = BRIG_GENL_VERSION,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = brig_genl_ops,
	.n_ops = ARRAY_SIZE(brig_genl_ops),
	.resv_start_op = 0,
	.mcgrps = brig_mcgrps,
	.n_mcgrps = ARRAY_SIZE(brig_mcgrps),
};

static int brig_nl_fill_event(struct sk_buff *skb, const struct brig_event *ev,
			      u32 lost)
{
	const struct brig_event_detail *d = &ev->detail;
	struct nlattr *nest;

	if (nla_put_u32(skb, BRIG_A_ID, ev->id) ||
	    nla_put_string(skb, BRIG_A_NAME, ev->name))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, BRIG_A_EVENT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BRIG_EVENT_A_KIND, ev->kind) ||
	    nla_put_u32(skb, BRIG_EVENT_A_VERDICT, ev->verdict) ||
	    nla_put_u32(skb, BRIG_EVENT_A_PID, ev->pid) ||
	    nla_put_string(skb, BRIG_EVENT_A_COMM, ev->comm) ||
	    nla_put_string(skb, BRIG_EVENT_A_OP, brig_event_op(ev)) ||
	    (lost && nla_put_u32(skb, BRIG_EVENT_A_LOST, lost)))
		return -EMSGSIZE;
	switch (ev->kind) {
	case BRIG_KIND_CAP:
		if (nla_put_u32(skb, BRIG_EVENT_A_CAP, d->cap))
			return -EMSGSIZE;
		break;
	case BRIG_KIND_SOCKET:
		if (nla_put_u32(skb, BRIG_EVENT_A_FAMILY, d->family) ||
		    nla_put_u32(skb, BRIG_EVENT_A_TYPE, d->type) ||
		    nla_put_u32(skb, BRIG_EVENT_A_PROTOCOL, d->protocol))
			return -EMSGSIZE;
		break;
	case BRIG_KIND_TASK:
		if (nla_put_u32(skb, BRIG_EVENT_A_PIDS_MAX, d->pids_max))
			return -EMSGSIZE;
		break;
	case BRIG_KIND_FILE:
		if (nla_put_string(skb, BRIG_EVENT_A_PATH, ev->path) ||
		    nla_put_u32(skb, BRIG_EVENT_A_REQUESTED, d->requested) ||
		    nla_put_u32(skb, BRIG_EVENT_A_DENIED, d->denied))
			return -EMSGSIZE;
		break;
	case BRIG_KIND_MOUNT:
		if (ev->path[0] &&
		    nla_put_string(skb, BRIG_EVENT_A_PATH, ev->path))
			return -EMSGSIZE;
		break;
	case BRIG_KIND_DEVICE:
		if (nla_put_string(skb, BRIG_EVENT_A_PATH, ev->path) ||
		    nla_put_u32(skb, BRIG_EVENT_A_REQUESTED, d->requested) ||
		    nla_put_u32(skb, BRIG_EVENT_A_DENIED, d->denied) ||
		    nla_put_u32(skb, BRIG_EVENT_A_DEVICE, d->dev) ||
		    nla_put_u32(skb, BRIG_EVENT_A_DEVICE_TYPE, d->dev_type))
			return -EMSGSIZE;
		break;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int brig_netlink_event(const struct brig_event *ev, u32 lost)
{
	struct sk_buff *skb;
	void *hdr;
	int err = 0;

	mutex_lock(&brig_nl_event_lock);
	if (!brig_nl_live ||
	    !genl_has_listeners(&brig_genl_family, &init_net, BRIG_NLGRP_EVENTS))
		goto out_unlock;
	err = -ENOMEM;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		goto out_unlock;
	err = -EMSGSIZE;
	hdr = genlmsg_put(skb, 0, 0, &brig_genl_family, 0, BRIG_CMD_EVENT);
	if (!hdr || brig_nl_fill_event(skb, ev, lost)) {
		nlmsg_free(skb);
		goto out_unlock;
	}
	genlmsg_end(skb, hdr);
	/* A listener too slow to read is told by its socket (ENOBUFS). */
	genlmsg_multicast(&brig_genl_family, skb, 0, BRIG_NLGRP_EVENTS,
			  GFP_KERNEL);
	err = 0;
out_unlock:
	mutex_unlock(&brig_nl_event_lock);
	return err;
}

int __init brig_netlink_init(void)
{
	int err;

	err = genl_register_family(&brig_genl_family);
	if (err)
		return err;
	mutex_lock(&brig_nl_event_lock);
	brig_nl_live = true;
	mutex_unlock(&brig_nl_event_lock);
	return 0;
}

/* First on exit: no command can come once this returns. */
void brig_netlink_exit(void)
{
	mutex_lock(&brig_nl_event_lock);
	brig_nl_live = false;
	mutex_unlock(&brig_nl_event_lock);
	genl_unregister_family(&brig_genl_family);
}
