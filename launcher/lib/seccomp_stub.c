// SPDX-License-Identifier: GPL-2.0
/*
 * What brig puts in front of the filter libseccomp makes, in classic BPF,
 * where a libseccomp rule cannot say it:
 *
 * - ENOSYS for a system call newer than this libseccomp knows (runc's
 *   rule): a profile cannot name it, and glibc falls back on ENOSYS where
 *   EPERM would make it fail.
 * - For the built-in profile: ioctl TIOCSTI and TIOCLINUX refused with
 *   EPERM, as current runc and Docker do: a container must not type into
 *   a terminal. The kernel reads the command's low 32 bits, and so does
 *   the stub; a libseccomp rule would compare all 64.
 *
 * For x86_64, i386 and x32 callers (an i386 ioctl on x86_64 is still one).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "seccomp.h"

#define X32_SYSCALL_BIT		0x40000000
#define NR_IOCTL_X86_64		16
#define NR_IOCTL_X32		(X32_SYSCALL_BIT | 514)
#define NR_IOCTL_I386		54
#define STUB_MAX		32

/* Where the stub's jumps go. */
enum label { L_NEXT, L_PROG, L_X86_64, L_I386, L_IOCTL, L_ENOSYS, L_EPERM, L_COUNT };

struct stub {
	struct sock_filter insn[STUB_MAX];
	enum label jt[STUB_MAX], jf[STUB_MAX];
	unsigned int at[L_COUNT];
	unsigned int n;
};

static void emit(struct stub *s, uint16_t code, uint32_t k, enum label jt, enum label jf)
{
	s->insn[s->n] = (struct sock_filter)BPF_STMT(code, k);
	s->jt[s->n] = jt;
	s->jf[s->n] = jf;
	s->n++;
}

static void place(struct stub *s, enum label l)
{
	s->at[l] = s->n;
}

/* The largest system call number libseccomp knows for @arch. */
static int largest_known(uint32_t arch)
{
	int nr, largest = -1;

	for (nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);

		if (name)
			largest = nr;
		free(name);
	}
	return largest;
}

static int deny_tiocsti(const struct brig_sc_profile *p)
{
	return p->flags & BRIG_SC_FLAG_NO_TIOCSTI;
}

static int enosys_above(const struct brig_sc_profile *p)
{
	return p->default_action != BRIG_SC_ALLOW && p->default_action != BRIG_SC_LOG;
}

/* The stub for @p, ending in a jump to its first instruction after it. */
static void make_stub(const struct brig_sc_profile *p, struct stub *s)
{
	static int max_x86_64 = -2, max_i386 = -2;

	if (max_x86_64 == -2) {
		max_x86_64 = largest_known(SCMP_ARCH_X86_64);
		max_i386 = largest_known(SCMP_ARCH_X86);
	}
	s->n = 0;
	emit(s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), L_NEXT, L_NEXT);
	emit(s, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, L_X86_64, L_NEXT);
	emit(s, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, L_I386, L_PROG);

	place(s, L_X86_64);
	emit(s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), L_NEXT, L_NEXT);
	if (deny_tiocsti(p)) {
		emit(s, BPF_JMP | BPF_JEQ | BPF_K, NR_IOCTL_X86_64, L_IOCTL, L_NEXT);
		emit(s, BPF_JMP | BPF_JEQ | BPF_K, NR_IOCTL_X32, L_IOCTL, L_NEXT);
	}
	if (enosys_above(p) && max_x86_64 >= 0) {
		emit(s, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, L_PROG, L_NEXT);
		emit(s, BPF_JMP | BPF_JGT | BPF_K, max_x86_64, L_ENOSYS, L_PROG);
	} else {
		emit(s, BPF_JMP | BPF_JA, 0, L_PROG, L_PROG);
	}

	place(s, L_I386);
	emit(s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), L_NEXT, L_NEXT);
	if (deny_tiocsti(p))
		emit(s, BPF_JMP | BPF_JEQ | BPF_K, NR_IOCTL_I386, L_IOCTL, L_NEXT);
	if (enosys_above(p) && max_i386 >= 0)
		emit(s, BPF_JMP | BPF_JGT | BPF_K, max_i386, L_ENOSYS, L_PROG);
	else
		emit(s, BPF_JMP | BPF_JA, 0, L_PROG, L_PROG);

	place(s, L_IOCTL);
	/* args[1]'s low word: seccomp_data is little-endian here. */
	emit(s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]), L_NEXT, L_NEXT);
	emit(s, BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, L_EPERM, L_NEXT);
	emit(s, BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, L_EPERM, L_PROG);

	place(s, L_ENOSYS);
	emit(s, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, L_NEXT, L_NEXT);
	place(s, L_EPERM);
	emit(s, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM, L_NEXT, L_NEXT);
	place(s, L_PROG);
	s->at[L_NEXT] = 0;
}

int brig_sc_prepend_stub(const struct brig_sc_profile *p, struct sock_fprog *prog,
			 struct brig_error **err)
{
	struct sock_filter *all;
	struct stub s;
	unsigned int i;

	if (!deny_tiocsti(p) && !enosys_above(p))
		return 0;
	make_stub(p, &s);
	for (i = 0; i < s.n; i++) {
		struct sock_filter *f = &s.insn[i];

		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (BPF_OP(f->code) == BPF_JA) {
			f->k = s.at[s.jt[i]] - (i + 1);
			continue;
		}
		f->jt = s.jt[i] == L_NEXT ? 0 : s.at[s.jt[i]] - (i + 1);
		f->jf = s.jf[i] == L_NEXT ? 0 : s.at[s.jf[i]] - (i + 1);
	}
	all = malloc((s.n + prog->len) * sizeof(*all));
	if (!all)
		return brig_error_make(err, ENOMEM, "seccomp filter");
	memcpy(all, s.insn, s.n * sizeof(*all));
	memcpy(all + s.n, prog->filter, prog->len * sizeof(*all));
	free(prog->filter);
	prog->filter = all;
	prog->len += s.n;
	return 0;
}
