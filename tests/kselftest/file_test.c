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
 *   `-- allowed/       (dir)
 *       |-- a
 *       `-- sl -> ../denied/file
 */
#include <sched.h>
#include <sys/file.h>
#include <sys/mman.h>
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
	mkdir("/tmp/ft/noexec", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/noexec/true", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/xonly/prog", 0755);
	brig_copy_file("/bin/busybox", "/tmp/ft/allowed/true", 0755);
	write_text("/tmp/ft/script", "#!/tmp/ft/noexec/true\n", 0755);
	if (symlink("../denied/file", "/tmp/ft/allowed/sl"))
		perror("symlink");
}

FIXTURE(file) {
	struct brig_nl *nl;
	struct brig_nl *listener;
	struct brig_box box;
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
		/* Every capability voids file rules (docs/policy.md): a test insists. */
		.unsafe_caps = true,
	};
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;

	make_tree();
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

TEST_HARNESS_MAIN
