// SPDX-License-Identifier: GPL-2.0
/*
 * brig: tracking container tasks, and the task ceiling
 *
 * Every task of a container is charged to it from the fork that creates it
 * until it is reaped, so the count is exact whatever the concurrency: it
 * includes threads and zombies, and a fork that would pass the ceiling fails
 * with EAGAIN before the task exists.
 *
 * - Charge: at security_task_alloc, a probe that runs in process context and
 *   so is never skipped. The charge is remembered per task (the pid
 *   namespace is gone by the time the task is freed).
 * - Uncharge, reaped task: at the reap itself, before wait() returns, so a
 *   fork right after waitpid() finds the room: a probe on cgroup_release(),
 *   which release_task() calls once for every task it releases (thread or
 *   process, including a group leader released together with its last
 *   thread, which a probe on release_task() itself would not see).
 * - Uncharge, reaped task, backstop: a probe can be skipped (a brig handler
 *   already running on the CPU), so the sched_process_free tracepoint, which
 *   fires once per task an RCU grace period after it is reaped and is never
 *   skipped, makes sure the charge cannot leak.
 * - Uncharge, failed fork: security_task_free, again in process context.
 *   It also runs for every task freed, often in an RCU callback (softirq),
 *   where a handler could be skipped; the tracepoint above has removed
 *   the entry of such a task already, so the probe looks at process context
 *   only and never misses a call that matters.
 *
 * Whichever comes first removes the task's entry; the others find nothing.
 */

#include <linux/hashtable.h>
#include <linux/nsproxy.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>

#include "container.h"
#include "event.h"
#include "limits.h"
#include "probe.h"
#include "task.h"

/**
 * struct brig_task - a charged task
 * @node: in brig_tasks, keyed by @task.
 * @task: the task; only compared, never dereferenced.
 * @container: the container charged; holds a reference. Changed only under
 *	brig_tasks_lock while the entry is in brig_tasks (registering the same
 *	pid namespace again moves the charge); after that, read only by whoever
 *	removed the entry.
 * @rcu: for kfree_rcu().
 */
struct brig_task {
	struct hlist_node node;
	const struct task_struct *task;
	struct brig_container *container;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(brig_tasks, BRIG_TASK_HASH_BITS);
/* Guards changes to brig_tasks; taken from hooks and softirq, so irq-safe. */
static DEFINE_SPINLOCK(brig_tasks_lock);
/* Entries in brig_tasks: lets task frees skip the lookup when there are none. */
static atomic_t brig_tasks_tracked = ATOMIC_INIT(0);

static struct brig_task *brig_task_lookup(const struct task_struct *task)
{
	struct brig_task *entry;

	hash_for_each_possible_rcu(brig_tasks, entry, node,
				   (unsigned long)task) {
		if (entry->task == task)
			return entry;
	}
	return NULL;
}

/* Returns one task's charge, and its reference, to @c. */
static void brig_task_uncharge(struct brig_container *c)
{
	if (atomic_dec_and_test(&c->tasks))
		brig_container_emptied(c);
	brig_container_put(c);
}

static void brig_task_release(struct brig_task *entry)
{
	brig_task_uncharge(entry->container);
	atomic_dec(&brig_tasks_tracked);
	kfree_rcu(entry, rcu);
}

/* Takes the caller's charge and container reference for @task. */
static int brig_task_track(const struct task_struct *task,
			   struct brig_container *c, gfp_t gfp)
{
	struct brig_task *entry, *stale;
	unsigned long flags;

	entry = kzalloc(sizeof(*entry), gfp);
	if (!entry)
		return -ENOMEM;
	entry->task = task;
	entry->container = c;
	atomic_inc(&brig_tasks_tracked);

	spin_lock_irqsave(&brig_tasks_lock, flags);
	/*
	 * An entry for the same address belongs to a task freed unseen: only
	 * possible if an LSM's blob allocation failed inside
	 * security_task_alloc after our probe charged it. Settle it now.
	 */
	stale = brig_task_lookup(task);
	if (stale)
		hash_del_rcu(&stale->node);
	hash_add_rcu(brig_tasks, &entry->node, (unsigned long)task);
	spin_unlock_irqrestore(&brig_tasks_lock, flags);
	if (stale)
		brig_task_release(stale);
	return 0;
}

static void brig_task_untrack(const struct task_struct *task)
{
	struct brig_task *entry;
	unsigned long flags;

	if (!atomic_read(&brig_tasks_tracked))
		return;
	rcu_read_lock();
	entry = brig_task_lookup(task);
	rcu_read_unlock();
	if (!entry)
		return;

	spin_lock_irqsave(&brig_tasks_lock, flags);
	entry = brig_task_lookup(task);
	if (entry)
		hash_del_rcu(&entry->node);
	spin_unlock_irqrestore(&brig_tasks_lock, flags);
	if (entry)
		brig_task_release(entry);
}

/* Charges @c for one task unless that would pass @max (0: no ceiling). */
static bool brig_task_charge(struct brig_container *c, u32 max)
{
	int n = atomic_read(&c->tasks);

	do {
		if (max && n >= max)
			return false;
	} while (!atomic_try_cmpxchg(&c->tasks, &n, n + 1));
	return true;
}

/* security_task_alloc(struct task_struct *task, unsigned long clone_flags) */
static int brig_task_alloc_pre(struct pt_regs *regs)
{
	struct task_struct *child;
	struct brig_policy *policy;
	struct brig_container *c;
	int err = 0;

	if (!brig_active() || !current->nsproxy)
		return 0;
	child = BRIG_ARG(regs, 0, struct task_struct *);

	rcu_read_lock();
	/* The child lives in the namespace the parent forks into. */
	c = brig_container_of(current->nsproxy->pid_ns_for_children);
	if (!c || !brig_container_tryget(c))
		goto out_unlock;
	policy = rcu_dereference(c->policy);
	if (!brig_task_charge(c, policy->pids_max)) {
		struct brig_event_detail detail = { .pids_max = policy->pids_max };

		if (brig_verdict(c, policy, BRIG_KIND_TASK, &detail, -EAGAIN)) {
			brig_container_put(c);
			err = -EAGAIN;
			goto out_unlock;
		}
		atomic_inc(&c->tasks);
	}
	if (brig_task_track(child, c, GFP_ATOMIC | __GFP_NOWARN)) {
		atomic_dec(&c->tasks);
		brig_container_put(c);
		err = -ENOMEM;
	}

out_unlock:
	rcu_read_unlock();
	return err ? brig_probe_deny(regs, err) : 0;
}

/* security_task_free(struct task_struct *task): a fork that failed. */
static int brig_task_free_pre(struct pt_regs *regs)
{
	brig_task_untrack(BRIG_ARG(regs, 0, struct task_struct *));
	return 0;
}

/*
 * cgroup_release(struct task_struct *task): release_task() is reaping @task
 * (its exit_state is EXIT_DEAD already). Process context, before wait()
 * returns.
 */
static int brig_task_release_pre(struct pt_regs *regs)
{
	/* Pairs with the barrier in brig_task_adopt(). */
	smp_mb();
	brig_task_untrack(BRIG_ARG(regs, 0, struct task_struct *));
	return 0;
}

/* sched_process_free: a reaped task, one RCU grace period later. */
static void brig_sched_process_free(void *data, struct task_struct *task)
{
	brig_task_untrack(task);
}

/*
 * Charges @c for @task, already running when @c is registered. An entry that
 * points elsewhere was left by a container unregistered since (the same pid
 * namespace registered again): its charge moves to @c.
 */
static int brig_task_adopt_one(const struct task_struct *task,
			       struct brig_container *c)
{
	struct brig_container *old = NULL;
	struct brig_task *entry;
	unsigned long flags;
	int err;

	atomic_inc(&c->tasks);
	brig_container_get(c);
	spin_lock_irqsave(&brig_tasks_lock, flags);
	entry = brig_task_lookup(task);
	if (entry) {
		old = entry->container;
		entry->container = c;
	}
	spin_unlock_irqrestore(&brig_tasks_lock, flags);
	if (entry) {
		/* Should @old be @c, this nets to nothing. */
		brig_task_uncharge(old);
		return 0;
	}
	err = brig_task_track(task, c, GFP_ATOMIC | __GFP_NOWARN);
	if (err) {
		atomic_dec(&c->tasks);
		brig_container_put(c);
	}
	return err;
}

int brig_task_adopt(struct brig_container *c)
{
	struct task_struct *g, *t;
	int err = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (!pid_alive(t) || READ_ONCE(t->exit_state) == EXIT_DEAD ||
		    brig_container_of(task_active_pid_ns(t)) != c)
			continue;
		err = brig_task_adopt_one(t, c);
		if (err)
			break;
		/*
		 * Reaped meanwhile? release_task() sets EXIT_DEAD before its
		 * probe looks for the entry: with a barrier on each side, that
		 * probe sees the entry or this sees EXIT_DEAD (or both: the
		 * first to remove the entry uncharges it).
		 */
		smp_mb();
		if (READ_ONCE(t->exit_state) == EXIT_DEAD)
			brig_task_untrack(t);
	}
	rcu_read_unlock();
	return err;
}

static struct brig_probe brig_task_probes[] = {
	BRIG_PROBE("security_task_alloc", brig_task_alloc_pre),
	BRIG_PROBE_TASK_ONLY("security_task_free", brig_task_free_pre),
	BRIG_PROBE("cgroup_release", brig_task_release_pre),
};

static struct tracepoint *brig_tp_process_free;

static void brig_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_free"))
		brig_tp_process_free = tp;
}

int __init brig_task_init(void)
{
	int err;

	for_each_kernel_tracepoint(brig_find_tracepoint, NULL);
	if (!brig_tp_process_free) {
		pr_err("brig: no sched_process_free tracepoint\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(brig_tp_process_free,
					brig_sched_process_free, NULL);
	if (err)
		return err;
	err = brig_probes_register(brig_task_probes,
				   ARRAY_SIZE(brig_task_probes));
	if (err) {
		tracepoint_probe_unregister(brig_tp_process_free,
					    brig_sched_process_free, NULL);
		tracepoint_synchronize_unregister();
	}
	return err;
}

void brig_task_exit(void)
{
	struct brig_task *entry;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	brig_probes_unregister(brig_task_probes, ARRAY_SIZE(brig_task_probes));
	tracepoint_probe_unregister(brig_tp_process_free,
				    brig_sched_process_free, NULL);
	tracepoint_synchronize_unregister();

	/* Tasks of unregistered containers may still be tracked. */
	spin_lock_irqsave(&brig_tasks_lock, flags);
	hash_for_each_safe(brig_tasks, bkt, tmp, entry, node) {
		hash_del_rcu(&entry->node);
		brig_container_put(entry->container);
		atomic_dec(&brig_tasks_tracked);
		kfree_rcu(entry, rcu);
	}
	spin_unlock_irqrestore(&brig_tasks_lock, flags);
}
