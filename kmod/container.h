/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the registry of containers
 *
 * A container is a pid namespace, registered for the init task the launcher
 * cloned with CLONE_NEWPID. A task belongs to the container of its own pid
 * namespace or of the nearest registered ancestor of it, so nested pid
 * namespaces stay inside.
 */
#ifndef _BRIG_CONTAINER_H
#define _BRIG_CONTAINER_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>

#include "policy.h"

/**
 * struct brig_root - a root a container's task changed to
 * @path: the root; references held until the container is freed.
 * @len: the length of @name.
 * @name: its name from the container's root, without a trailing '/'.
 */
struct brig_root {
	struct path path;
	size_t len;
	char name[];
};

/**
 * struct brig_container - one registered container
 * @usage: references: the registry's while registered, one per tracked task
 *	(task.c), and short-lived ones. The last put frees the container after
 *	an RCU grace period, from a workqueue.
 * @id: unique while the module is loaded; never 0.
 * @name: unique among registered containers.
 * @pidns: the container's pid namespace; a reference is held so that its
 *	address cannot be reused by another namespace.
 * @init_pid: the init task's pid in the initial pid namespace.
 * @root: the init task's root at registration, which file rules name paths
 *	from; references held until the container is freed.
 * @roots: roots its tasks changed to (chroot, pivot_root) while the policy
 *	had no file rules, with their names from @root (name.c); set once
 *	each under @roots_lock, read under RCU, freed with the container.
 * @roots_lock: serialises adding to @roots.
 * @userns: the init task's user namespace at registration, referenced until
 *	the container is freed; cap.c judges a credential against it.
 * @policy: the policy in force; replaced under brig_registry_lock, read under
 *	rcu_read_lock().
 * @tasks: tracked tasks (task.c): charged at fork, uncharged once reaped.
 * @denials: denials so far, indexed by &enum brig_kind.
 * @registered: in the registry; under brig_registry_lock.
 * @ns_node: in the pid namespace table (RCU).
 * @node: in the list of containers by id; under brig_registry_lock.
 * @empty_work: unregisters the container once its last task is gone.
 * @free_rwork: frees the container after a grace period.
 */
struct brig_container {
	refcount_t usage;
	u32 id;
	char name[BRIG_NAME_MAX];
	struct pid_namespace *pidns;
	pid_t init_pid;
	struct path root;
	struct brig_root __rcu *roots[BRIG_ROOTS_MAX];
	spinlock_t roots_lock;
	struct user_namespace *userns;
	struct brig_policy __rcu *policy;
	atomic_t tasks;
	atomic64_t denials[BRIG_KIND_MAX + 1];
	bool registered;
	struct hlist_node ns_node;
	struct list_head node;
	struct work_struct empty_work;
	struct rcu_work free_rwork;
};

/* Runs what hooks cannot do: retiring and freeing containers, sending events. */
extern struct workqueue_struct *brig_wq;

/* Containers registered; changed under brig_registry_lock. */
extern unsigned int brig_n_containers;

/* True while any container is registered: the fast path for everyone else. */
static inline bool brig_active(void)
{
	return READ_ONCE(brig_n_containers) != 0;
}

/* Serialises every change to the registry. Never taken in a hook. */
extern struct mutex brig_registry_lock;
/* Containers by id; under brig_registry_lock. */
extern struct list_head brig_containers;
/* Bumped on every registry change, for dump consistency. */
extern unsigned int brig_registry_generation;

struct brig_container *brig_container_of_ns(struct pid_namespace *ns);

/*
 * The container of @ns, the pid namespace a task lives (or will live) in, or
 * NULL. Call under rcu_read_lock(); the result is valid until it is dropped.
 * Costs one compare for tasks of the initial pid namespace.
 */
static inline struct brig_container *brig_container_of(struct pid_namespace *ns)
{
	if (!brig_active())
		return NULL;
	if (!ns || ns == &init_pid_ns)
		return NULL;
	return brig_container_of_ns(ns);
}

/* The container of the current task, under rcu_read_lock(). */
static inline struct brig_container *brig_current_container(void)
{
	if (!brig_active())
		return NULL;
	return brig_container_of(ns_of_pid(task_pid(current)));
}

/*
 * Under rcu_read_lock(): the policy of the current task's container, with
 * the container in *@c; NULL outside every container.
 */
static inline const struct brig_policy *
brig_current_policy(struct brig_container **c)
{
	*c = brig_current_container();
	return *c ? rcu_dereference((*c)->policy) : NULL;
}

static inline bool brig_container_tryget(struct brig_container *c)
{
	return refcount_inc_not_zero(&c->usage);
}

static inline void brig_container_get(struct brig_container *c)
{
	refcount_inc(&c->usage);
}

void brig_container_put(struct brig_container *c);

/* Counts a denial (or, in complain mode, what would have been one). */
static inline void brig_container_count(struct brig_container *c,
					enum brig_kind kind)
{
	atomic64_inc(&c->denials[kind]);
}

/*
 * Makes a container of @init's pid namespace. Takes @policy, on failure too;
 * sets *@id on success.
 */
int brig_container_register(struct task_struct *init, const char *name,
			    struct brig_policy *policy, u32 *id,
			    struct netlink_ext_ack *extack);
/* Forgets @c: its tasks are no longer confined. */
void brig_container_unregister_locked(struct brig_container *c);
void brig_container_set_policy(struct brig_container *c,
			       struct brig_policy *policy);
/* By @name if given, else by @id; under brig_registry_lock. */
struct brig_container *brig_container_find(u32 id, const char *name);

/* Called by task.c when a container's last tracked task is gone. */
void brig_container_emptied(struct brig_container *c);

int brig_container_init(void);
void brig_container_exit(void);

#endif /* _BRIG_CONTAINER_H */
