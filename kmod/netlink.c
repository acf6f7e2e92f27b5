// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the generic netlink family "brig"
 *
 * The family lives in the initial network namespace only (.netnsok = false):
 * a container with its own network namespace cannot even resolve it.
 * Every op has its own attribute policy, and resv_start_op is 0, so unknown
 * attributes, flags and reserved header bits are refused for every command.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include <brig.h>

#include "netlink.h"

static struct genl_family brig_genl_family;

static const struct nla_policy brig_ping_policy[BRIG_A_COOKIE + 1] = {
	[BRIG_A_COOKIE] = { .type = NLA_U64 },
};

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

static const struct genl_ops brig_genl_ops[] = {
	{
		.cmd = BRIG_CMD_PING,
		.doit = brig_ping_doit,
		.policy = brig_ping_policy,
		.maxattr = ARRAY_SIZE(brig_ping_policy) - 1,
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
};

int __init brig_netlink_init(void)
{
	return genl_register_family(&brig_genl_family);
}

void brig_netlink_exit(void)
{
	genl_unregister_family(&brig_genl_family);
}
