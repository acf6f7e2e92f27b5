// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the probes on security_* functions, and the deny stubs
 *
 * Traps (see docs/design): the ftrace_ops has IP-modify rights, so another
 * tracer cannot silently drop our redirect (ftrace refuses a second IP
 * modifier on a function, and then the load fails); a function ftrace cannot
 * trace at its entry would make the load fail too. The stubs are ordinary C
 * functions whose address is taken, so they begin with ENDBR on IBT kernels.
 *
 * Finding a function: kallsyms_lookup_name() is not exported, so each probe
 * registers a disabled kprobe, which finds the function's ftrace site and
 * patches nothing, and unregisters it again.
 */

#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sort.h>

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
	return 1;	/* regs changed: the probed function does not run */
}

/**
 * struct brig_probe_table - one part's table
 * @probes: the table (static in its part); NULL: a free slot.
 * @n: its probes.
 */
struct brig_probe_table {
	struct brig_probe *probes;
	size_t n;
};

/*
 * The tables change only while disarmed, at init and exit, which the module
 * loader serialises; brig_sites[] and brig_site_ips[] (every probe, sorted by
 * ftrace site, for the handler's lookup) are set before the ftrace_ops is
 * registered and stay as they are until it is unregistered.
 */
static struct brig_probe_table brig_tables[BRIG_PROBE_TABLES_MAX];
static struct brig_probe *brig_sites[BRIG_PROBES_MAX];
static unsigned long brig_site_ips[BRIG_PROBES_MAX];
static unsigned int brig_n_sites;
static bool brig_armed;

/* Set while a brig handler runs on this CPU: handlers never nest. */
static DEFINE_PER_CPU(bool, brig_probe_running);

static notrace struct brig_probe *brig_probe_find(unsigned long ip)
{
	unsigned int lo = 0, hi = brig_n_sites;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (brig_site_ips[mid] == ip)
			return brig_sites[mid];
		if (brig_site_ips[mid] < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ftrace calls this at the entry of every probed function. */
static notrace void brig_probe_ftrace(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	struct brig_probe *p = brig_probe_find(ip);
	int bit;

	if (!p || !regs || (p->task_only && !in_task()))
		return;
	/* Disables preemption: handlers run with it off. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0) {
		atomic_long_inc(&p->missed);
		return;
	}
	if (__this_cpu_read(brig_probe_running)) {
		atomic_long_inc(&p->missed);
	} else {
		__this_cpu_write(brig_probe_running, true);
		p->handler(regs);	/* a refusal has changed regs->ip */
		__this_cpu_write(brig_probe_running, false);
	}
	ftrace_test_recursion_unlock(bit);
}

/*
 * PERMANENT: while brig's probes are armed, sysctl kernel.ftrace_enabled=0
 * (which would stop every ftrace callback, and so every check, silently)
 * fails with EBUSY, as it does for live patches.
 */
static struct ftrace_ops brig_ftrace_ops = {
	.func = brig_probe_ftrace,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		 FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_PERMANENT,
};

int brig_probes_register(struct brig_probe *probes, size_t n)
{
	size_t i;

	if (WARN_ON_ONCE(brig_armed))
		return -EBUSY;
	for (i = 0; i < ARRAY_SIZE(brig_tables); i++) {
		if (!brig_tables[i].probes) {
			brig_tables[i].probes = probes;
			brig_tables[i].n = n;
			return 0;
		}
	}
	WARN_ON_ONCE(1);
	return -ENOSPC;
}

void brig_probes_unregister(struct brig_probe *probes, size_t n)
{
	size_t i;

	WARN_ON_ONCE(brig_armed);
	for (i = 0; i < ARRAY_SIZE(brig_tables); i++) {
		if (brig_tables[i].probes == probes)
			brig_tables[i].probes = NULL;
	}
}

static int brig_site_cmp(const void *a, const void *b)
{
	unsigned long x = (unsigned long)(*(struct brig_probe * const *)a)->kp.addr;
	unsigned long y = (unsigned long)(*(struct brig_probe * const *)b)->kp.addr;

	return x < y ? -1 : x > y;
}

/*
 * Finds each probe's ftrace site (kp.addr) with a disabled kprobe; the
 * kprobes are unregistered in batches, one grace period each.
 */
static int brig_probes_find_sites(void)
{
	struct kprobe *batch[BRIG_PROBE_BATCH];
	unsigned int i, k = 0;
	int err = 0;

	for (i = 0; i < brig_n_sites; i++) {
		struct kprobe *kp = &brig_sites[i]->kp;

		kp->addr = NULL;
		kp->flags = KPROBE_FLAG_DISABLED;
		err = register_kprobe(kp);
		if (err) {
			pr_err("brig: cannot probe %s: %d\n", kp->symbol_name, err);
			break;
		}
		batch[k++] = kp;
		if (!(kp->flags & KPROBE_FLAG_FTRACE)) {
			pr_err("brig: %s has no ftrace site at its entry; cannot hook it\n",
			       kp->symbol_name);
			err = -EOPNOTSUPP;
			break;
		}
		if (k == ARRAY_SIZE(batch)) {
			unregister_kprobes(batch, k);
			k = 0;
		}
	}
	if (k)
		unregister_kprobes(batch, k);
	return err;
}

int brig_probes_arm(void)
{
	unsigned int i, n = 0;
	size_t t, j;
	int err;

	if (WARN_ON_ONCE(brig_armed))
		return -EBUSY;
	for (t = 0; t < ARRAY_SIZE(brig_tables); t++) {
		for (j = 0; brig_tables[t].probes && j < brig_tables[t].n; j++) {
			if (WARN_ON_ONCE(n == ARRAY_SIZE(brig_sites)))
				return -ENOSPC;
			brig_sites[n++] = &brig_tables[t].probes[j];
		}
	}
	brig_n_sites = n;
	err = brig_probes_find_sites();
	if (err)
		goto out_clear;
	sort(brig_sites, n, sizeof(brig_sites[0]), brig_site_cmp, NULL);
	for (i = 0; i < n; i++) {
		brig_site_ips[i] = (unsigned long)brig_sites[i]->kp.addr;
		atomic_long_set(&brig_sites[i]->missed, 0);
		if (i && brig_site_ips[i] == brig_site_ips[i - 1]) {
			pr_err("brig: %s is probed twice\n",
			       brig_sites[i]->kp.symbol_name);
			err = -EINVAL;
			goto out_clear;
		}
	}
	err = ftrace_set_filter_ips(&brig_ftrace_ops, brig_site_ips, n, 0, 1);
	if (err) {
		pr_err("brig: cannot set the ftrace filter: %d\n", err);
		goto out_free;
	}
	err = register_ftrace_function(&brig_ftrace_ops);
	if (err) {
		/*
		 * -EBUSY: another IP-modifying tracer holds one of them, or
		 * kernel.ftrace_enabled is 0 (a permanent ops needs it on).
		 */
		pr_err("brig: cannot register the ftrace_ops: %d (is sysctl kernel.ftrace_enabled 1?)\n",
		       err);
		goto out_free;
	}
	brig_armed = true;
	return 0;

out_free:
	ftrace_free_filter(&brig_ftrace_ops);
out_clear:
	brig_n_sites = 0;
	return err;
}

void brig_probes_disarm(void)
{
	if (!brig_armed)
		return;
	/*
	 * Returns once no CPU can enter brig_probe_ftrace() for these sites
	 * and none is still inside it (ftrace waits for that).
	 */
	WARN_ON_ONCE(unregister_ftrace_function(&brig_ftrace_ops));
	ftrace_free_filter(&brig_ftrace_ops);
	brig_armed = false;
	brig_n_sites = 0;
}

int brig_probes_each(int (*fn)(const char *symbol, u64 missed, void *arg),
		     void *arg)
{
	size_t t, j;
	int ret = 0;

	if (!brig_armed)
		return 0;
	/* In the tables' order: every part's probes as it lists them. */
	for (t = 0; t < ARRAY_SIZE(brig_tables) && !ret; t++) {
		const struct brig_probe *probes = brig_tables[t].probes;

		for (j = 0; probes && j < brig_tables[t].n && !ret; j++)
			ret = fn(probes[j].kp.symbol_name,
				 atomic_long_read(&probes[j].missed), arg);
	}
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
