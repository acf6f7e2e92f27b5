/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: hooking security_* functions with kprobes
 *
 * Since 4.12 a module cannot register an LSM, so brig places ftrace-based
 * kprobes on the kernel's security_* functions. To refuse, a pre-handler
 * calls brig_probe_deny(), which points the saved instruction pointer at a
 * stub returning the error: the probed function never runs and its caller
 * sees the error.
 */
#ifndef _BRIG_PROBE_H
#define _BRIG_PROBE_H

#include <linux/kprobes.h>

/**
 * struct brig_probe - one hooked kernel function
 * @kp: the kprobe; @kp.symbol_name and @kp.pre_handler are set statically.
 * @registered: set once registered, so that a failed init can unwind.
 */
struct brig_probe {
	struct kprobe kp;
	bool registered;
};

#define BRIG_PROBE(sym, handler) {				\
	.kp = { .symbol_name = (sym), .pre_handler = (handler) },	\
}

/*
 * Makes the probed function return @err (-EPERM, -EACCES or -EAGAIN) without
 * running; the pre-handler must then return its result.
 */
int brig_probe_deny(struct pt_regs *regs, int err);
/*
 * The same for a probe on a syscall's entry (__x64_sys_*, __ia32_sys_*),
 * which returns a long: makes the syscall fail with EPERM.
 */
int brig_probe_deny_syscall(struct pt_regs *regs);

int brig_probes_register(struct brig_probe *probes, size_t n);
void brig_probes_unregister(struct brig_probe *probes, size_t n);
/* Hits of every brig probe skipped because another kprobe handler was running. */
u64 brig_probes_missed(void);
/*
 * Calls @fn for every registered probe with its symbol and its skipped hits,
 * under a spinlock (@fn must not sleep), until @fn returns non-zero; returns
 * that, or 0.
 */
int brig_probes_each(int (*fn)(const char *symbol, u64 missed, void *arg),
		     void *arg);

#endif /* _BRIG_PROBE_H */
