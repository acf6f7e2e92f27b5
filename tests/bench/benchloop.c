// SPDX-License-Identifier: GPL-2.0
/*
 * benchloop: times one operation in a loop and prints "OP NS" (nanoseconds
 * per operation by the guest's clock; under QEMU's -icount that clock counts
 * instructions). Static, so that it runs inside any container root.
 *
 *   benchloop [-t THREADS] [-e ERRNO] [-L RULES | -A PROFILE] OP N [PATH]
 *	OP: open (open+close), openat, stat, socket (+close; PATH "raw" for a
 *	raw socket), fork (+exit+wait), exec (fork+execve PATH "nop"+wait).
 *	-t: THREADS threads at once, each N times: the time per operation of
 *	all of them together. -e: each operation must fail with ERRNO (a
 *	denied path). -L: under a Landlock ruleset made from RULES, lines
 *	"PATH LETTERS" (a PATH ending in slash-star-star covers what is below it) of deny
 *	rules, as brig's are: everything else is granted, in Landlock's terms.
 *	-A: in AppArmor PROFILE (entered by exec).
 *   benchloop nop			exits 0 (exec's program)
 *   benchloop spawn N CMD...		runs CMD N times, ns per run (exit 0 each)
 *   benchloop oci N RUNTIME BUNDLE	RUNTIME create, start, wait, delete, N times
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/landlock.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char *op, *path = "/etc/passwd";
static long iterations;
static int want_errno;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* One operation: 0, the errno it failed with, or -2 for an unknown one. */
static int once(void)
{
	struct stat st;
	pid_t pid;
	int fd;

	if (!strcmp(op, "open") || !strcmp(op, "openat")) {
		fd = !strcmp(op, "open") ? open(path, O_RDONLY) : openat(AT_FDCWD, path, O_RDONLY);
		return fd < 0 ? errno : close(fd);
	}
	if (!strcmp(op, "stat"))
		return stat(path, &st) ? errno : 0;
	if (!strcmp(op, "socket")) {
		fd = !strcmp(path, "raw") ? socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) :
		     socket(AF_INET, SOCK_DGRAM, 0);
		return fd < 0 ? errno : close(fd);
	}
	if (!strcmp(op, "fork") || !strcmp(op, "exec")) {
		int status;

		pid = fork();
		if (pid == 0) {
			if (!strcmp(op, "exec"))
				execl(path, path, "nop", (char *)NULL);
			_exit(op[0] == 'e' ? 127 : 0);
		}
		if (pid < 0)
			return errno;
		if (waitpid(pid, &status, 0) != pid)
			return errno;
		return status ? EIO : 0;
	}
	return -2;
}

static void *loop(void *arg)
{
	for (long i = 0; i < iterations; i++)
		if (once() != want_errno) {
			*(bool *)arg = false;
			break;
		}
	return NULL;
}

/* ---- Landlock: deny rules granted around, as a ruleset can only grant */

#define LL_FILE (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		 LANDLOCK_ACCESS_FS_READ_FILE)
#define LL_ALL (LL_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
		LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
		LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
		LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
		LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM | \
		LANDLOCK_ACCESS_FS_REFER)
#define LL_WRITE (LL_ALL & ~(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | \
			     LANDLOCK_ACCESS_FS_READ_DIR))

struct deny {
	char path[256];
	bool below;		/* the rule was PATH followed by slash-star-star */
	__u64 access;
};

static struct deny denies[64];
static size_t n_denies;
static int ruleset;

/* brig's letters in Landlock's rights (it has no m or k). */
static __u64 ll_access(const char *letters)
{
	__u64 a = 0;

	if (strchr(letters, 'r'))
		a |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	if (strchr(letters, 'w') || strchr(letters, 'a'))
		a |= LL_WRITE & ~LANDLOCK_ACCESS_FS_REFER;
	if (strchr(letters, 'x'))
		a |= LANDLOCK_ACCESS_FS_EXECUTE;
	if (strchr(letters, 'l'))
		a |= LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_MAKE_REG;
	return a;
}

static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return !strcmp(dir, "/") ? p[1] != '\0' : !strncmp(p, dir, n) && p[n] == '/';
}

static int grant(const char *p, __u64 access, bool dir)
{
	struct landlock_path_beneath_attr beneath = { .allowed_access = access & (dir ? LL_ALL : LL_FILE) };
	int ret;

	if (!beneath.allowed_access)
		return 0;
	beneath.parent_fd = open(p, O_PATH | O_CLOEXEC);
	if (beneath.parent_fd < 0)
		return -1;
	ret = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
	close(beneath.parent_fd);
	return ret;
}

/*
 * Grants at @p what no rule denies at or below it; goes down only into
 * directories that hold a denied path, so that a rule grants as high up as
 * it can, as a hand-written ruleset would.
 */
static int walk(const char *p, bool dir)
{
	__u64 here = 0, below = 0;
	struct dirent *e;
	DIR *d;
	int ret = 0;

	for (size_t i = 0; i < n_denies; i++) {
		const struct deny *r = &denies[i];

		if (r->below ? under(p, r->path) : !strcmp(p, r->path))
			here |= r->access;
		else if (under(r->path, p) || (r->below && !strcmp(r->path, p)))
			below |= r->access;
	}
	if (grant(p, LL_ALL & ~here & ~below, dir))
		return -1;
	if (!below || !dir)
		return 0;
	d = opendir(p);
	if (!d)
		return -1;
	while (!ret && (e = readdir(d))) {
		char child[512];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(child, sizeof(child), "%s/%s", strcmp(p, "/") ? p : "", e->d_name);
		if (lstat(child, &st) == 0)
			ret = walk(child, S_ISDIR(st.st_mode));
	}
	closedir(d);
	return ret;
}

static int landlock(const char *rules)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = LL_ALL };
	char line[300], letters[16];
	FILE *f = fopen(rules, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n_denies < 64) {
		struct deny *r = &denies[n_denies];
		size_t n;

		if (sscanf(line, "%255s %15s", r->path, letters) != 2)
			continue;
		n = strlen(r->path);
		r->below = n > 3 && !strcmp(r->path + n - 3, "/**");
		if (r->below)
			r->path[n - 3] = '\0';
		r->access = ll_access(letters);
		n_denies++;
	}
	fclose(f);
	ruleset = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0 || walk("/", true) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0))
		return -1;
	close(ruleset);
	return 0;
}

/* Enters AppArmor @profile at the next exec: of this program, without -A. */
static void apparmor(const char *profile, char **argv)
{
	static const char *const attrs[] = { "/proc/self/attr/apparmor/exec", "/proc/self/attr/exec" };
	char cmd[128];
	int n = snprintf(cmd, sizeof(cmd), "exec %s", profile);

	for (size_t i = 0; i < 2; i++) {
		int fd = open(attrs[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (write(fd, cmd, n) == n) {
			close(fd);
			execv("/proc/self/exe", argv);
		}
		close(fd);
	}
	perror("benchloop: entering the AppArmor profile");
	exit(1);
}

/* ---- start latency */

static int run(char **cmd, bool quiet)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (quiet) {
			int null = open("/dev/null", O_RDWR);

			dup2(null, 0);
			dup2(null, 1);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int spawn(long n, char **cmd)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int code = run(cmd, true);

		if (code) {
			fprintf(stderr, "benchloop: %s exited with %d\n", cmd[0], code);
			return 1;
		}
	}
	printf("spawn %.0f\n", (now_ns() - t0) / n);
	return 0;
}

/*
 * What conmon and containerd's shim do around a container that runs and
 * ends: create (the init held), start, wait for the init (this process is
 * its subreaper, as they are), delete.
 */
static int oci(long n, const char *runtime, const char *bundle)
{
	double t0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return 1;
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		char id[32], pidfile[64], buf[32] = "";
		char *create[] = { (char *)runtime, "create", "--bundle", (char *)bundle,
				   "--pid-file", pidfile, id, NULL };
		char *start[] = { (char *)runtime, "start", id, NULL };
		char *del[] = { (char *)runtime, "delete", id, NULL };
		int fd, status;
		pid_t init;

		snprintf(id, sizeof(id), "bench%d-%ld", getpid(), i);
		snprintf(pidfile, sizeof(pidfile), "/tmp/%s.pid", id);
		if (run(create, true)) {
			fprintf(stderr, "benchloop: %s create failed\n", runtime);
			return 1;
		}
		fd = open(pidfile, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
			return 1;
		close(fd);
		unlink(pidfile);
		init = atoi(buf);
		if (run(start, true) || waitpid(init, &status, 0) != init || status ||
		    run(del, true)) {
			fprintf(stderr, "benchloop: %s start, wait or delete failed\n", runtime);
			return 1;
		}
	}
	printf("oci %.0f\n", (now_ns() - t0) / n);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: benchloop [-t THREADS] [-e ERRNO] [-L RULES | -A PROFILE] open|openat|stat|socket|fork|exec N [PATH]\n"
		"       benchloop spawn N CMD... | oci N RUNTIME BUNDLE | nop\n");
	return 2;
}

int main(int argc, char **argv)
{
	pthread_t threads[16];
	int threads_n = 1, c, t, first;
	bool fine = true;
	double t0, ns;

	if (argc > 1 && !strcmp(argv[1], "nop"))
		return 0;
	if (argc > 3 && !strcmp(argv[1], "spawn"))
		return spawn(atol(argv[2]), argv + 3);
	if (argc == 5 && !strcmp(argv[1], "oci"))
		return oci(atol(argv[2]), argv[3], argv[4]);
	while ((c = getopt(argc, argv, "+t:e:L:A:")) != -1) {
		switch (c) {
		case 't':
			threads_n = atoi(optarg);
			break;
		case 'e':
			want_errno = atoi(optarg);
			break;
		case 'L':
			if (landlock(optarg)) {
				perror("benchloop: the Landlock ruleset");
				return 1;
			}
			break;
		case 'A':
			/* argv from -A's own on dropped: the profile is entered once. */
			memmove(&argv[optind - 2], &argv[optind], (argc - optind + 1) * sizeof(*argv));
			apparmor(optarg, argv);
			break;
		default:
			return usage();
		}
	}
	if (argc - optind < 2 || threads_n < 1 || threads_n > 16)
		return usage();
	op = argv[optind];
	iterations = atol(argv[optind + 1]);
	if (argc - optind > 2)
		path = argv[optind + 2];
	first = iterations > 0 ? once() : -2;
	if (first == -2)
		return usage();
	if (first != want_errno) {
		fprintf(stderr, "benchloop: %s %s: %s, not %s\n", op, path,
			first ? strerror(first) : "success",
			want_errno ? strerror(want_errno) : "success");
		return 1;
	}
	t0 = now_ns();
	for (t = 1; t < threads_n; t++)
		if (pthread_create(&threads[t], NULL, loop, &fine))
			return 1;
	loop(&fine);
	for (t = 1; t < threads_n; t++)
		pthread_join(threads[t], NULL);
	ns = now_ns() - t0;
	if (!fine)
		return 1;
	printf("%s %.0f\n", op, ns / ((double)iterations * threads_n));
	return 0;
}
