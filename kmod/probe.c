// SPDX-License-Identifier: GPL-2.0
/*
 * brig: kprobes on security_* functions, and the deny stubs
 *
 * Traps (see docs/design): every probe gets a post_handler, even an empty
 * one, so that its ftrace op is registered with IP-modify rights (without
 * them another tracer may silently drop our redirect); a probe that is not
 * ftrace-based (an int3 or jump probe) would ignore the redirect, so such a
 * probe makes the load fail. The stubs are ordinary C functions whose
 * address is taken, so they begin with ENDBR on IBT kernels.
 */

#include <linux/errno.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/spinlock.h>

#include "limits.h"
#include "probe.h"

static noinline int brig_deny_eperm(void)
{
	return -EPERM;
}

static noinline int brig_deny_eacces(void)
{
	return -EACCES;
}

static noinline int brig_deny_eagain(void)
{
	return -EAGAIN;
}

static noinline int brig_deny_enomem(void)
{
	return -ENOMEM;
}

/* A syscall entry returns a long: an int stub would leave -EPERM unsigned. */
static noinline long brig_deny_syscall_eperm(void)
{
	return -EPERM;
}

int brig_probe_deny_syscall(struct pt_regs *regs)
{
	instruction_pointer_set(regs, (unsigned long)brig_deny_syscall_eperm);
	return 1;
}

int brig_probe_deny(struct pt_regs *regs, int err)
{
	int (*stub)(void);

	switch (err) {
	case -EPERM:
		stub = brig_deny_eperm;
		break;
	case -EACCES:
		stub = brig_deny_eacces;
		break;
	case -EAGAIN:
		stub = brig_deny_eagain;
		break;
	default:
		WARN_ON_ONCE(err != -ENOMEM);
		stub = brig_deny_enomem;
		break;
	}
	instruction_pointer_set(regs, (unsigned long)stub);
	return 1;	/* regs changed: do not resume the probed function */
}

/**
 * struct brig_probe_table - one registered table, for the miss counters
 * @probes: the table (static in its part); NULL: a free slot.
 * @n: its probes.
 *
 * brig_tables is changed and read under brig_tables_lock.
 */
struct brig_probe_table {
	const struct brig_probe *probes;
	size_t n;
};

static struct brig_probe_table brig_tables[BRIG_PROBE_TABLES_MAX];
static DEFINE_SPINLOCK(brig_tables_lock);

static void brig_probe_post(struct kprobe *p, struct pt_regs *regs,
			    unsigned long flags)
{
}

void brig_probes_unregister(struct brig_probe *probes, size_t n)
{
	size_t i;

	spin_lock(&brig_tables_lock);
	for (i = 0; i < ARRAY_SIZE(brig_tables); i++) {
		if (brig_tables[i].probes == probes)
			brig_tables[i].probes = NULL;
	}
	spin_unlock(&brig_tables_lock);
	for (i = 0; i < n; i++) {
		if (!probes[i].registered)
			continue;
		unregister_kprobe(&probes[i].kp);
		probes[i].registered = false;
	}
}

int brig_probes_register(struct brig_probe *probes, size_t n)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		struct kprobe *kp = &probes[i].kp;

		kp->post_handler = brig_probe_post;
		err = register_kprobe(kp);
		if (err) {
			pr_err("brig: cannot probe %s: %d\n", kp->symbol_name, err);
			goto out_unregister;
		}
		probes[i].registered = true;
		if (!(kp->flags & KPROBE_FLAG_FTRACE)) {
			pr_err("brig: probe on %s is not ftrace-based; cannot redirect it\n",
			       kp->symbol_name);
			err = -EOPNOTSUPP;
			goto out_unregister;
		}
	}
	spin_lock(&brig_tables_lock);
	for (i = 0; i < ARRAY_SIZE(brig_tables); i++) {
		if (!brig_tables[i].probes) {
			brig_tables[i].probes = probes;
			brig_tables[i].n = n;
			break;
		}
	}
	spin_unlock(&brig_tables_lock);
	if (WARN_ON_ONCE(i == ARRAY_SIZE(brig_tables))) {
		err = -ENOSPC;
		goto out_unregister;
	}
	return 0;

out_unregister:
	brig_probes_unregister(probes, n);
	return err;
}

int brig_probes_each(int (*fn)(const char *symbol, u64 missed, void *arg),
		     void *arg)
{
	size_t i, j;
	int ret = 0;

	spin_lock(&brig_tables_lock);
	for (i = 0; i < ARRAY_SIZE(brig_tables) && !ret; i++) {
		const struct brig_probe *probes = brig_tables[i].probes;

		for (j = 0; probes && j < brig_tables[i].n && !ret; j++)
			ret = fn(probes[j].kp.symbol_name, probes[j].kp.nmissed,
				 arg);
	}
	spin_unlock(&brig_tables_lock);
	return ret;
}

static int brig_probe_add_missed(const char *symbol, u64 missed, void *arg)
{
	*(u64 *)arg += missed;
	return 0;
}

u64 brig_probes_missed(void)
{
	u64 missed = 0;

	brig_probes_each(brig_probe_add_missed, &missed);
	return missed;
}
