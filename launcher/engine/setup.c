// SPDX-License-Identifier: GPL-2.0
/*
 * The container's process, set up from inside its namespaces (see
 * setup.h): what the caller passed on undone, rlimits, fds, the working
 * directory, the user and capabilities, seccomp, execve.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <net/if.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include "lib/cleanup.h"
#include "lib/seccomp.h"
#include "setup.h"

int setup_loopback(struct brig_error **err)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd brig_cleanup_close = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		return brig_error_make(err, errno, "bringing up lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		return brig_error_make(err, errno, "bringing up lo");
	return 0;
}

int setup_rlimits(const struct brig_rlimit *rlimits, size_t n, struct brig_error **err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct rlimit rl = { .rlim_cur = rlimits[i].soft, .rlim_max = rlimits[i].hard };

		if (setrlimit(rlimits[i].resource, &rl))
			return brig_error_make(err, errno, "setrlimit %d", rlimits[i].resource);
	}
	return 0;
}

int setup_inherited(struct brig_error **err)
{
	/*
	 * The kernel's struct sigaction: glibc's refuses the signals it keeps
	 * for itself (32 and 33), and those may be ignored too.
	 */
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} dfl = { .handler = SIG_DFL };
	sigset_t none;
	int sig;

	/* An ignored signal stays ignored across execve: `brigctl stop`'s TERM would be lost. */
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)))
			return brig_error_make(err, errno, "resetting signal %d", sig);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL))
		return brig_error_make(err, errno, "unblocking signals");
	umask(0022);
	return 0;
}

int setup_close_fds(int keep, struct brig_error **err)
{
	if (keep >= 0 && keep != 3) {
		if (dup3(keep, 3, O_CLOEXEC) < 0)
			return brig_error_make(err, errno, "dup3");
	}
	if (syscall(SYS_close_range, keep >= 0 ? 4 : 3, ~0U, 0))
		return brig_error_make(err, errno, "closing inherited files");
	return 0;
}

int setup_workdir(const char *workdir, struct brig_error **err)
{
	char cwd[PATH_MAX];

	if (chdir(workdir))
		return brig_error_make(err, errno, "workdir `%s`", workdir);
	/* getcwd fails (or says "(unreachable)") for a directory outside the root. */
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return brig_error_make(err, EPERM, "workdir `%s` lies outside the container's root",
				       workdir);
	return 0;
}

static void cap_freep(cap_t *set)
{
	if (*set)
		cap_free(*set);
}

int setup_user_caps(uid_t uid, gid_t gid, uint64_t caps, struct brig_error **err)
{
	cap_t set __attribute__((cleanup(cap_freep))) = NULL;
	int last = cap_max_bits(), c;
	/* Preset: a faked getresuid() that writes nothing must not pass. */
	uid_t r = -1, e = -1, s = -1;
	gid_t rg = -1, eg = -1, sg = -1;

	for (c = 0; c < last; c++)
		if (!(caps & 1ULL << c) && cap_drop_bound(c))
			return brig_error_make(err, errno, "dropping %s from the bounding set",
					       brig_cap_name(c));
	/* Supplementary groups: none (where setgroups is denied, an unprivileged launcher's). */
	if (setgroups(0, NULL) && (errno != EPERM || getgroups(0, NULL) != 0))
		return brig_error_make(err, errno ? errno : EPERM, "clearing the supplementary groups");
	if (prctl(PR_SET_KEEPCAPS, 1) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
	    prctl(PR_SET_KEEPCAPS, 0))
		return brig_error_make(err, errno, "switching to user %u:%u", uid, gid);
	/* A filter installed before (no_new_privs off) could fake success: check. */
	if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) || rg != gid || eg != gid || sg != gid)
		return brig_error_make(err, EPERM, "switching to user %u:%u did not take", uid, gid);
	/*
	 * As Docker: root holds the set as permitted and effective; another
	 * user holds none (execve gives it what file capabilities allow
	 * within the bounding set). Nobody has inheritable or ambient ones.
	 */
	set = cap_init();
	if (!set)
		return brig_error_make(err, errno, "cap_init");
	for (c = 0; uid == 0 && c < last; c++) {
		cap_value_t v = c;

		if (!(caps & 1ULL << c))
			continue;
		if (cap_set_flag(set, CAP_PERMITTED, 1, &v, CAP_SET) ||
		    cap_set_flag(set, CAP_EFFECTIVE, 1, &v, CAP_SET))
			return brig_error_make(err, errno, "cap_set_flag");
	}
	if (cap_set_proc(set))
		return brig_error_make(err, errno, "setting capabilities");
	if (cap_reset_ambient())
		return brig_error_make(err, errno, "clearing ambient capabilities");
	return 0;
}

int setup_seccomp(const struct sock_fprog *prog, uint32_t flags, struct brig_error **err)
{
	unsigned int f = 0;

	if (!prog->filter)
		return 0;
	if (flags & BRIG_SC_FLAG_LOG)
		f |= SECCOMP_FILTER_FLAG_LOG;
	if (flags & BRIG_SC_FLAG_SPEC_ALLOW)
		f |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f, prog))
		return brig_error_make(err, errno, "installing the seccomp filter");
	return 0;
}

int setup_exec(char *const argv[], char *const env[], struct brig_error **err)
{
	extern char **environ;
	int e;

	environ = (char **)env;
	execvp(argv[0], argv);
	e = errno;
	if (e == ENOENT && !strchr(argv[0], '/')) {
		brig_error_make(err, 0, "exec: \"%s\": executable file not found in $PATH", argv[0]);
	} else {
		brig_error_make(err, e, "exec: \"%s\"", argv[0]);
	}
	(*err)->exit_code = e == ENOENT || e == ENOTDIR ? BRIG_EXIT_NOT_FOUND
							: BRIG_EXIT_CANNOT_RUN;
	return -1;
}
