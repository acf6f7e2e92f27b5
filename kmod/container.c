// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the registry of containers
 *
 * Writers (netlink commands, the work that retires an empty container) hold
 * brig_registry_lock; hooks only read, under RCU: the pid namespace table is
 * an RCU hash, containers are freed after a grace period, and while no
 * container exists brig_active() keeps every hook to one load. (A counter,
 * not a static key: toggling a static key patches the text of every hook,
 * and under QEMU's TCG a CPU was seen trapping on a patch site's int3 after
 * the patching was done, an oops at registration.)
 *
 * While any container is registered the module holds a reference on itself,
 * so rmmod fails: unloading would silently drop the confinement of running
 * tasks. A probe on delete_module says so in the kernel log. Once removal
 * has begun the reference cannot be taken, and registration is refused.
 */

#include <linux/fs_struct.h>
#include <linux/hashtable.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "container.h"
#include "limits.h"
#include "probe.h"
#include "task.h"

DEFINE_MUTEX(brig_registry_lock);
LIST_HEAD(brig_containers);
unsigned int brig_registry_generation;
struct workqueue_struct *brig_wq;

static DEFINE_HASHTABLE(brig_ns_table, BRIG_NS_HASH_BITS);
unsigned int brig_n_containers;
static u32 brig_next_id = 1;

struct brig_container *brig_container_of_ns(struct pid_namespace *ns)
{
	struct brig_container *c;

	for (; ns && ns != &init_pid_ns; ns = ns->parent) {
		hash_for_each_possible_rcu(brig_ns_table, c, ns_node,
					   (unsigned long)ns) {
			if (c->pidns == ns)
				return c;
		}
	}
	return NULL;
}

static void brig_container_free(struct work_struct *work)
{
	struct brig_container *c = container_of(to_rcu_work(work),
						struct brig_container,
						free_rwork);
	int i;

	for (i = 0; i < BRIG_ROOTS_MAX; i++) {
		struct brig_root *r = rcu_dereference_protected(c->roots[i], true);

		if (r) {
			path_put(&r->path);
			kfree(r);
		}
	}
	path_put(&c->root);
	put_pid_ns(c->pidns);
	put_user_ns(c->userns);
	/* A grace period has passed since the last reader could see it. */
	brig_policy_free(rcu_dereference_protected(c->policy, true));
	kfree(c);
}

void brig_container_put(struct brig_container *c)
{
	/* The last put may come from a hook: free from process context. */
	if (refcount_dec_and_test(&c->usage))
		queue_rcu_work(brig_wq, &c->free_rwork);
}

void brig_container_unregister_locked(struct brig_container *c)
{
	lockdep_assert_held(&brig_registry_lock);

	if (!c->registered)
		return;
	c->registered = false;
	hash_del_rcu(&c->ns_node);
	list_del(&c->node);
	WRITE_ONCE(brig_n_containers, brig_n_containers - 1);
	brig_registry_generation++;
	module_put(THIS_MODULE);
	brig_container_put(c);
}

static void brig_container_empty_work(struct work_struct *work)
{
	struct brig_container *c = container_of(work, struct brig_container,
						empty_work);

	mutex_lock(&brig_registry_lock);
	/* A charge may have come since: then it is not empty after all. */
	if (c->registered && atomic_read(&c->tasks) == 0) {
		pr_info("brig: container %s (id %u) has no task left; unregistered\n",
			c->name, c->id);
		brig_container_unregister_locked(c);
	}
	mutex_unlock(&brig_registry_lock);
	brig_container_put(c);
}

void brig_container_emptied(struct brig_container *c)
{
	brig_container_get(c);
	if (!queue_work(brig_wq, &c->empty_work))
		brig_container_put(c);
}

static struct brig_container *brig_container_find_name(const char *name)
{
	struct brig_container *c;

	lockdep_assert_held(&brig_registry_lock);
	list_for_each_entry(c, &brig_containers, node) {
		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

struct brig_container *brig_container_find(u32 id, const char *name)
{
	struct brig_container *c;

	lockdep_assert_held(&brig_registry_lock);
	if (name)
		return brig_container_find_name(name);
	list_for_each_entry(c, &brig_containers, node) {
		if (c->id == id)
			return c;
	}
	return NULL;
}

/* 0 if @ns can become a container named @name; else why not, in @extack. */
static int brig_container_refusal(struct task_struct *init,
				  struct pid_namespace *ns, const char *name,
				  struct netlink_ext_ack *extack)
{
	struct brig_container *other;

	if (ns == &init_pid_ns || task_pid_nr_ns(init, ns) != 1) {
		NL_SET_ERR_MSG(extack, "task is not the init of a new pid namespace");
		return -EINVAL;
	}
	if (brig_container_find_name(name)) {
		NL_SET_ERR_MSG(extack, "a container of that name exists");
		return -EEXIST;
	}
	rcu_read_lock();
	other = brig_container_of_ns(ns);
	rcu_read_unlock();
	if (other && other->pidns == ns) {
		NL_SET_ERR_MSG(extack, "pid namespace is already a container");
		return -EEXIST;
	}
	if (other) {
		NL_SET_ERR_MSG(extack, "pid namespace lies inside another container");
		return -EBUSY;
	}
	if (brig_n_containers >= BRIG_CONTAINERS_MAX || !brig_next_id) {
		NL_SET_ERR_MSG(extack, "too many containers");
		return -ENOSPC;
	}
	return 0;
}

int brig_container_register(struct task_struct *init, const char *name,
			    struct brig_policy *policy, u32 *id,
			    struct netlink_ext_ack *extack)
{
	struct pid_namespace *ns = task_active_pid_ns(init);
	struct brig_container *c;
	int err;

	mutex_lock(&brig_registry_lock);
	err = brig_container_refusal(init, ns, name, extack);
	if (err)
		goto out_unlock;
	/*
	 * The registry's reference on the module: not on one being removed,
	 * whose exit may already be taking the hooks down.
	 */
	if (!try_module_get(THIS_MODULE)) {
		NL_SET_ERR_MSG(extack, "brig.ko is being unloaded");
		err = -EBUSY;
		goto out_unlock;
	}
	err = -ENOMEM;
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c) {
		module_put(THIS_MODULE);
		goto out_unlock;
	}
	/* Rules name files from here; an init without one is exiting. */
	task_lock(init);
	if (init->fs)
		get_fs_root(init->fs, &c->root);
	task_unlock(init);
	if (!c->root.mnt) {
		kfree(c);
		module_put(THIS_MODULE);
		NL_SET_ERR_MSG(extack, "container init has exited");
		err = -ESRCH;
		goto out_unlock;
	}
	refcount_set(&c->usage, 1);	/* the registry's */
	c->id = brig_next_id++;
	strscpy(c->name, name, sizeof(c->name));
	spin_lock_init(&c->roots_lock);
	c->pidns = get_pid_ns(ns);
	c->init_pid = task_pid_nr(init);
	rcu_read_lock();
	c->userns = get_user_ns(__task_cred(init)->user_ns);
	rcu_read_unlock();
	RCU_INIT_POINTER(c->policy, policy);
	policy = NULL;
	INIT_WORK(&c->empty_work, brig_container_empty_work);
	INIT_RCU_WORK(&c->free_rwork, brig_container_free);

	hash_add_rcu(brig_ns_table, &c->ns_node, (unsigned long)ns);
	list_add_tail(&c->node, &brig_containers);
	c->registered = true;
	/* After hash_add_rcu(): a hook that sees the count finds the entry. */
	WRITE_ONCE(brig_n_containers, brig_n_containers + 1);
	brig_registry_generation++;

	/* From here on forks are charged; count the tasks already there. */
	err = brig_task_adopt(c);
	if (!err && !atomic_read(&c->tasks))
		err = -ESRCH;
	if (err == -ESRCH)
		NL_SET_ERR_MSG(extack, "container init has exited");
	else if (err)
		NL_SET_ERR_MSG(extack, "cannot track the container's tasks");
	if (err) {
		brig_container_unregister_locked(c);
		goto out_unlock;
	}
	*id = c->id;
	err = 0;

out_unlock:
	mutex_unlock(&brig_registry_lock);
	brig_policy_free(policy);
	return err;
}

void brig_container_set_policy(struct brig_container *c,
			       struct brig_policy *policy)
{
	struct brig_policy *old;

	lockdep_assert_held(&brig_registry_lock);
	old = rcu_replace_pointer(c->policy, policy,
				  lockdep_is_held(&brig_registry_lock));
	brig_policy_free_rcu(old);
}

/* rmmod brig: say why it fails while containers are registered. */
static int brig_delete_module_pre(struct pt_regs *regs)
{
	const struct pt_regs *uregs;
	char name[sizeof(KBUILD_MODNAME)];

	if (!brig_active())
		return 0;
	uregs = brig_syscall_regs(regs);
	if (copy_from_user_nofault(name, (const char __user *)uregs->di,
				   sizeof(name)))
		return 0;
	if (!memcmp(name, KBUILD_MODNAME, sizeof(name)))
		pr_warn_ratelimited("brig: cannot unload while %u container(s) are registered: their tasks would lose their confinement\n",
				    READ_ONCE(brig_n_containers));
	return 0;
}

static struct brig_probe brig_container_probes[] = {
	BRIG_PROBE("__x64_sys_delete_module", brig_delete_module_pre),
};

int __init brig_container_init(void)
{
	int err;

	brig_wq = alloc_workqueue("brig", WQ_UNBOUND, 0);
	if (!brig_wq)
		return -ENOMEM;
	err = brig_probes_register(brig_container_probes,
				   ARRAY_SIZE(brig_container_probes));
	if (err)
		destroy_workqueue(brig_wq);
	return err;
}

void brig_container_exit(void)
{
	brig_probes_unregister(brig_container_probes,
			       ARRAY_SIZE(brig_container_probes));
	/*
	 * No hook is left to queue work. What is queued may queue more: an
	 * empty_work's put queues the container's free_rwork behind a grace
	 * period. Run it, let every queue_rcu_work() (and call_rcu()) callback
	 * pending then run, and drain what they queued.
	 */
	flush_workqueue(brig_wq);
	rcu_barrier();
	destroy_workqueue(brig_wq);
}
