// SPDX-License-Identifier: GPL-2.0
/*
 * brig: per-container confinement enforced by the kernel
 *
 * This file only sequences the parts' init and exit; each part lives in its
 * own file. Order matters: the registry and its workqueue first, then the
 * event rings that hooks report to, then the hooks, and the netlink family
 * last: the family exists only while every hook does, so nothing can be
 * registered before the hooks are all in place. On exit the family goes
 * first (no registration can race with the rest; events still queued are
 * logged but not sent), then the hooks, so that nothing reports into what
 * is being torn down.
 */

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <net/genetlink.h>

#include <brig.h>

#include "cap.h"
#include "container.h"
#include "event.h"
#include "file.h"
#include "mount.h"
#include "netlink.h"
#include "probe.h"
#include "socket.h"
#include "task.h"

static int __init brig_init(void)
{
	int err;

	err = brig_container_init();
	if (err)
		return err;
	err = brig_event_init();
	if (err)
		goto out_container;
	err = brig_task_init();
	if (err)
		goto out_event;
	err = brig_cap_init();
	if (err)
		goto out_task;
	err = brig_socket_init();
	if (err)
		goto out_cap;
	err = brig_mount_init();
	if (err)
		goto out_socket;
	err = brig_file_init();
	if (err)
		goto out_mount;
	/* Every part's probes at once, before a container can be registered. */
	err = brig_probes_arm();
	if (err)
		goto out_file;
	err = brig_netlink_init();
	if (err)
		goto out_disarm;

	pr_info("brig: loaded, genetlink family %s version %d\n",
		BRIG_GENL_NAME, BRIG_GENL_VERSION);
	return 0;

out_disarm:
	brig_probes_disarm();
out_file:
	brig_file_exit();
out_mount:
	brig_mount_exit();
out_socket:
	brig_socket_exit();
out_cap:
	brig_cap_exit();
out_task:
	brig_task_exit();
out_event:
	brig_event_exit();
out_container:
	synchronize_rcu_tasks();
	brig_container_exit();
	return err;
}

static void __exit brig_exit(void)
{
	brig_netlink_exit();
	/*
	 * The last containers' tasks are freed in RCU callbacks, thousands in
	 * one softirq batch after a fork storm, each through the
	 * security_task_free site: let them run before the sites are patched,
	 * so no site is rewritten while a batch streams through it (under
	 * emulation, 6.1 once livelocked there on a stale int3).
	 */
	rcu_barrier();
	brig_probes_disarm();
	brig_file_exit();
	brig_mount_exit();
	brig_socket_exit();
	brig_cap_exit();
	brig_task_exit();
	brig_event_exit();
	/*
	 * Unregistering a probe waits for its handlers, not for a task
	 * preempted inside a deny stub: wait for every task to leave our text.
	 */
	synchronize_rcu_tasks();
	brig_container_exit();
	pr_info("brig: unloaded\n");
}

module_init(brig_init);
module_exit(brig_exit);

MODULE_DESCRIPTION("brig: per-container capability, file, socket and task confinement");
MODULE_AUTHOR("The brig developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(BRIG_GENL_NAME);
