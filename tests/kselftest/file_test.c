// SPDX-License-Identifier: GPL-2.0
/*
 * File rules: every permission letter refused where a rule denies it and
 * allowed elsewhere, and no way around a rule by naming the file otherwise.
 *
 *   /tmp/ft/                          rules
 *   |-- denied/        (dir)          deny wa on all below (a `**` rule)
 *   |   |-- empty/     (dir)
 *   |   `-- file
 *   |-- ro                            deny /tmp/ft/ro r
 *   |-- noexec/
 *   |   `-- true       (a program)    deny /tmp/ft/noexec/true x
 *   |-- script         (#!/tmp/ft/noexec/true)
 *   |-- nomap                         deny /tmp/ft/nomap m
 *   |-- nolock                        deny /tmp/ft/nolock k
 *   |-- linkname       (absent)       deny /tmp/ft/linkname l
 *   |-- xonly/         (dir)
 *   |   `-- prog       (a program)    deny /tmp/ft/xonly/prog x
 *   |-- audited                       audit /tmp/ft/audited w
 *   |-- exact          (absent)       deny /tmp/ft/exact w
 *   |-- noread/
 *   |   `-- true       (a program)    deny /tmp/ft/noread/true r
 *   `-- allowed/       (dir)
 *       |-- a
 *       |-- b
 *       |-- true       (a program)
 *       `-- sl -> ../denied/file
 *   /tmp/fsock/                       UNIX sockets the test process listens on
 *   |-- denied.sock, denied.dgram     deny /tmp/fsock/denied.* w
 *   `-- ok.sock, ok.dgram
 */
#include <sched.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "common.h"
#include "lib/dfa.h"

#define W (BRIG_PERM_WRITE | BRIG_PERM_APPEND)

static const struct brig_file_rule rules[] = {
	{ "/tmp/ft/denied/**", W, 0 },
	{ "/tmp/ft/ro", BRIG_PERM_READ, 0 },
	{ "/tmp/ft/noexec/true", BRIG_PERM_EXEC, 0 },
	{ "/tmp/ft/nomap", BRIG_PERM_MMAP_EXEC, 0 },
	{ "/tmp/ft/nolock", BRIG_PERM_LOCK, 0 },
	{ "/tmp/ft/linkname", BRIG_PERM_LINK, 0 },
	{ "/tmp/ft/xonly/prog", BRIG_PERM_EXEC, 0 },
	{ "/tmp/ft/audited", 0, W },
	{ "/tmp/ft/exact", W, 0 },	/* a name, no glob: made by O_CREAT */
	{ "/tmp/ft/noread/true", BRIG_PERM_READ, 0 },
	{ "/tmp/fsock/denied.*", BRIG_PERM_WRITE, 0 },
};

static int fail(void)
{
	return -errno;
}

static int try_open(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Runs @path (or @fd with execveat) in a child; 0 if it ran. */
static int try_exec(const char *path, int fd)
{
	/* Every program here is busybox: argv[0] makes it `true`. */
	char *argv[] = { (char *)"true", NULL }, *envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (fd >= 0)
			syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		else
			execve(path, argv, envp);
		_exit(errno);
	}
	waitpid(pid, &status, 0);
	/* The program is /bin/true: exit 0 means it ran. */
	return WEXITSTATUS(status) ? -WEXITSTATUS(status) : 0;
}

static int try_mmap(const char *path, int prot, bool then_mprotect)
{
	int fd = open(path, O_RDONLY), ret = 0;
	void *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		ret = -errno;
	else if (then_mprotect && mprotect(p, 4096, PROT_READ | PROT_EXEC))
		ret = -errno;
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	return ret;
}

static int try_lock(const char *path)
{
	int fd = open(path, O_RDONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX))
		ret = -errno;
	close(fd);
	return ret;
}


/* A file's fd by /proc/self/fd, as a name to reopen or link. */
static void fd_name(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}


/* Opens @path O_PATH, unlinks it, then reopens it through /proc/self/fd. */
static int reopen_unlinked(const char *path, int flags)
{
	int fd = open(path, O_PATH), ret;
	char p[64];

	if (fd < 0)
		return -errno;
	if (unlink(path)) {
		ret = -errno;
		close(fd);
		return ret == -EACCES ? -ENOTRECOVERABLE : ret;
	}
	fd_name(fd, p, sizeof(p));
	ret = try_open(p, flags);
	close(fd);
	return ret;
}

/* Runs @path after unlinking it, by execveat(AT_EMPTY_PATH) on an O_PATH fd. */
static int exec_unlinked(const char *path)
{
	int fd = open(path, O_PATH), ret;

	if (fd < 0)
		return -errno;
	if (unlink(path))
		ret = -ENOTRECOVERABLE;
	else
		ret = try_exec(NULL, fd);
	close(fd);
	return ret;
}

static int mmap_unlinked(const char *path)
{
	int fd = open(path, O_RDONLY), ret = 0;
	void *p;

	if (fd < 0)
		return -errno;
	if (unlink(path)) {
		close(fd);
		return -ENOTRECOVERABLE;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		ret = -errno;
	else
		munmap(p, 4096);
	close(fd);
	return ret;
}

/* A memfd holding a copy of busybox. */
static int memfd_busybox(void)
{
	int in = open("/bin/busybox", O_RDONLY), fd;
	char buf[65536];
	ssize_t n;

	fd = syscall(SYS_memfd_create, "true", 0);
	if (in < 0 || fd < 0)
		return -EIO;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, n) != n)
			return -EIO;
	}
	close(in);
	return fd;
}

static int try_memfd_exec(void)
{
	int fd = memfd_busybox(), ret;

	if (fd < 0)
		return fd;
	ret = try_exec(NULL, fd);
	close(fd);
	return ret;
}

static int try_memfd_mmap_exec(void)
{
	int fd = memfd_busybox(), ret = 0;
	void *p;

	if (fd < 0)
		return fd;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		ret = -errno;
	else
		munmap(p, 4096);
	close(fd);
	return ret;
}

/* Writes and reads a memfd, reopened through /proc/self/fd: no rule names it. */
static int try_memfd_reopen(void)
{
	int fd = memfd_busybox(), ret;
	char p[64];

	if (fd < 0)
		return fd;
	fd_name(fd, p, sizeof(p));
	ret = try_open(p, O_RDWR);
	if (!ret && ftruncate(fd, 8192))
		ret = -errno;
	close(fd);
	return ret;
}

/* An O_TMPFILE file in @dir, given the name @to through /proc/self/fd. */
static int tmpfile_link(const char *dir, const char *to)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0644), ret = 0;
	char p[64];

	if (fd < 0)
		return -errno;
	fd_name(fd, p, sizeof(p));
	if (linkat(AT_FDCWD, p, AT_FDCWD, to, AT_SYMLINK_FOLLOW))
		ret = -errno;
	close(fd);
	return ret;
}

static int by_handle(const char *path, int flags)
{
	struct { struct file_handle h; unsigned char bytes[128]; } fh;
	int mount_id, mfd, fd;

	fh.h.handle_bytes = sizeof(fh.bytes);
	if (name_to_handle_at(AT_FDCWD, path, &fh.h, &mount_id, 0))
		return -errno;
	mfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	fd = open_by_handle_at(mfd, &fh.h, flags);
	close(mfd);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int unix_to(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0), ret = 0;

	if (fd < 0)
		return -errno;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	if (type == SOCK_STREAM) {
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
			ret = -errno;
	} else if (sendto(fd, "x", 1, 0, (struct sockaddr *)&sun, sizeof(sun)) != 1) {
		ret = -errno;
	}
	close(fd);
	return ret;
}


/*
 * /tmp/ft/allowed/deep/ddd.../ddd...: components of 250 bytes, made by the
 * test process, until the path is longer than PATH_MAX.
 */
#define DEEP_COMPONENTS 18

static void deep_name(char name[251])
{
	memset(name, 'd', 250);
	name[250] = '\0';
}

/* Enters the deepest directory one step at a time (chdir checks no rule). */
static int below_a_long_path(int (*fn)(void))
{
	char name[251];
	int i;

	deep_name(name);
	if (chdir("/tmp/ft/allowed/deep"))
		return -EIO;
	for (i = 0; i < DEEP_COMPONENTS; i++) {
		if (chdir(name))
			return -EIO;
	}
	return fn();
}

static void make_deep(void)
{
	char name[251];
	int fd, i;

	deep_name(name);
	mkdir("/tmp/ft/allowed/deep", 0755);
	fd = open("/tmp/ft/allowed/deep", O_RDONLY | O_DIRECTORY);
	for (i = 0; fd >= 0 && i < DEEP_COMPONENTS; i++) {
		int next;

		mkdirat(fd, name, 0755);
		next = openat(fd, name, O_RDONLY | O_DIRECTORY);
		close(fd);
		fd = next;
	}
	if (fd < 0)
		perror("make_deep");
	close(fd);
}

static int create_here(void)
{
	return try_open("f", O_WRONLY | O_CREAT);
}

static int read_here(void)
{
	return try_open(".", O_RDONLY | O_DIRECTORY);
}

/* The test process removes what below_a_long_path() made: rm -rf cannot. */
static void remove_deep(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	char sub[251];

	if (fd < 0) {
		unlinkat(dirfd, name, 0);
		return;
	}
	deep_name(sub);
	remove_deep(fd, sub);
	unlinkat(fd, "f", 0);
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

struct action {
	const char *what;
	int (*run)(void);
	int expect;	/* in enforce mode */
};

/* One action, run in the box; its expected result is in actions[]. */
#define ACT(name, ...) static int name(void) { __VA_ARGS__ }

ACT(read_denied, return try_open("/tmp/ft/ro", O_RDONLY);)
ACT(read_allowed, return try_open("/tmp/ft/allowed/a", O_RDONLY);)
ACT(write_denied, return try_open("/tmp/ft/denied/file", O_WRONLY);)
ACT(write_allowed, return try_open("/tmp/ft/allowed/a", O_WRONLY);)
ACT(read_where_write_denied, return try_open("/tmp/ft/denied/file", O_RDONLY);)
ACT(append_denied, return try_open("/tmp/ft/denied/file", O_WRONLY | O_APPEND);)
ACT(append_allowed, return try_open("/tmp/ft/allowed/a", O_WRONLY | O_APPEND);)
ACT(create_denied, return try_open("/tmp/ft/denied/new", O_WRONLY | O_CREAT);)
ACT(create_allowed, return try_open("/tmp/ft/allowed/new", O_WRONLY | O_CREAT);)
ACT(create_exact_denied, return try_open("/tmp/ft/exact", O_WRONLY | O_CREAT);)
ACT(mkdir_denied, return mkdir("/tmp/ft/denied/d", 0755) ? fail() : 0;)
ACT(mknod_denied, return mkfifo("/tmp/ft/denied/fifo", 0644) ? fail() : 0;)
ACT(unlink_denied, return unlink("/tmp/ft/denied/file") ? fail() : 0;)
ACT(rmdir_denied, return rmdir("/tmp/ft/denied/empty") ? fail() : 0;)
ACT(rename_into_denied, return rename("/tmp/ft/allowed/a", "/tmp/ft/denied/a") ? fail() : 0;)
ACT(rename_out_of_denied, return rename("/tmp/ft/denied/file", "/tmp/ft/allowed/f") ? fail() : 0;)
ACT(rename_covered_file, return rename("/tmp/ft/noexec/true", "/tmp/ft/allowed/exe") ? fail() : 0;)
ACT(rename_dir_above_rule, return rename("/tmp/ft/xonly", "/tmp/ft/free") ? fail() : 0;)
ACT(symlink_denied, return symlink("x", "/tmp/ft/denied/link") ? fail() : 0;)
ACT(truncate_denied, return truncate("/tmp/ft/denied/file", 0) ? fail() : 0;)
ACT(chmod_denied, return chmod("/tmp/ft/denied/file", 0600) ? fail() : 0;)
ACT(chown_denied, return chown("/tmp/ft/denied/file", 0, 0) ? fail() : 0;)
ACT(utimes_denied, return utimes("/tmp/ft/denied/file", NULL) ? fail() : 0;)
ACT(utimes_allowed, return utimes("/tmp/ft/allowed/a", NULL) ? fail() : 0;)
ACT(link_to_covered_file, return link("/tmp/ft/noexec/true", "/tmp/ft/allowed/hl") ? fail() : 0;)
ACT(link_at_denied_name, return link("/tmp/ft/allowed/a", "/tmp/ft/linkname") ? fail() : 0;)
ACT(link_allowed, return link("/tmp/ft/allowed/a", "/tmp/ft/allowed/a2") ? fail() : 0;)
ACT(lock_denied, return try_lock("/tmp/ft/nolock");)
ACT(lock_allowed, return try_lock("/tmp/ft/allowed/a");)
ACT(mmap_exec_denied, return try_mmap("/tmp/ft/nomap", PROT_READ | PROT_EXEC, false);)
ACT(mmap_read_allowed, return try_mmap("/tmp/ft/nomap", PROT_READ, false);)
ACT(mmap_exec_allowed, return try_mmap("/tmp/ft/allowed/a", PROT_READ | PROT_EXEC, false);)
ACT(mprotect_exec_denied, return try_mmap("/tmp/ft/nomap", PROT_READ, true);)
ACT(exec_denied, return try_exec("/tmp/ft/noexec/true", -1);)
ACT(exec_allowed, return try_exec("/tmp/ft/allowed/true", -1);)
ACT(exec_as_interpreter_denied, return try_exec("/tmp/ft/script", -1);)
ACT(audit_allows, return try_open("/tmp/ft/audited", O_WRONLY);)
/* Bypasses: other names for the same file. */
ACT(relative_path,
    if (chdir("/tmp/ft/denied")) return fail();
    return try_open("file", O_WRONLY);)
ACT(dotdot_path, return try_open("/tmp/ft/allowed/../denied/file", O_WRONLY);)
ACT(through_symlink, return try_open("/tmp/ft/allowed/sl", O_WRONLY);)
ACT(proc_self_fd_reopen,
    char p[64]; int fd = open("/tmp/ft/denied/file", O_RDONLY), ret;
    if (fd < 0) return fail();
    snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
    ret = try_open(p, O_WRONLY); close(fd); return ret;)
ACT(o_path_openat,
    int dfd = open("/tmp/ft/denied", O_PATH), fd;
    if (dfd < 0) return fail();
    fd = openat(dfd, "file", O_WRONLY); close(dfd);
    if (fd < 0) return fail();
    close(fd); return 0;)
ACT(openat2,
    struct { uint64_t flags, mode, resolve; } how = { O_WRONLY, 0, 0 };
    long fd = syscall(437 /* openat2 */, AT_FDCWD, "/tmp/ft/denied/file", &how, sizeof(how));
    if (fd < 0) return fail();
    close(fd); return 0;)
ACT(execveat_o_path,
    int fd = open("/tmp/ft/noexec/true", O_PATH), ret;
    if (fd < 0) return fail();
    ret = try_exec(NULL, fd); close(fd); return ret;)
ACT(chroot_refused, return chroot("/tmp/ft/allowed") ? fail() : 0;)
/* An fd handed in, open for writing on a denied path: ftruncate is w too. */
ACT(ftruncate_denied, return ftruncate(BRIG_BOX_FD_KEEP, 0) ? fail() : 0;)

/* Names that move. */
ACT(exchange_file_with_denied_dir,
    return brig_rename2("/tmp/ft/allowed/a", "/tmp/ft/denied", RENAME_EXCHANGE);)
ACT(exchange_denied_dir_with_file,
    return brig_rename2("/tmp/ft/denied", "/tmp/ft/allowed/a", RENAME_EXCHANGE);)
ACT(exchange_file_with_covered_file,
    return brig_rename2("/tmp/ft/allowed/true", "/tmp/ft/noexec/true", RENAME_EXCHANGE);)
ACT(exchange_into_denied_dir,
    return brig_rename2("/tmp/ft/allowed/a", "/tmp/ft/denied/file", RENAME_EXCHANGE);)
ACT(exchange_dir_above_rule,
    return brig_rename2("/tmp/ft/allowed", "/tmp/ft/xonly", RENAME_EXCHANGE);)
ACT(exchange_allowed, return brig_rename2("/tmp/ft/allowed/a", "/tmp/ft/allowed/b", RENAME_EXCHANGE);)
ACT(whiteout_denied, return brig_rename2("/tmp/ft/denied/file", "/tmp/ft/allowed/w", RENAME_WHITEOUT);)
ACT(whiteout_allowed, return brig_rename2("/tmp/ft/allowed/a", "/tmp/ft/allowed/w", RENAME_WHITEOUT);)
ACT(link_at_write_denied_name, return link("/tmp/ft/allowed/a", "/tmp/ft/exact") ? fail() : 0;)
ACT(tmpfile_linked_at_denied_name, return tmpfile_link("/tmp/ft/allowed", "/tmp/ft/exact");)
ACT(tmpfile_linked_allowed, return tmpfile_link("/tmp/ft/allowed", "/tmp/ft/allowed/t");)
ACT(tmpfile_in_denied_dir, return try_open("/tmp/ft/denied", O_TMPFILE | O_WRONLY);)
/* Names that do not resolve. */
ACT(reopen_unlinked_denied, return reopen_unlinked("/tmp/ft/ro", O_RDONLY);)
ACT(reopen_unlinked_allowed, return reopen_unlinked("/tmp/ft/allowed/a", O_RDONLY);)
ACT(execveat_unlinked_denied, return exec_unlinked("/tmp/ft/noexec/true");)
ACT(execveat_unlinked_allowed, return exec_unlinked("/tmp/ft/allowed/true");)
ACT(mmap_unlinked_denied, return mmap_unlinked("/tmp/ft/nomap");)
ACT(memfd_execveat, return try_memfd_exec();)
ACT(memfd_mmap_exec, return try_memfd_mmap_exec();)
ACT(memfd_reopen_read_write, return try_memfd_reopen();)
ACT(open_by_handle_denied, return by_handle("/tmp/ft/ro", O_RDONLY);)
ACT(open_by_handle_allowed, return by_handle("/tmp/ft/allowed/a", O_RDONLY);)
/* Operations that open nothing. */
ACT(unix_connect_denied, return unix_to("/tmp/fsock/denied.sock", SOCK_STREAM);)
ACT(unix_connect_allowed, return unix_to("/tmp/fsock/ok.sock", SOCK_STREAM);)
ACT(unix_sendto_denied, return unix_to("/tmp/fsock/denied.dgram", SOCK_DGRAM);)
ACT(unix_sendto_allowed, return unix_to("/tmp/fsock/ok.dgram", SOCK_DGRAM);)
ACT(setxattr_denied,
    return setxattr("/tmp/ft/denied/file", "trusted.brig", "1", 1, 0) ? fail() : 0;)
/* Named in the working directory's mount, or an open file's. */
ACT(setxattr_allowed,
    if (chdir("/tmp/ft/allowed")) return fail();
    return setxattr("a", "trusted.brig", "1", 1, 0) ? fail() : 0;)
ACT(fsetxattr_allowed,
    int fd = open("/tmp/ft/allowed/a", O_RDONLY), ret;
    if (fd < 0) return fail();
    ret = fsetxattr(fd, "trusted.brig", "1", 1, 0) ? -errno : 0;
    close(fd); return ret;)
/* /tmp is not the box's root mount: no name can be trusted, every w rule applies. */
ACT(setxattr_unknown_mount,
    return setxattr("/tmp/ft/allowed/a", "trusted.brig", "1", 1, 0) ? fail() : 0;)
ACT(fsetxattr_denied,
    return fsetxattr(BRIG_BOX_FD_KEEP, "trusted.brig", "1", 1, 0) ? fail() : 0;)
ACT(removexattr_denied,
    return removexattr("/tmp/ft/denied/file", "trusted.brig") ? fail() : 0;)
ACT(setflags_denied, return brig_set_flags("/tmp/ft/denied/file");)
ACT(setflags_allowed, return brig_set_flags("/tmp/ft/allowed/a");)
/* Names longer than PATH_MAX: no name, every rule's letters (w and r here). */
ACT(create_below_a_too_long_path, return below_a_long_path(create_here);)
ACT(read_below_a_too_long_path, return below_a_long_path(read_here);)
ACT(exec_where_read_denied, return try_exec("/tmp/ft/noread/true", -1);)
ACT(read_where_read_denied, return try_open("/tmp/ft/noread/true", O_RDONLY);)

static const struct action actions[] = {
#define A(name, expect) { #name, name, expect }
	A(read_denied, -EACCES), A(read_allowed, 0), A(write_denied, -EACCES),
	A(write_allowed, 0), A(read_where_write_denied, 0),
	A(append_denied, -EACCES), A(append_allowed, 0), A(create_denied, -EACCES),
	A(create_allowed, 0), A(create_exact_denied, -EACCES), A(mkdir_denied, -EACCES),
	A(mknod_denied, -EACCES), A(unlink_denied, -EACCES),
	A(rmdir_denied, -EACCES), A(rename_into_denied, -EACCES),
	A(rename_out_of_denied, -EACCES), A(rename_covered_file, -EACCES),
	A(rename_dir_above_rule, -EACCES), A(symlink_denied, -EACCES),
	A(truncate_denied, -EACCES), A(chmod_denied, -EACCES),
	A(chown_denied, -EACCES), A(utimes_denied, -EACCES),
	A(utimes_allowed, 0), A(link_to_covered_file, -EACCES),
	A(link_at_denied_name, -EACCES), A(link_allowed, 0),
	A(lock_denied, -EACCES), A(lock_allowed, 0),
	A(mmap_exec_denied, -EACCES), A(mmap_read_allowed, 0),
	A(mmap_exec_allowed, 0),
	A(mprotect_exec_denied, -EACCES), A(exec_denied, -EACCES),
	A(exec_allowed, 0), A(exec_as_interpreter_denied, -EACCES),
	A(audit_allows, 0), A(relative_path, -EACCES), A(dotdot_path, -EACCES),
	A(through_symlink, -EACCES), A(proc_self_fd_reopen, -EACCES),
	A(o_path_openat, -EACCES), A(openat2, -EACCES),
	A(execveat_o_path, -EACCES), A(chroot_refused, -EPERM),
	A(ftruncate_denied, -EACCES),
	A(exchange_file_with_denied_dir, -EACCES), A(exchange_denied_dir_with_file, -EACCES),
	A(exchange_file_with_covered_file, -EACCES), A(exchange_into_denied_dir, -EACCES),
	A(exchange_dir_above_rule, -EACCES), A(exchange_allowed, 0),
	A(whiteout_denied, -EACCES), A(whiteout_allowed, 0),
	A(link_at_write_denied_name, -EACCES), A(tmpfile_linked_at_denied_name, -EACCES),
	A(tmpfile_linked_allowed, 0), A(tmpfile_in_denied_dir, -EACCES),
	A(reopen_unlinked_denied, -EACCES), A(reopen_unlinked_allowed, 0),
	A(execveat_unlinked_denied, -EACCES), A(execveat_unlinked_allowed, 0),
	A(mmap_unlinked_denied, -EACCES), A(memfd_execveat, -EACCES),
	A(memfd_mmap_exec, -EACCES), A(memfd_reopen_read_write, 0),
	A(open_by_handle_denied, -EACCES), A(open_by_handle_allowed, 0),
	A(unix_connect_denied, -EACCES), A(unix_connect_allowed, 0),
	A(unix_sendto_denied, -EACCES), A(unix_sendto_allowed, 0),
	A(setxattr_denied, -EACCES), A(setxattr_allowed, 0), A(fsetxattr_allowed, 0),
	A(setxattr_unknown_mount, -EACCES), A(fsetxattr_denied, -EACCES),
	A(removexattr_denied, -EACCES), A(setflags_denied, -EACCES), A(setflags_allowed, 0),
	A(create_below_a_too_long_path, -EACCES), A(read_below_a_too_long_path, -EACCES),
	A(exec_where_read_denied, 0), A(read_where_read_denied, -EACCES),
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* The command byte of the action named @what. */
static char action(const char *what)
{
	size_t i;

	for (i = 0; i < N_ACTIONS; i++) {
		if (!strcmp(actions[i].what, what))
			return (char)i;
	}
	abort();
}

static int box_file(int cmd, void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	if ((unsigned int)cmd >= N_ACTIONS)
		return -EINVAL;
	/* In a child: an action may chdir or chroot. */
	pid = fork();
	if (pid == 0)
		_exit(-actions[cmd].run());
	waitpid(pid, &status, 0);
	return -WEXITSTATUS(status);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0 && write(fd, text, strlen(text)) < 0)
		perror(path);
	close(fd);
}

/* The tree in the comment at the top; /bin/true is busybox. */
static void make_tree(void)
{
	int fd = open("/tmp/ft/allowed", O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		remove_deep(fd, "deep");
		close(fd);
	}
	if (system("rm -rf /tmp/ft /tmp/free"))
		perror("rm");
	mkdir("/tmp/ft", 0755);
	mkdir("/tmp/ft/denied", 0755);
	mkdir("/tmp/ft/denied/empty", 0755);
	mkdir("/tmp/ft/allowed", 0755);
	mkdir("/tmp/ft/xonly", 0755);
	write_text("/tmp/ft/denied/file", "x", 0644);
	write_text("/tmp/ft/ro", "x", 0644);
	write_text("/tmp/ft/nomap", "x", 0644);
	write_text("/tmp/ft/nolock", "x", 0644);
	write_text("/tmp/ft/audited", "x", 0644);
	write_text("/tmp/ft/allowed/a", "x", 0644);
	write_text("/tmp/ft/allowed/b", "x", 0644);
	mkdir("/tmp/ft/noread", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/noread/true", 0755);
	mkdir("/tmp/ft/noexec", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/noexec/true", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/xonly/prog", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/allowed/true", 0755);
	write_text("/tmp/ft/script", "#!/tmp/ft/noexec/true\n", 0755);
	if (symlink("../denied/file", "/tmp/ft/allowed/sl"))
		perror("symlink");
	make_deep();
	/* So that removing it is refused by the rule, not by its absence. */
	if (setxattr("/tmp/ft/denied/file", "trusted.brig", "1", 1, 0))
		perror("setxattr");
}

static const char *const socket_names[] = {
	"/tmp/fsock/denied.sock", "/tmp/fsock/ok.sock",
	"/tmp/fsock/denied.dgram", "/tmp/fsock/ok.dgram",
};
#define N_SOCKETS (sizeof(socket_names) / sizeof(socket_names[0]))

/* The sockets of /tmp/fsock, bound and listening in the test process. */
static int bind_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int type = strstr(path, ".sock") ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    (type == SOCK_STREAM && listen(fd, 64)))
		return -1;
	return fd;
}

FIXTURE(file) {
	struct brig_nl *nl;
	struct brig_nl *listener;
	struct brig_box box;
	int sockets[N_SOCKETS];
};

FIXTURE_VARIANT(file) {
	uint32_t mode;
};

FIXTURE_VARIANT_ADD(file, enforce) {
	.mode = BRIG_MODE_ENFORCE,
};

FIXTURE_VARIANT_ADD(file, complain) {
	.mode = BRIG_MODE_COMPLAIN,
};

FIXTURE_SETUP(file)
{
	struct brig_policy_spec policy = {
		.caps = BRIG_ALL_CAPS, .mode = variant->mode,
		/* Every capability voids file rules (docs/policy-language.md): a test insists. */
		.unsafe_caps = true,
	};
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;
	size_t i;

	make_tree();
	mkdir("/tmp/fsock", 0755);
	for (i = 0; i < N_SOCKETS; i++) {
		self->sockets[i] = bind_unix(socket_names[i]);
		ASSERT_LE(0, self->sockets[i]) TH_LOG("%s", socket_names[i]);
	}
	ASSERT_BRIG_OK(brig_dfa_compile(rules, sizeof(rules) / sizeof(rules[0]),
					&dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	self->listener = brig_open(_metadata);
	ASSERT_NE(NULL, self->listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(self->listener, &err), err);
	/* Opened before the container exists, handed to it. */
	ASSERT_EQ(BRIG_BOX_FD_KEEP,
		  dup2(open("/tmp/ft/denied/file", O_WRONLY), BRIG_BOX_FD_KEEP));
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "files", &policy,
				      box_file, NULL, 0, &err), err);
	close(BRIG_BOX_FD_KEEP);
	free(blob);
}

FIXTURE_TEARDOWN(file)
{
	size_t i;

	for (i = 0; i < N_SOCKETS; i++)
		close(self->sockets[i]);
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->listener);
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F_TIMEOUT(file, each_letter_and_each_bypass, 1200)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	uint64_t refused = 0;
	size_t i;

	for (i = 0; i < N_ACTIONS; i++) {
		int want = variant->mode == BRIG_MODE_COMPLAIN ? 0 : actions[i].expect;

		/* Each action on a fresh tree: earlier ones may have changed it. */
		make_tree();
		EXPECT_EQ(want, brig_box_do(&self->box, (char)i))
			TH_LOG("%s", actions[i].what);
		refused += actions[i].expect != 0;
	}
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_LE(refused, info.denials[BRIG_KIND_FILE]);
}

TEST_F(file, a_refused_create_leaves_no_file)
{
	struct stat st;

	make_tree();
	brig_box_do(&self->box, action("create_denied"));
	brig_box_do(&self->box, action("create_exact_denied"));
	if (variant->mode == BRIG_MODE_ENFORCE) {
		EXPECT_EQ(-1, stat("/tmp/ft/denied/new", &st));
		EXPECT_EQ(-1, stat("/tmp/ft/exact", &st));
	}
}

/* A file being made is named from its directory, not as a deleted file. */
TEST_F(file, a_refused_create_is_reported_by_its_name)
{
	struct brig_event_info ev;

	make_tree();
	brig_box_do(&self->box, action("create_exact_denied"));
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id,
					BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("/tmp/ft/exact", ev.path);
	EXPECT_EQ(BRIG_PERM_WRITE, ev.denied);
}

/* A refused open: an event with the path and the letters. */
TEST_F(file, denials_are_reported_with_path_and_letters)
{
	struct brig_event_info ev;

	make_tree();
	brig_box_do(&self->box, action("append_denied"));	/* O_WRONLY | O_APPEND */
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id,
					BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("/tmp/ft/denied/file", ev.path);
	EXPECT_EQ(BRIG_PERM_APPEND, ev.requested);
	EXPECT_EQ(BRIG_PERM_APPEND, ev.denied);
	EXPECT_EQ(variant->mode == BRIG_MODE_COMPLAIN ? BRIG_VERDICT_ALLOWED :
		  BRIG_VERDICT_DENIED, ev.verdict);
	EXPECT_STREQ("files", ev.name);
}

/* An audit rule's hit: allowed, and reported as AUDIT with the letters. */
TEST_F(file, audit_hits_are_reported)
{
	struct brig_event_info ev;

	make_tree();
	EXPECT_EQ(0, brig_box_do(&self->box, action("audit_allows")));
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id,
					BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("/tmp/ft/audited", ev.path);
	EXPECT_EQ(BRIG_VERDICT_AUDIT, ev.verdict);
	EXPECT_EQ(BRIG_PERM_WRITE, ev.requested);
	EXPECT_EQ(BRIG_PERM_WRITE, ev.denied);	/* for AUDIT: what was audited */
}

/*
 * Policy changes on a running container.
 *
 *   /tmp/jail/          the box chroots here while its policy has no file rules
 *   |-- secret          deny /tmp/jail/secret r   (the container's name)
 *   |-- log             opened for writing before deny /tmp/jail/log w
 *   `-- free
 */
static int box_reroot(int cmd, void *arg)
{
	static int log_fd = -1;

	(void)arg;
	switch (cmd) {
	case 'c':	/* in the box's init itself: the change of root stays */
		return chroot("/tmp/jail") || chdir("/") ? -errno : 0;
	case 'l':
		log_fd = open("/log", O_WRONLY | O_APPEND);
		return log_fd < 0 ? -errno : 0;
	case 's':
		return try_open("/secret", O_RDONLY);
	case 'f':
		return try_open("/free", O_RDONLY);
	case 'w':	/* through the fd opened before the rule */
		return write(log_fd, "x", 1) == 1 ? 0 : -errno;
	case 'W':	/* a new open, after it */
		return try_open("/log", O_WRONLY | O_APPEND);
	}
	return -EINVAL;
}

static void set_rules(struct __test_metadata *const _metadata, struct brig_nl *nl,
		      uint32_t id, const struct brig_file_rule *r, size_t n)
{
	/* Every capability, as the box has: the test says it knows. */
	struct brig_policy_spec policy = { .caps = BRIG_ALL_CAPS, .unsafe_caps = true };
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;

	ASSERT_BRIG_OK(brig_dfa_compile(r, n, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_BRIG_OK(brig_nl_set_policy(nl, id, NULL, &policy, &err), err);
	free(blob);
}

FIXTURE(reroot) {
	struct brig_nl *nl;
	struct brig_box box;
};

FIXTURE_SETUP(reroot)
{
	struct brig_policy_spec policy = { .caps = BRIG_ALL_CAPS };
	struct brig_error *err = NULL;

	ASSERT_EQ(0, system("rm -rf /tmp/jail && mkdir -p /tmp/jail && "
			    "echo s > /tmp/jail/secret && echo l > /tmp/jail/log && "
			    "echo f > /tmp/jail/free"));
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "reroot", &policy,
				      box_reroot, NULL, 0, &err), err);
	/* No file rules yet: a change of root is allowed. */
	ASSERT_EQ(0, brig_box_do(&self->box, 'c'));
	ASSERT_EQ(0, brig_box_do(&self->box, 'l'));
}

FIXTURE_TEARDOWN(reroot)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Rules added after the chroot still match the names from the container's root. */
TEST_F(reroot, rules_match_container_root_names_after_a_chroot)
{
	static const struct brig_file_rule r[] = {
		{ "/tmp/jail/secret", BRIG_PERM_READ, 0 },
	};

	ASSERT_EQ(0, brig_box_do(&self->box, 's'));
	set_rules(_metadata, self->nl, self->box.id, r, 1);
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'f'));
}

/*
 * brigctl events' `action: enforce`: a complain-mode container switched to
 * enforce by BRIG_A_MODE alone keeps every rule of its policy, and back.
 */
TEST_F(reroot, a_mode_switch_keeps_the_rules)
{
	static const struct brig_file_rule r[] = {
		{ "/tmp/jail/secret", BRIG_PERM_READ, 0 },
	};
	struct brig_policy_spec policy = {
		.caps = BRIG_ALL_CAPS, .unsafe_caps = true, .mode = BRIG_MODE_COMPLAIN,
		.pids_max = 50, .n_socket_rules = 1,
		.socket_rules = { { AF_PACKET, 0 } },
	};
	struct brig_container_info before, after;
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;

	ASSERT_BRIG_OK(brig_dfa_compile(r, 1, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL, &policy, &err), err);
	free(blob);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &before, &err), err);
	ASSERT_EQ(BRIG_MODE_COMPLAIN, before.policy.mode);
	EXPECT_EQ(0, brig_box_do(&self->box, 's'));

	ASSERT_BRIG_OK(brig_nl_set_mode(self->nl, self->box.id, NULL, BRIG_MODE_ENFORCE, &err),
		       err);
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'f'));
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &after, &err), err);
	EXPECT_EQ(BRIG_MODE_ENFORCE, after.policy.mode);
	EXPECT_EQ(before.policy.caps, after.policy.caps);
	EXPECT_EQ(50, after.policy.pids_max);
	EXPECT_EQ(before.policy.flags, after.policy.flags);
	EXPECT_EQ(1, after.policy.n_socket_rules);
	EXPECT_EQ(before.policy.n_devices, after.policy.n_devices);
	EXPECT_NE(0, after.policy.dfa_states);
	EXPECT_EQ(before.policy.dfa_states, after.policy.dfa_states);
	EXPECT_EQ(before.policy.dfa_bytes, after.policy.dfa_bytes);

	/* Twice the same: nothing changes; then back to complain. */
	ASSERT_BRIG_OK(brig_nl_set_mode(self->nl, self->box.id, NULL, BRIG_MODE_ENFORCE, &err),
		       err);
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	ASSERT_BRIG_OK(brig_nl_set_mode(self->nl, 0, "reroot", BRIG_MODE_COMPLAIN, &err), err);
	EXPECT_EQ(0, brig_box_do(&self->box, 's'));
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &after, &err), err);
	EXPECT_EQ(before.policy.dfa_bytes, after.policy.dfa_bytes);
}

/* ... and never the names as the chrooted task sees them: no rule names /secret. */
TEST_F(reroot, names_from_the_new_root_match_nothing)
{
	static const struct brig_file_rule r[] = {
		{ "/secret", BRIG_PERM_READ, 0 },
	};

	set_rules(_metadata, self->nl, self->box.id, r, 1);
	EXPECT_EQ(0, brig_box_do(&self->box, 's'));
}

/*
 * An fd opened before a rule keeps the access it was opened with (as in
 * Landlock; AppArmor revalidates): docs/abi.md says so. New opens are refused.
 */
TEST_F(reroot, an_fd_opened_before_a_rule_is_not_checked_again)
{
	static const struct brig_file_rule r[] = {
		{ "/tmp/jail/log", BRIG_PERM_WRITE | BRIG_PERM_APPEND, 0 },
	};

	set_rules(_metadata, self->nl, self->box.id, r, 1);
	EXPECT_EQ(0, brig_box_do(&self->box, 'w'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'W'));
}

/*
 * Names in the container's root mount, which brig.ko reads through the
 * rules without building them (name.c's quick path) unless they matter:
 * every shape of name, each refused where its rule says.
 *
 *   /tmp/qp/            the box's root: a bind mount of it, chrooted to
 *   |-- d1/d2/secret    deny /d1/d2/secret r     (and /d1/d2/ r: the directory)
 *   |-- d1/d2/free
 *   |-- q/q/.../deep    denied r below /q (a ** rule), at 62 to 67 components
 *   |-- audited         audit /audited r
 *   |-- keep/x          deny w below /keep      (renamed out: refused)
 *   `-- gone            deny /gone w             (unlinked, open, then fchmod)
 *   and deny / r, /made w, /madedir/ w, /d1/sub/ w for what is made
 */
#define QP "/tmp/qp"
#define QP_DEEP_MIN 62

static const struct brig_file_rule qp_rules[] = {
	{ "/", BRIG_PERM_READ, 0 },
	{ "/made", W, 0 },
	{ "/madedir/", W, 0 },
	{ "/d1/d2/secret", BRIG_PERM_READ, 0 },
	{ "/d1/d2/", BRIG_PERM_READ, 0 },
	{ "/d1/sub/", W, 0 },
	{ "/q/**/deep", BRIG_PERM_READ, 0 },
	{ "/audited", 0, BRIG_PERM_READ },
	{ "/keep/**", W, 0 },
	{ "/gone", W, 0 },
};

/* "/q/q/.../deep", @depth components in all. */
static void qp_deep(char *path, size_t len, int depth, const char *root)
{
	size_t at = snprintf(path, len, "%s", root);

	while (--depth > 0 && at + 2 < len)
		at += snprintf(path + at, len - at, "/q");
	snprintf(path + at, len - at, "/deep");
}

static int box_rootmount_setup(void *arg)
{
	(void)arg;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(QP, QP, NULL, MS_BIND, NULL) || chroot(QP) || chdir("/"))
		return -errno;
	return 0;
}

static int box_rootmount(int cmd, void *arg)
{
	static int gone_fd = -1;
	char path[512];

	(void)arg;
	if (cmd >= '0' && cmd <= '9') {
		qp_deep(path, sizeof(path), QP_DEEP_MIN + cmd - '0', "");
		return try_open(path, O_RDONLY);
	}
	switch (cmd) {
	case 'r':
		return try_open("/", O_RDONLY | O_DIRECTORY);
	case 'm':
		return try_open("/made", O_WRONLY | O_CREAT | O_EXCL);
	case 'M':
		return mkdir("/madedir", 0755) ? -errno : 0;
	case 'o':	/* made and removed at the root: allowed */
		return mkdir("/okdir", 0755) || rmdir("/okdir") ? -errno : 0;
	case 's':
		return try_open("/d1/d2/secret", O_RDONLY);
	case 'f':
		return try_open("/d1/d2/free", O_RDONLY);
	case 'D':
		return try_open("/d1/d2", O_RDONLY | O_DIRECTORY);
	case 'S':
		return mkdir("/d1/sub", 0755) ? -errno : 0;
	case 'a':
		return try_open("/audited", O_RDONLY);
	case 'n':
		return rename("/keep/x", "/x") ? -errno : 0;
	case 'U':	/* before the rules: held open, then unlinked */
		gone_fd = open("/gone", O_RDONLY);
		return gone_fd < 0 || unlink("/gone") ? -errno : 0;
	case 'u':
		return fchmod(gone_fd, 0600) ? -errno : 0;
	}
	return -EINVAL;
}

FIXTURE(rootmount) {
	struct brig_nl *nl, *listener;
	struct brig_box box;
};

FIXTURE_SETUP(rootmount)
{
	struct brig_policy_spec policy = { .caps = BRIG_ALL_CAPS };
	struct brig_error *err = NULL;
	char path[512], cmd[600];
	int depth;

	ASSERT_EQ(0, system("rm -rf " QP " && mkdir -p " QP "/d1/d2 " QP "/keep && "
			    "echo s > " QP "/d1/d2/secret && echo f > " QP "/d1/d2/free && "
			    "echo a > " QP "/audited && echo x > " QP "/keep/x && echo g > " QP "/gone"));
	for (depth = QP_DEEP_MIN; depth <= QP_DEEP_MIN + 5; depth++) {
		qp_deep(path, sizeof(path), depth, QP);
		*strrchr(path, '/') = '\0';
		snprintf(cmd, sizeof(cmd), "mkdir -p %s", path);
		ASSERT_EQ(0, system(cmd));
		qp_deep(path, sizeof(path), depth, QP);
		ASSERT_EQ(0, try_open(path, O_WRONLY | O_CREAT));
	}
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	self->listener = brig_open(_metadata);
	ASSERT_NE(NULL, self->listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(self->listener, &err), err);
	ASSERT_BRIG_OK(brig_box_start_setup(self->nl, &self->box, "rootmount", &policy,
					    box_rootmount_setup, NULL, box_rootmount, NULL,
					    CLONE_NEWNS, &err), err);
	ASSERT_EQ(0, brig_box_do(&self->box, 'U'));
	set_rules(_metadata, self->nl, self->box.id, qp_rules,
		  sizeof(qp_rules) / sizeof(qp_rules[0]));
}

FIXTURE_TEARDOWN(rootmount)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->listener);
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F(rootmount, every_shape_of_name_meets_its_rule)
{
	struct stat st;

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'r'));	/* "/" */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'm'));	/* "/made": a child of the root */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'M'));	/* "/madedir/" */
	EXPECT_EQ(0, brig_box_do(&self->box, 'o'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'f'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'D'));	/* "/d1/d2/" */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'S'));	/* "/d1/sub/" */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'n'));	/* out of /keep/ */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'u'));	/* unlinked: by the name it had */
	EXPECT_EQ(-1, stat(QP "/made", &st));
	EXPECT_EQ(-1, stat(QP "/madedir", &st));
	EXPECT_EQ(0, stat(QP "/keep/x", &st));
}

/* Below and past the depth the quick path reads (BRIG_QUICK_DEPTH_MAX, 64). */
TEST_F(rootmount, deep_names_meet_their_rule_at_every_depth)
{
	char cmd;

	for (cmd = '0'; cmd <= '5'; cmd++) {
		EXPECT_EQ(-EACCES, brig_box_do(&self->box, cmd))
			TH_LOG("%d components", QP_DEEP_MIN + cmd - '0');
	}
}

/* What is refused or audited is reported by its full name. */
TEST_F(rootmount, refusals_and_audit_hits_are_named)
{
	struct brig_event_info ev;

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id, BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("/d1/d2/secret", ev.path);
	EXPECT_EQ(0, brig_box_do(&self->box, 'a'));
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id, BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("/audited", ev.path);
	EXPECT_EQ(BRIG_VERDICT_AUDIT, ev.verdict);
}

TEST_HARNESS_MAIN
