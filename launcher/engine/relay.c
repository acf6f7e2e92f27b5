// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's relay: the container's pty and the caller's signals, as
 * docker run's signal proxy passes them on, until the container exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"

/* The signals the launcher passes on, as docker run's signal proxy does. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGWINCH,
};

int open_container_pty(int *master, int *slave, struct brig_error **err)
{
	struct open_how how = {
		.flags = O_RDWR | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;

	*master = *slave = -1;
	/* The container's devpts, as launch mounted it: nothing else named so. */
	*master = syscall(SYS_openat2, AT_FDCWD, "/dev/pts/ptmx", &how, sizeof(how));
	if (*master < 0)
		return brig_error_make(err, errno, "opening the container's /dev/pts/ptmx");
	if (fstat(*master, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		return brig_error_make(err, EPERM, "the container's /dev/pts/ptmx is not a ptmx");
	if (unlockpt(*master))
		return brig_error_make(err, errno, "allocating a pseudo-terminal");
	/* The peer by the master, not by a path the container could change. */
	*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return brig_error_make(err, errno, "opening the pseudo-terminal");
	return 0;
}

void pty_size_from(int master, int from)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* The child side, leading a session already: the pty as its controlling terminal. */
int attach_pty(int slave, struct brig_error **err)
{
	if (ioctl(slave, TIOCSCTTY, 0) ||
	    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		return brig_error_make(err, errno, "attaching the pseudo-terminal");
	return 0;
}

static void relay_start(struct relay *r)
{
	struct termios raw;

	if (r->master < 0 || r->in < 0 || tcgetattr(r->in, &r->saved))
		return;
	raw = r->saved;
	cfmakeraw(&raw);
	r->raw = tcsetattr(r->in, TCSANOW, &raw) == 0;
}

static void relay_stop(struct relay *r)
{
	if (r->raw)
		tcsetattr(r->in, TCSANOW, &r->saved);
	r->raw = false;
}

/* Copies what is ready from @from to @to; false at EOF or error. */
static bool copy_some(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0;

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	while (off < n) {
		ssize_t w = write(to, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return true;	/* a gone reader must not stop the container */
		off += w;
	}
	return true;
}

/*
 * stdin's EOF, passed on as the terminal's EOF character: twice, so that it
 * ends a line that is not ended yet, and then the input.
 */
static void send_eof(int master)
{
	struct termios t;
	char eof[2];

	if (tcgetattr(master, &t) || !t.c_cc[VEOF])
		return;
	eof[0] = eof[1] = t.c_cc[VEOF];
	if (write(master, eof, 2) < 0)
		return;	/* the container is gone */
}

/* The signals supervise() reads: the forwarded ones and SIGCHLD. */
static void supervised_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
}

int block_signals(void)
{
	sigset_t set;

	supervised_signals(&set);
	sigaddset(&set, SIGPIPE);
	return sigprocmask(SIG_BLOCK, &set, NULL);
}

int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Until @child exits: forward signals to the process the pidfd @target
 * names (-1: to @child), and relay the tty. Returns the exit code @child's status makes.
 */
int supervise(pid_t child, int target, struct relay *r)
{
	sigset_t set;
	struct pollfd fds[3];
	int sfd, status, code = -1;

	supervised_signals(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	relay_start(r);
	while (code < 0) {
		int n = 0;

		fds[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (r->master >= 0)
			fds[n++] = (struct pollfd){ .fd = r->master, .events = POLLIN };
		if (r->master >= 0 && r->in >= 0)
			fds[n++] = (struct pollfd){ .fd = r->in, .events = POLLIN };
		if (poll(fds, n, sfd < 0 ? 100 : -1) < 0 && errno != EINTR)
			break;
		if (sfd >= 0 && fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD) {
				if (si.ssi_signo == SIGWINCH && r->master >= 0 && r->in >= 0) {
					struct winsize ws;

					if (ioctl(r->in, TIOCGWINSZ, &ws) == 0)
						ioctl(r->master, TIOCSWINSZ, &ws);
				}
				if (target >= 0)
					syscall(SYS_pidfd_send_signal, target, si.ssi_signo, NULL, 0);
				else
					kill(child, si.ssi_signo);
			}
		}
		if (r->master >= 0 && fds[1].revents & (POLLIN | POLLHUP))
			copy_some(r->master, r->out);
		if (n == 3 && fds[2].revents & (POLLIN | POLLHUP) && !copy_some(r->in, r->master)) {
			r->in = -1;	/* stdin closed: stop reading it */
			send_eof(r->master);
		}
		if (waitpid(child, &status, WNOHANG) == child)
			code = exit_code_of(status);
	}
	if (code < 0 && waitpid(child, &status, 0) == child)
		code = exit_code_of(status);
	/* What the container wrote last is still in the pty. */
	if (r->master >= 0) {
		fcntl(r->master, F_SETFL, O_NONBLOCK);
		for (;;) {
			errno = 0;
			if (!copy_some(r->master, r->out) || errno == EAGAIN)
				break;
		}
	}
	relay_stop(r);
	if (sfd >= 0)
		close(sfd);
	return code < 0 ? BRIG_EXIT_FAILURE : code;
}

int send_console(const char *path, int master, struct brig_error **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char control[CMSG_SPACE(sizeof(int))] = { 0 }, name[] = "/dev/ptmx";
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int sock brig_cleanup_close = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return brig_error_make(err, ENAMETOOLONG, "console socket `%s`", path);
	strcpy(addr.sun_path, path);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)))
		return brig_error_make(err, errno, "console socket `%s`", path);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return brig_error_make(err, errno, "sending the terminal to `%s`", path);
	return 0;
}
