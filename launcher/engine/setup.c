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
	return setup_keep_fds(0, &keep, keep >= 0, err);
}

int setup_keep_fds(int preserve, const int *keep, size_t n, struct brig_error **err)
{
	int moved[4], i;

	if (n > sizeof(moved) / sizeof(moved[0]))
		return brig_error_make(err, EINVAL, "keeping %zu files", n);
	/* Up out of the way first: a kept fd may sit where another goes. */
	for (i = 0; i < (int)n; i++) {
		moved[i] = fcntl(keep[i], F_DUPFD_CLOEXEC, 3 + preserve + (int)n);
		if (moved[i] < 0)
			return brig_error_make(err, errno, "keeping file %d", keep[i]);
	}
	for (i = 0; i < (int)n; i++)
		if (dup3(moved[i], 3 + preserve + i, O_CLOEXEC) < 0)
			return brig_error_make(err, errno, "dup3");
	if (syscall(SYS_close_range, 3 + preserve + (int)n, ~0U, 0))
		return brig_error_make(err, errno, "closing inherited files");
	/* The preserved ones (--preserve-fds, socket activation) cross execve. */
	for (i = 3; i < 3 + preserve; i++)
		if (fcntl(i, F_SETFD, 0))
			return brig_error_make(err, errno, "preserving fd %d", i);
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

/* Sets @flag of @set to the capabilities of @mask. */
static int cap_flags(cap_t set, cap_flag_t flag, uint64_t mask, int last)
{
	for (int c = 0; c < last; c++) {
		cap_value_t v = c;

		if ((mask & 1ULL << c) && cap_set_flag(set, flag, 1, &v, CAP_SET))
			return -1;
	}
	return 0;
}

int setup_user_caps(const struct engine_process *proc, struct brig_error **err)
{
	cap_t set __attribute__((cleanup(cap_freep))) = NULL;
	const struct brig_caps *caps = &proc->caps;
	uid_t uid = proc->uid;
	gid_t gid = proc->gid;
	int last = cap_max_bits(), c;
	/* Preset: a faked getresuid() that writes nothing must not pass. */
	uid_t r = -1, e = -1, s = -1;
	gid_t rg = -1, eg = -1, sg = -1;

	for (c = 0; c < last; c++)
		if (!(caps->bounding & 1ULL << c) && cap_drop_bound(c))
			return brig_error_make(err, errno, "dropping %s from the bounding set",
					       brig_cap_name(c));
	/* Where setgroups is denied (an unprivileged launcher's), there are none to clear. */
	if (setgroups(proc->n_groups, proc->groups) &&
	    (errno != EPERM || proc->n_groups || getgroups(0, NULL) != 0))
		return brig_error_make(err, errno ? errno : EPERM, "setting the supplementary groups");
	if (prctl(PR_SET_KEEPCAPS, 1) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
	    prctl(PR_SET_KEEPCAPS, 0))
		return brig_error_make(err, errno, "switching to user %u:%u", uid, gid);
	/* A filter installed before (no_new_privs off) could fake success: check. */
	if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) || rg != gid || eg != gid || sg != gid)
		return brig_error_make(err, EPERM, "switching to user %u:%u did not take", uid, gid);
	set = cap_init();
	if (!set)
		return brig_error_make(err, errno, "cap_init");
	if (cap_flags(set, CAP_PERMITTED, caps->permitted, last) ||
	    cap_flags(set, CAP_EFFECTIVE, caps->effective, last) ||
	    cap_flags(set, CAP_INHERITABLE, caps->inheritable, last))
		return brig_error_make(err, errno, "cap_set_flag");
	if (cap_set_proc(set))
		return brig_error_make(err, errno, "setting capabilities");
	if (cap_reset_ambient())
		return brig_error_make(err, errno, "clearing ambient capabilities");
	/* The kernel takes an ambient one only if it is permitted and inheritable. */
	for (c = 0; c < last; c++)
		if ((caps->ambient & 1ULL << c) && cap_set_ambient(c, CAP_SET))
			return brig_error_make(err, errno, "raising ambient %s", brig_cap_name(c));
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

/* @name's directory of PATH in @env, as execvp() would look. */
static const char *env_path(char *const env[])
{
	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			return env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

int setup_lookup(struct engine_process *proc, struct brig_error **err)
{
	const char *name = proc->argv[0], *dirs = env_path(proc->env);
	static char found[PATH_MAX];
	struct stat st;
	int e = ENOENT;

	if (strchr(name, '/')) {
		if (stat(name, &st))
			e = errno;
		else if (S_ISDIR(st.st_mode))
			e = EISDIR;
		else if (access(name, X_OK))
			e = errno;
		else
			return 0;
		brig_error_make(err, e, "exec: \"%s\"", name);
		(*err)->exit_code = e == ENOENT || e == ENOTDIR ? BRIG_EXIT_NOT_FOUND
								: BRIG_EXIT_CANNOT_RUN;
		return -1;
	}
	while (*dirs) {
		size_t len = strcspn(dirs, ":");

		snprintf(found, sizeof(found), "%.*s%s%s", (int)len, len ? dirs : ".",
			 "/", name);
		dirs += len + (dirs[len] == ':');
		if (!stat(found, &st) && S_ISREG(st.st_mode)) {
			if (!access(found, X_OK)) {
				proc->exec_path = found;
				return 0;
			}
			e = EACCES;
		}
	}
	if (e == EACCES) {
		brig_error_make(err, EACCES, "exec: \"%s\"", name);
		(*err)->exit_code = BRIG_EXIT_CANNOT_RUN;
	} else {
		brig_error_make(err, 0, "exec: \"%s\": executable file not found in $PATH", name);
		(*err)->exit_code = BRIG_EXIT_NOT_FOUND;
	}
	return -1;
}

int setup_exec(const struct engine_process *proc, struct brig_error **err)
{
	char *const *argv = proc->argv;
	extern char **environ;
	int e;

	environ = (char **)proc->env;
	if (proc->exec_path)
		execv(proc->exec_path, argv);
	else
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
