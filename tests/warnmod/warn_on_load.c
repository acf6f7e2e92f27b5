// SPDX-License-Identifier: GPL-2.0
/*
 * A throwaway module that WARNs when loaded: scripts/check boots it to prove
 * that a kernel report in the guest fails the run. Never part of brig.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "warn_on_load: deliberate warning to test the kernel log scan\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_DESCRIPTION("brig test: WARN on load");
MODULE_LICENSE("GPL");
