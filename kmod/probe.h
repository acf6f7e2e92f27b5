/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: hooking security_* functions with one ftrace_ops
 *
 * Since 4.12 a module cannot register an LSM, so brig traces the entry of the
 * kernel's security_* functions (and a few others) with ftrace, as kprobes on
 * a function's entry do, and decides in a handler. To refuse, a handler
 * calls brig_probe_deny(), which points the saved instruction pointer at a
 * stub returning the error: the probed function never runs and its caller
 * sees the error.
 *
 * Each part adds its table at init; brig_probes_arm() then puts every probe
 * in place with one ftrace_ops (one code update for all of them, where a
 * kprobe each costs one apiece: under emulation, seconds per load), and
 * brig_probes_disarm() takes them all away again before any part exits.
 */
#ifndef _BRIG_PROBE_H
#define _BRIG_PROBE_H

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>

struct pt_regs;

/**
 * struct brig_probe - one hooked kernel function
 * @kp: a disabled kprobe, only to find the function: @kp.symbol_name is set
 *	statically; once armed, @kp.addr is where ftrace calls the handler.
 * @handler: runs at the function's entry with its registers; returns 0 to
 *	let it run, or brig_probe_deny()'s result.
 * @missed: hits skipped because a brig handler was already running on the
 *	CPU (an interrupt in a handler, or a handler calling a hooked function).
 * @task_only: @handler has work only in process context; calls from an
 *	interrupt (a handler there could be skipped, and counted in @missed)
 *	are left to what backs it up there.
 */
struct brig_probe {
	struct kprobe kp;
	int (*handler)(struct pt_regs *regs);
	atomic_long_t missed;
	bool task_only;
};

#define __BRIG_PROBE(sym, fn, only_task) {			\
	.kp = { .symbol_name = (sym) }, .handler = (fn),	\
	.task_only = (only_task),				\
}
#define BRIG_PROBE(sym, fn) __BRIG_PROBE(sym, fn, false)
/* Only for a hook whose calls from interrupts something never skipped covers. */
#define BRIG_PROBE_TASK_ONLY(sym, fn) __BRIG_PROBE(sym, fn, true)

/* Argument @n (from 0) of the probed function, as @type: the one accessor. */
#define BRIG_ARG(regs, n, type) ((type)regs_get_kernel_argument((regs), (n)))

/*
 * The caller's registers at a syscall entry, __x64_sys_NAME(const struct
 * pt_regs *regs) or its ia32 twin (take its arguments with the syscall ABI:
 * di, si, dx, r10 on x86-64).
 */
static inline const struct pt_regs *brig_syscall_regs(struct pt_regs *regs)
{
	return BRIG_ARG(regs, 0, const struct pt_regs *);
}

/*
 * Makes the probed function return @err (-EPERM, -EACCES or -EAGAIN) without
 * running; the handler must then return its result.
 */
int brig_probe_deny(struct pt_regs *regs, int err);
/*
 * The same for a probe on a syscall's entry (__x64_sys_*, __ia32_sys_*),
 * which returns a long: makes the syscall fail with EPERM.
 */
int brig_probe_deny_syscall(struct pt_regs *regs);

/* A part's table, added at its init and removed at its exit (both disarmed). */
int brig_probes_register(struct brig_probe *probes, size_t n);
void brig_probes_unregister(struct brig_probe *probes, size_t n);
/* Every table's probes in place, or none (and why, in the kernel log). */
int brig_probes_arm(void);
/* None in place; returns once no handler runs. */
void brig_probes_disarm(void);

/* Hits of every brig probe skipped because a brig handler was running. */
u64 brig_probes_missed(void);
/*
 * Calls @fn for every armed probe with its symbol and its skipped hits until
 * @fn returns non-zero; returns that, or 0. Only while armed.
 */
int brig_probes_each(int (*fn)(const char *symbol, u64 missed, void *arg),
		     void *arg);

#endif /* _BRIG_PROBE_H */
