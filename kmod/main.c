// SPDX-License-Identifier: GPL-2.0
/*
 * brig: per-container confinement enforced by the kernel
 *
 * This file only sequences the parts' init and exit; each part lives in its
 * own file.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include <brig.h>

#include "netlink.h"

static int __init brig_init(void)
{
	int err;

	err = brig_netlink_init();
	if (err)
		return err;

	pr_info("brig: loaded, genetlink family %s version %d\n",
		BRIG_GENL_NAME, BRIG_GENL_VERSION);
	return 0;
}

static void __exit brig_exit(void)
{
	brig_netlink_exit();
	pr_info("brig: unloaded\n");
}

module_init(brig_init);
module_exit(brig_exit);

MODULE_DESCRIPTION("brig: per-container capability, file, socket and task confinement");
MODULE_AUTHOR("The brig developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(BRIG_GENL_NAME);
