// SPDX-License-Identifier: GPL-2.0
/*
 * `seccomp default`: the allowlist of Docker's default profile (moby's
 * profiles/seccomp/default.json), written as a libbrig profile so that one
 * compiler (seccomp.c) builds it and any JSON profile alike.
 * tests/host/seccomp_test.c checks it against Docker's file, decision by
 * decision.
 */
#include <linux/capability.h>
#include <linux/sched.h>

#include "seccomp.h"

#define CAP(c) (1ULL << (c))
#define ARG(i, o, v) { .index = (i), .op = (o), .value = (v) }

/* Allowed to every container. */
static const char always[] =
	"accept accept4 access adjtimex alarm bind brk cachestat capget capset "
	"chdir chmod chown chown32 clock_adjtime clock_adjtime64 clock_getres "
	"clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep "
	"clock_nanosleep_time64 close close_range connect copy_file_range creat dup "
	"dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait "
	"epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat "
	"exit exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate "
	"fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat "
	"fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr "
	"fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate "
	"ftruncate64 futex futex_requeue futex_time64 futex_wait futex_waitv "
	"futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 "
	"geteuid geteuid32 getgid getgid32 getgroups getgroups32 getitimer "
	"getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid "
	"getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage "
	"getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid "
	"getuid32 getxattr getxattrat inotify_add_watch inotify_init inotify_init1 "
	"inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents "
	"io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill "
	"landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown "
	"lchown32 lgetxattr link linkat listen listmount listxattr listxattrat "
	"llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise "
	"map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir "
	"mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 mprotect "
	"mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 "
	"mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget "
	"msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep "
	"newfstatat _newselect open openat openat2 pause pidfd_open "
	"pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll "
	"ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease "
	"pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink "
	"readlinkat readv recv recvfrom recvmmsg recvmmsg_time64 recvmsg "
	"remap_file_pages removexattr removexattrat rename renameat renameat2 "
	"restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending "
	"rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait "
	"rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr "
	"sched_getparam sched_get_priority_max sched_get_priority_min "
	"sched_getscheduler sched_rr_get_interval sched_rr_get_interval_time64 "
	"sched_setaffinity sched_setattr sched_setparam sched_setscheduler "
	"sched_yield seccomp select semctl semget semop semtimedop "
	"semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto "
	"setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups "
	"setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid "
	"setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit "
	"set_robust_list setsid setsockopt set_thread_area set_tid_address setuid "
	"setuid32 setxattr setxattrat shmat shmctl shmdt shmget shutdown "
	"sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair "
	"splice stat stat64 statfs statfs64 statmount statx symlink symlinkat sync "
	"sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete "
	"timer_getoverrun timer_gettime timer_gettime64 timer_settime "
	"timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 "
	"timerfd_settime timerfd_settime64 times tkill truncate truncate64 "
	"ugetrlimit umask uname unlink unlinkat uretprobe utime utimensat "
	"utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write writev";

/* The namespace flags a clone without CAP_SYS_ADMIN may not pass. */
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

static const struct brig_sc_rule rules[] = {
	{ .names = always, .action = BRIG_SC_ALLOW, .errno_ret = -1 },
	{ .names = "process_vm_readv process_vm_writev ptrace",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .min_kernel = BRIG_KERNEL(4, 8) },
	/* Every socket family but AF_ALG (38) and AF_VSOCK (40). */
	{ .names = "socket", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_LT, 38) } },
	{ .names = "socket", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 39) } },
	{ .names = "socket", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_GT, 40) } },
	/* personality: PER_LINUX, UNAME26, PER_LINUX32, their union, query. */
	{ .names = "personality", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 0x0) } },
	{ .names = "personality", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 0x8) } },
	{ .names = "personality", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 0x20000) } },
	{ .names = "personality", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 0x20008) } },
	{ .names = "personality", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1, .args = { ARG(0, SCMP_CMP_EQ, 0xffffffff) } },
	/* Architecture-specific calls. */
	{ .names = "sync_file_range2 swapcontext", .action = BRIG_SC_ALLOW,
	  .errno_ret = -1, .arches_in = "ppc64le" },
	{ .names = "arm_fadvise64_64 arm_sync_file_range sync_file_range2 "
		   "breakpoint cacheflush set_tls",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1, .arches_in = "arm arm64" },
	{ .names = "arch_prctl", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .arches_in = "amd64 x32" },
	{ .names = "modify_ldt", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .arches_in = "amd64 x32 x86" },
	{ .names = "s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1, .arches_in = "s390 s390x" },
	{ .names = "riscv_flush_icache", .action = BRIG_SC_ALLOW,
	  .errno_ret = -1, .arches_in = "riscv64" },
	/* What each capability opens. */
	{ .names = "open_by_handle_at", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_DAC_READ_SEARCH) },
	{ .names = "bpf clone clone3 fanotify_init fsconfig fsmount fsopen "
		   "fspick lookup_dcookie lsm_get_self_attr lsm_list_modules "
		   "lsm_set_self_attr mount mount_setattr move_mount open_tree "
		   "perf_event_open quotactl quotactl_fd setdomainname "
		   "sethostname setns syslog umount umount2 unshare",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_ADMIN) },
	/* Without CAP_SYS_ADMIN: clone without namespace flags, no clone3. */
	{ .names = "clone", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1,
	  .args = { { .index = 0, .op = SCMP_CMP_MASKED_EQ,
		      .value = CLONE_NS_FLAGS, .value_two = 0 } },
	  .caps_out = CAP(CAP_SYS_ADMIN), .arches_out = "s390 s390x" },
	{ .names = "clone", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .n_args = 1,
	  .args = { { .index = 1, .op = SCMP_CMP_MASKED_EQ,
		      .value = CLONE_NS_FLAGS, .value_two = 0 } },
	  .caps_out = CAP(CAP_SYS_ADMIN), .arches_in = "s390 s390x" },
	/* ENOSYS, so that libc falls back to clone. */
	{ .names = "clone3", .action = BRIG_SC_ERRNO, .errno_ret = 38,
	  .caps_out = CAP(CAP_SYS_ADMIN) },
	{ .names = "reboot", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_BOOT) },
	{ .names = "chroot", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_CHROOT) },
	{ .names = "delete_module init_module finit_module",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_MODULE) },
	{ .names = "acct", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_PACCT) },
	{ .names = "kcmp pidfd_getfd process_madvise process_vm_readv "
		   "process_vm_writev ptrace",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_PTRACE) },
	{ .names = "iopl ioperm", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_RAWIO) },
	{ .names = "settimeofday stime clock_settime clock_settime64",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_TIME) },
	{ .names = "vhangup", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_TTY_CONFIG) },
	{ .names = "get_mempolicy mbind set_mempolicy set_mempolicy_home_node",
	  .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYS_NICE) },
	{ .names = "syslog", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_SYSLOG) },
	{ .names = "bpf", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_BPF) },
	{ .names = "perf_event_open", .action = BRIG_SC_ALLOW, .errno_ret = -1,
	  .caps_in = CAP(CAP_PERFMON) },
};

/* Each native architecture with the ones its processes may also use. */
static const struct brig_sc_arch arch_map[] = {
	{ "x86_64", "x86 x32" },
	{ "aarch64", "arm" },
	{ "mips64", "mips64n32 mips" },
	{ "mips64n32", "mips64 mips" },
	{ "mipsel64", "mipsel64n32 mipsel" },
	{ "mipsel64n32", "mipsel64 mipsel" },
	{ "s390x", "s390" },
	{ "riscv64", "" },
	{ "loongarch64", "" },
};

static const struct brig_sc_profile docker_default = {
	.default_action = BRIG_SC_ERRNO,
	.arch_map = arch_map,
	.n_arch_map = sizeof(arch_map) / sizeof(arch_map[0]),
	.default_errno = 1,		/* EPERM */
	.flags = BRIG_SC_FLAG_NO_TIOCSTI,
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
};

const struct brig_sc_profile *brig_sc_docker_default(void)
{
	return &docker_default;
}
