// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp: `seccomp default` against Docker's own default profile
 * (../shared/data/docker-seccomp-default.json, loaded by the JSON loader),
 * decision by decision: both filters are exported as BPF and run here on
 * every x86_64, x86 and x32 system call number with argument values that
 * cross every condition of the profile, for Docker's default capabilities
 * and with CAP_SYS_ADMIN added. Then each feature of the JSON format, and
 * its errors. Prints TAP.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "lib/policy.h"
#include "lib/seccomp.h"
#include "tap.h"

/* Classic BPF as the kernel runs a seccomp filter, on one seccomp_data. */
static uint32_t run_bpf(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	const unsigned char *data = (const void *)d;
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned int pc;

	for (pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		uint32_t k = f->k, src = BPF_SRC(f->code) == BPF_X ? x : k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS) && k + 4 <= sizeof(*d))
				memcpy(&a, data + k, 4);
			else if (f->code == (BPF_LD | BPF_IMM))
				a = k;
			else if (f->code == (BPF_LD | BPF_MEM) && k < BPF_MEMWORDS)
				a = mem[k];
			else
				return ~0U;
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_IMM))
				x = k;
			else if (f->code == (BPF_LDX | BPF_MEM) && k < BPF_MEMWORDS)
				x = mem[k];
			else
				return ~0U;
			break;
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return ~0U;
			mem[k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return ~0U;
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(f->code)) {
			case BPF_JA: pc += k; break;
			case BPF_JEQ: pc += a == src ? f->jt : f->jf; break;
			case BPF_JGT: pc += a > src ? f->jt : f->jf; break;
			case BPF_JGE: pc += a >= src ? f->jt : f->jf; break;
			case BPF_JSET: pc += a & src ? f->jt : f->jf; break;
			default: return ~0U;
			}
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return ~0U;	/* fell off the end: the kernel's verifier refuses that */
}

static bool build(const struct brig_sc_profile *p, uint64_t caps, unsigned int kernel,
		  FILE *warn, struct sock_fprog *prog)
{
	struct brig_error *err = NULL;
	scmp_filter_ctx ctx;
	int ret;

	if (brig_sc_build(p, caps, kernel, warn, &ctx, &err)) {
		ok(false, "building the filter: %s", err->msg);
		brig_error_free(&err);
		return false;
	}
	ret = brig_sc_export(ctx, p, prog, &err);
	seccomp_release(ctx);
	if (ret) {
		ok(false, "exporting the filter: %s", err->msg);
		brig_error_free(&err);
	}
	return !ret;
}

static uint32_t decide(const struct sock_fprog *prog, uint32_t arch, int nr,
		       const uint64_t args[6])
{
	struct seccomp_data d = { .nr = nr, .arch = arch };

	memcpy(d.args, args, sizeof(d.args));
	return run_bpf(prog, &d);
}

/* Every value a condition of Docker's profile turns on, and its neighbours. */
static const uint64_t samples[] = {
	0, 1, 7, 8, 9, 37, 38, 39, 40, 41, 0x20000, 0x20008, 0xfffffffe,
	0xffffffff, 0x100000000ULL, 0xffffffffffffffffULL, CLONE_NEWUSER,
	CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID | SIGCHLD, CLONE_VM | CLONE_FS |
	CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM,
	SIGCHLD, 0x7e020000, 0x7e020000ULL | 0x100000000ULL,
};

static void equivalence(const struct brig_sc_profile *docker, uint64_t caps,
			const char *what)
{
	static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386,
					   AUDIT_ARCH_X86_64 };
	struct sock_fprog ours, theirs;
	unsigned long compared = 0, differ = 0;
	char first[160] = "";
	size_t a, s, i;
	int nr;

	if (!build(brig_sc_docker_default(), caps, brig_kernel_version(), NULL, &ours))
		return;
	if (!build(docker, caps, brig_kernel_version(), NULL, &theirs)) {
		free(ours.filter);
		return;
	}
	for (a = 0; a < 3; a++) {
		/* The third pass is x32: the same arch, numbers with bit 30 set. */
		int base = a == 2 ? 0x40000000 : 0;

		for (nr = base; nr < base + 1024; nr++) {
			for (i = 0; i < 2; i++) {
				for (s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
					uint64_t args[6] = { 0 };
					uint32_t x, y;

					args[i] = samples[s];
					x = decide(&ours, arches[a], nr, args);
					y = decide(&theirs, arches[a], nr, args);
					compared++;
					if (x == y)
						continue;
					if (!differ++)
						snprintf(first, sizeof(first),
							 "first: arch %#x nr %#x arg%zu=%#llx: %#x against Docker's %#x",
							 arches[a], nr, i, (unsigned long long)samples[s], x, y);
				}
			}
		}
	}
	ok(differ == 0 && compared > 100000,
	   "seccomp default decides as Docker's profile, %s: %lu decisions, %lu differ %s",
	   what, compared, differ, first);
	free(ours.filter);
	free(theirs.filter);
}

/* What the built-in profile returns for one x86_64 call. */
static uint32_t default_decides(uint64_t caps, int nr, uint64_t arg0)
{
	struct sock_fprog prog;
	uint64_t args[6] = { arg0 };
	uint32_t ret;

	if (!build(brig_sc_docker_default(), caps, brig_kernel_version(), NULL, &prog))
		return ~0U;
	ret = decide(&prog, AUDIT_ARCH_X86_64, nr, args);
	free(prog.filter);
	return ret;
}

#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)

/* ioctl on each way into x86_64: its own number, x32's and i386's. */
static void terminal_answers(void)
{
	static const struct { uint32_t arch; int nr; const char *what; } ways[] = {
		{ AUDIT_ARCH_X86_64, __NR_ioctl, "x86_64" },
		{ AUDIT_ARCH_X86_64, 0x40000000 | 514, "x32" },
		{ AUDIT_ARCH_I386, 54, "i386" },
	};
	struct sock_fprog prog;
	size_t i;

	if (!build(brig_sc_docker_default(), BRIG_DOCKER_DEFAULT_CAPS, brig_kernel_version(),
		   NULL, &prog))
		return;
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		uint64_t sti[6] = { 0, TIOCSTI }, high[6] = { 0, 0x100000000ULL | TIOCSTI };
		uint64_t linux_[6] = { 0, TIOCLINUX }, winsz[6] = { 0, TIOCGWINSZ };

		ok(decide(&prog, ways[i].arch, ways[i].nr, sti) == EPERM_RET &&
		   decide(&prog, ways[i].arch, ways[i].nr, high) == EPERM_RET &&
		   decide(&prog, ways[i].arch, ways[i].nr, linux_) == EPERM_RET,
		   "default, %s: ioctl TIOCSTI (also with high bits set) and TIOCLINUX are refused",
		   ways[i].what);
		ok(decide(&prog, ways[i].arch, ways[i].nr, winsz) == SECCOMP_RET_ALLOW,
		   "default, %s: other ioctls are allowed", ways[i].what);
	}
	free(prog.filter);
}

static void known_answers(void)
{
	uint64_t def = BRIG_DOCKER_DEFAULT_CAPS, admin = def | 1ULL << CAP_SYS_ADMIN;

	ok(default_decides(def, __NR_read, 0) == SECCOMP_RET_ALLOW, "default: read is allowed");
	ok(default_decides(def, __NR_unshare, CLONE_NEWUSER) == EPERM_RET,
	   "default: unshare is refused with EPERM");
	ok(default_decides(admin, __NR_unshare, CLONE_NEWUSER) == SECCOMP_RET_ALLOW,
	   "default + SYS_ADMIN: unshare is allowed");
	ok(default_decides(def, __NR_keyctl, 0) == EPERM_RET, "default: keyctl is refused");
	ok(default_decides(def, __NR_kexec_load, 0) == EPERM_RET, "default: kexec_load is refused");
	ok(default_decides(def, __NR_clone, SIGCHLD) == SECCOMP_RET_ALLOW,
	   "default: a plain clone is allowed");
	ok(default_decides(def, __NR_clone, CLONE_NEWUSER | SIGCHLD) == EPERM_RET,
	   "default: clone with CLONE_NEWUSER is refused");
	ok(default_decides(def, __NR_clone3, 0) == (SECCOMP_RET_ERRNO | ENOSYS),
	   "default: clone3 fails with ENOSYS, so that libc falls back to clone");
	ok(default_decides(def, __NR_socket, 40) == EPERM_RET,
	   "default: AF_VSOCK sockets are refused");
	ok(default_decides(def, __NR_socket, 2) == SECCOMP_RET_ALLOW,
	   "default: AF_INET sockets are allowed");
	ok(default_decides(def, __NR_settimeofday, 0) == EPERM_RET &&
	   default_decides(1ULL << CAP_SYS_TIME, __NR_settimeofday, 0) == SECCOMP_RET_ALLOW,
	   "default: settimeofday follows CAP_SYS_TIME");
	ok(default_decides(def, 1000, 0) == (SECCOMP_RET_ERRNO | ENOSYS),
	   "default: a system call newer than libseccomp knows gets ENOSYS");
	terminal_answers();
}

/* Writes @json to a temporary file and loads it. */
static struct brig_sc_profile *load_text(const char *json, char *msg, size_t len)
{
	char path[] = "/tmp/brig-seccomp-XXXXXX.json";
	struct brig_sc_profile *p = NULL;
	struct brig_error *err = NULL;
	int fd = mkstemps(path, 5);
	char *at;

	if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json))
		abort();
	close(fd);
	msg[0] = '\0';
	if (brig_sc_profile_load(path, &p, &err)) {
		/* Without the temporary name, for exact comparisons. */
		at = strstr(err->msg, path);
		snprintf(msg, len, "%s", at ? at + strlen(path) : err->msg);
		brig_error_free(&err);
	}
	unlink(path);
	return p;
}

static uint32_t profile_decides(const char *json, uint64_t caps, unsigned int kernel,
				int nr, uint64_t arg0, uint64_t arg1)
{
	struct brig_sc_profile *p;
	struct sock_fprog prog;
	uint64_t args[6] = { arg0, arg1 };
	char msg[256];
	uint32_t ret = ~0U;

	p = load_text(json, msg, sizeof(msg));
	if (!p) {
		printf("# %s\n", msg);
		return ~0U;
	}
	if (build(p, caps, kernel, NULL, &prog)) {
		ret = decide(&prog, AUDIT_ARCH_X86_64, nr, args);
		free(prog.filter);
	}
	brig_sc_profile_free(p);
	return ret;
}

#define HEAD "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":13,\"syscalls\":["

static void json_features(void)
{
	const char *caps = HEAD "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}";
	const char *kernel = HEAD "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"minKernel\":\"5.10\"}}]}";
	const char *arches = HEAD "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"arches\":[\"arm64\"]}},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"excludes\":{\"arches\":[\"s390x\"]}}]}";
	const char *args = HEAD
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":1,\"value\":15,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":0,\"value\":255,\"valueTwo\":17,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
	const char *errno_ret = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	/* containers/common's (podman's) spelling of errnos, and the OCI form's flags. */
	const char *podman = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"ENOSYS\","
		"\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],\"listenerPath\":\"\","
		"\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EPERM\","
		"\"comment\":\"\"}]}";
	uint64_t admin = 1ULL << CAP_SYS_ADMIN;

	ok(profile_decides(podman, 0, 0, __NR_getpid, 0, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(podman, 0, 0, __NR_getppid, 0, 0) == (SECCOMP_RET_ERRNO | EPERM) &&
	   profile_decides(podman, 0, 0, __NR_getuid, 0, 0) == (SECCOMP_RET_ERRNO | ENOSYS),
	   "json: containers/common's defaultErrno and errno names");
	ok(profile_decides(caps, admin, 0, __NR_mount, 0, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(caps, 0, 0, __NR_mount, 0, 0) == (SECCOMP_RET_ERRNO | 13),
	   "json: includes.caps, and defaultErrnoRet for the rest");
	ok(profile_decides(caps, 0, 0, __NR_chroot, 0, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(caps, admin, 0, __NR_chroot, 0, 0) == (SECCOMP_RET_ERRNO | 13),
	   "json: excludes.caps");
	ok(profile_decides(kernel, 0, BRIG_KERNEL(5, 10), __NR_ptrace, 0, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(kernel, 0, BRIG_KERNEL(5, 9), __NR_ptrace, 0, 0) != SECCOMP_RET_ALLOW,
	   "json: includes.minKernel");
	ok(profile_decides(arches, 0, 0, __NR_getpid, 0, 0) != SECCOMP_RET_ALLOW &&
	   profile_decides(arches, 0, 0, __NR_getppid, 0, 0) == SECCOMP_RET_ALLOW,
	   "json: includes and excludes arches (this is amd64)");
	ok(profile_decides(args, 0, 0, __NR_personality, 1, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(args, 0, 0, __NR_personality, 2, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(args, 0, 0, __NR_personality, 3, 0) != SECCOMP_RET_ALLOW,
	   "json: conditions on one argument are alternatives");
	ok(profile_decides(args, 0, 0, __NR_kill, 1, 15) == SECCOMP_RET_ALLOW &&
	   profile_decides(args, 0, 0, __NR_kill, 1, 9) != SECCOMP_RET_ALLOW &&
	   profile_decides(args, 0, 0, __NR_kill, 2, 15) != SECCOMP_RET_ALLOW,
	   "json: conditions on different arguments must all hold");
	ok(profile_decides(args, 0, 0, __NR_clone, 0x111, 0) == SECCOMP_RET_ALLOW &&
	   profile_decides(args, 0, 0, __NR_clone, 0x112, 0) != SECCOMP_RET_ALLOW,
	   "json: SCMP_CMP_MASKED_EQ with valueTwo");
	ok(profile_decides(errno_ret, 0, 0, __NR_getpid, 0, 0) == (SECCOMP_RET_ERRNO | 38) &&
	   profile_decides(errno_ret, 0, 0, __NR_getppid, 0, 0) == EPERM_RET &&
	   profile_decides(errno_ret, 0, 0, __NR_read, 0, 0) == SECCOMP_RET_ALLOW,
	   "json: errnoRet, EPERM without it, and an allowing default");
}

/* The older "architectures" form: each listed architecture is covered. */
static void architectures(void)
{
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
		"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
		"\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	uint64_t args[6] = { 0 };
	struct brig_sc_profile *p;
	struct sock_fprog prog;
	char msg[256];

	p = load_text(json, msg, sizeof(msg));
	if (!p || !build(p, 0, 0, NULL, &prog)) {
		ok(false, "json: architectures: %s", msg);
	} else {
		/* getpid is 20 on x86; without the x86 arch the filter kills it. */
		ok(decide(&prog, AUDIT_ARCH_I386, 20, args) == SECCOMP_RET_ALLOW &&
		   decide(&prog, AUDIT_ARCH_X86_64, __NR_getpid, args) == SECCOMP_RET_ALLOW,
		   "json: the \"architectures\" form covers each architecture listed");
		free(prog.filter);
	}
	brig_sc_profile_free(p);
}

/* archMap's subArchitectures become libseccomp's names, the prefix off each. */
static void sub_architectures(void)
{
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":["
		"{\"architecture\":\"SCMP_ARCH_X86_64\","
		"\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
		"{\"architecture\":\"SCMP_ARCH_AARCH64\","
		"\"subArchitectures\":[\"SCMP_ARCH_ASCMP_ARCH_\"]}]}";
	struct brig_sc_profile *p;
	char msg[256];

	p = load_text(json, msg, sizeof(msg));
	ok(p && p->n_arch_map == 2 && !strcmp(p->arch_map[0].sub, "x86 x32") &&
	   !strcmp(p->arch_map[1].sub, "ascmp_arch_"),
	   "json: subArchitectures lose SCMP_ARCH_ at the start of each name only (%s)",
	   p ? p->arch_map[1].sub : msg);
	brig_sc_profile_free(p);
}

static void unknown_names(void)
{
	const char *json = HEAD "{\"names\":[\"getpid\",\"no_such_call\"],"
		"\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"no_such_call\",\"also_not\"],"
		"\"action\":\"SCMP_ACT_ALLOW\"}]}";
	const char *once = "does not know no_such_call also_not: their rules are skipped, "
			   "and system calls newer than it knows get ENOSYS\n";
	struct brig_sc_profile *p;
	struct sock_fprog prog;
	char msg[256], *warnings = NULL;
	size_t len = 0;
	FILE *warn;
	uint64_t args[6] = { 0 };

	p = load_text(json, msg, sizeof(msg));
	warn = open_memstream(&warnings, &len);
	if (!p || !warn || !build(p, 0, 0, warn, &prog)) {
		ok(false, "json: an unknown name is skipped: %s", msg);
	} else {
		fclose(warn);
		warn = NULL;
		ok(decide(&prog, AUDIT_ARCH_X86_64, __NR_getpid, args) == SECCOMP_RET_ALLOW &&
		   strstr(warnings, once) && !strchr(warnings, '\n')[1],
		   "json: an unknown name is skipped with a warning, the rest applies: %s", warnings);
		ok(decide(&prog, AUDIT_ARCH_X86_64, 1000, args) == (SECCOMP_RET_ERRNO | ENOSYS) &&
		   decide(&prog, AUDIT_ARCH_I386, 1000, args) == (SECCOMP_RET_ERRNO | ENOSYS),
		   "json: a system call newer than libseccomp knows gets ENOSYS, not the default");
		free(prog.filter);
	}
	if (warn)
		fclose(warn);
	free(warnings);
	brig_sc_profile_free(p);
}

static void errors(void)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{\n \"a\" 1}", ":2:6: invalid JSON: object property name separator ':' expected" },
		{ "{", ":1:2: invalid JSON: unexpected end of data" },
		{ "", ":1:1: invalid JSON: unexpected end of data" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}\n {\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
		  ":2:2: invalid JSON: text after the profile" },
		{ "[]", ":1:1: top level: expected an object" },
		{ "{\"syscalls\":[]}", ":1:1: top level: \"defaultAction\" is required" },
		{ "{\"defaultAction\":\"SCMP_ACT_BLOCK\"}", ":1:2: defaultAction: unknown action 'SCMP_ACT_BLOCK'" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrn\":1}",
		  ":1:35: defaultErrn: unknown field \"defaultErrn\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EPERN\"}",
		  ":1:35: defaultErrno: unknown errno name 'EPERN'" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EPERM\",\"defaultErrnoRet\":1}",
		  ":1:35: defaultErrno: give \"defaultErrnoRet\" or \"defaultErrno\", not both" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"/run/agent.sock\"}",
		  ":1:35: listenerPath: a seccomp listener needs a seccomp agent, which brig does not run" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":0}]}",
		  ":1:112: syscalls[0].errnoRet: 0 is not an errno (1 to 4095)" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"ENOPE\"}]}",
		  ":1:112: syscalls[0].errno: unknown errno name 'ENOPE'" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"arg\":[]}]}",
		  ":1:112: syscalls[0].arg: unknown field \"arg\"" },
		{ HEAD "{\"names\":[\"read\"]}]}", ":1:68: syscalls[0]: a rule needs an \"action\"" },
		{ HEAD "{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  ":1:69: syscalls[0].names: expected an array" },
		{ HEAD "{\"names\":[\"re ad\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  ":1:69: syscalls[0].names: invalid name \"re ad\"" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5000}]}",
		  ":1:112: syscalls[0].errnoRet: 5000 is not an errno (1 to 4095)" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  ":1:120: syscalls[0].args[0]: index 6 is not 0 to 5" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_IS\"}]}]}",
		  ":1:120: syscalls[0].args[0]: unknown comparison 'SCMP_CMP_IS'" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMINN\"]}}]}",
		  ":1:124: syscalls[0].includes.caps: unknown capability \"CAP_SYS_ADMINN\"" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"five\"}}]}",
		  ":1:124: syscalls[0].includes.minKernel: \"five\" is not a kernel version (4.8)" },
		{ HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
		  ":1:86: syscalls[0].action: SCMP_ACT_NOTIFY needs a seccomp agent, which brig does not run" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":\"x86_64\"}]}",
		  ":1:46: archMap[0]: expected \"architecture\": \"SCMP_ARCH_...\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"x86\"]}",
		  ":1:35: architectures: expected \"SCMP_ARCH_...\" names" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[256];
		struct brig_sc_profile *p = load_text(cases[i].json, msg, sizeof(msg));

		ok(!p && !strcmp(msg, cases[i].msg),
		   "json error: %s -> \"%s\"", cases[i].json, msg);
		brig_sc_profile_free(p);
	}
}

/* One compile through the cache in @dir: the program and what it warned. */
static bool cached(const char *dir, const struct brig_sc_profile *p, uint64_t caps,
		   struct sock_fprog *prog, char **warnings)
{
	struct brig_error *err = NULL;
	size_t len = 0;
	FILE *warn = open_memstream(warnings, &len);
	int ret;

	ret = warn ? brig_sc_compile_cached(dir, p, caps, BRIG_KERNEL(6, 1), warn, prog, &err) : -1;
	if (warn)
		fclose(warn);
	if (ret && err)
		diag("compile: %s", err->msg);
	brig_error_free(&err);
	return !ret;
}

static bool same_prog(const struct sock_fprog *a, const struct sock_fprog *b)
{
	return a->len == b->len && !memcmp(a->filter, b->filter, a->len * sizeof(*a->filter));
}

/* The one entry in @dir ("" if none or several). */
static void entry_path(const char *dir, char *path, size_t len)
{
	char cmd[600];
	FILE *ls;

	snprintf(cmd, sizeof(cmd), "ls %s/*.bpf 2>/dev/null", dir);
	path[0] = '\0';
	ls = popen(cmd, "r");
	if (ls && fgets(path, len, ls))
		path[strcspn(path, "\n")] = '\0';
	if (ls)
		pclose(ls);
}

/* Flips a byte of the stored program, keeping the entry well formed. */
static bool tamper(const char *path)
{
	FILE *f = fopen(path, "r+b");
	int c;
	bool done;

	if (!f)
		return false;
	done = !fseek(f, -3, SEEK_END) && (c = fgetc(f)) != EOF && !fseek(f, -3, SEEK_END) &&
	       fputc(c ^ 0x40, f) != EOF;
	return !fclose(f) && done;
}

/* 70 capability sets, 70 keys: the directory keeps 64 files, no more. */
static bool cache_stays_bounded(const char *dir, const struct brig_sc_profile *p)
{
	struct sock_fprog prog;
	char sub[64], cmd[128];
	unsigned int files = 0;
	bool all = true;
	char *warned = NULL;
	FILE *ls;

	snprintf(sub, sizeof(sub), "%s/bounded", dir);
	for (uint64_t caps = 0; caps < 70 && all; caps++) {
		all = cached(sub, p, caps, &prog, &warned);
		if (all)
			free(prog.filter);
		free(warned);
		warned = NULL;
	}
	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", sub);
	ls = popen(cmd, "r");
	if (!ls || fscanf(ls, "%u", &files) != 1)
		files = 0;
	if (ls)
		pclose(ls);
	if (!all || files != 64) {
		diag("%u files in %s", files, sub);
		return false;
	}
	return true;
}

/*
 * The cache of compiled filters: the same program as a compile, from the
 * entry the first compile stored; warnings said again; and an entry that
 * anyone but root could have written, or that is cut short, or another
 * directory's, is not used.
 */
static void compile_cache(void)
{
	const char *json = HEAD "{\"names\":[\"getpid\",\"no_such_call\"],"
		"\"action\":\"SCMP_ACT_ALLOW\"}]}";
	struct sock_fprog fresh, first, again;
	char dir[] = "/tmp/brig-sc-cache.XXXXXX", sub[64], path[600], msg[256];
	char *w1 = NULL, *w2 = NULL, *w3 = NULL;
	struct brig_sc_profile *p;

	if (geteuid() != 0) {
		skip(7, "the cache is root's: not root");
		return;
	}
	p = load_text(json, msg, sizeof(msg));
	if (!p || !mkdtemp(dir) || !build(p, 0, BRIG_KERNEL(6, 1), NULL, &fresh)) {
		ok(false, "compile cache: setting up: %s", msg);
		return;
	}
	snprintf(sub, sizeof(sub), "%s/c", dir);
	ok(cached(sub, p, 0, &first, &w1) && same_prog(&first, &fresh) &&
	   cached(sub, p, 0, &again, &w2) && same_prog(&again, &fresh) &&
	   strstr(w1, "does not know no_such_call") && !strcmp(w1, w2),
	   "compile cache: a stored program is the compile's, and its warnings are said again");
	free(first.filter);
	free(again.filter);
	free(w1);
	free(w2);
	w1 = w2 = NULL;
	entry_path(sub, path, sizeof(path));
	ok(path[0] && tamper(path) && cached(sub, p, 0, &again, &w1) && !same_prog(&again, &fresh),
	   "compile cache: the stored entry is what is used (a changed byte shows): %s", path);
	free(again.filter);
	chmod(path, 0666);
	ok(cached(sub, p, 0, &again, &w2) && same_prog(&again, &fresh),
	   "compile cache: an entry others may write is not used, and is replaced");
	free(again.filter);
	ok(tamper(path) && chown(path, 1000, 1000) == 0 && cached(sub, p, 0, &again, &w3) &&
	   same_prog(&again, &fresh), "compile cache: an entry not root's is not used");
	free(again.filter);
	free(w3);
	w3 = NULL;
	ok(!truncate(path, 100) && cached(sub, p, 0, &again, &w3) && same_prog(&again, &fresh),
	   "compile cache: a truncated entry is not used");
	free(again.filter);
	free(w3);
	w3 = NULL;
	ok(chmod(sub, 0755) == 0 && tamper(path) && cached(sub, p, 0, &again, &w3) &&
	   same_prog(&again, &fresh), "compile cache: a directory others may read is not used");
	free(again.filter);
	ok(cache_stays_bounded(dir, p), "compile cache: 70 keys stored leave 64 entries");
	free(fresh.filter);
	free(w1);
	free(w2);
	free(w3);
	brig_sc_profile_free(p);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path))
		diag("could not remove %s", dir);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : ".";
	struct brig_sc_profile *docker = NULL;
	struct brig_error *err = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/../shared/data/docker-seccomp-default.json", top);
	if (brig_sc_profile_load(path, &docker, &err)) {
		ok(false, "Docker's default profile loads: %s", err->msg);
		brig_error_free(&err);
	} else {
		ok(true, "Docker's default profile loads");
		equivalence(docker, BRIG_DOCKER_DEFAULT_CAPS, "Docker's 14 capabilities");
		equivalence(docker, BRIG_DOCKER_DEFAULT_CAPS | 1ULL << CAP_SYS_ADMIN,
			    "with CAP_SYS_ADMIN added");
		equivalence(docker, 0, "no capabilities");
		equivalence(docker, BRIG_ALL_CAPS, "every capability");
		brig_sc_profile_free(docker);
	}
	known_answers();
	json_features();
	architectures();
	sub_architectures();
	unknown_names();
	compile_cache();
	errors();
	return tap_done();
}
