// SPDX-License-Identifier: GPL-2.0
/*
 * benchloop: times one operation in a loop and prints "OP NS" (nanoseconds
 * per operation, by the guest's clock; under QEMU's -icount that clock counts
 * instructions). Static, so that it runs inside any container root.
 *
 *   benchloop open|stat|getppid|fork|socket ITERATIONS [PATH]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int once(const char *op, const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(op, "open")) {
		fd = open(path, O_RDONLY);
		return fd < 0 ? -1 : close(fd);
	}
	if (!strcmp(op, "stat"))
		return stat(path, &st);
	if (!strcmp(op, "getppid"))
		return getppid() > 0 ? 0 : -1;
	if (!strcmp(op, "socket")) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		return fd < 0 ? -1 : close(fd);
	}
	if (!strcmp(op, "fork")) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		return pid < 0 ? -1 : waitpid(pid, NULL, 0) == pid ? 0 : -1;
	}
	return -2;
}

int main(int argc, char **argv)
{
	const char *path = argc > 3 ? argv[3] : "/etc/passwd";
	struct timespec a, b;
	long i, n = argc > 2 ? atol(argv[2]) : 0;
	double ns;

	if (argc < 3 || n <= 0 || once(argv[1], path) == -2) {
		fprintf(stderr, "usage: benchloop open|stat|getppid|fork|socket ITERATIONS [PATH]\n");
		return 2;
	}
	if (once(argv[1], path)) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		if (once(argv[1], path))
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%s %.0f\n", argv[1], ns / n);
	return 0;
}
