// SPDX-License-Identifier: GPL-2.0
/*
 * The task ceiling (`pids max N`): at no instant more than N tasks in the
 * container (threads included, zombies until reaped); the fork, clone or
 * pthread_create past it fails with EAGAIN; no charge leaks across failed
 * forks, exits, reaping or container death.
 *
 *   test process ---- samples /proc and the module's count from outside
 *    `-- box init (container, pids max N)
 *         |-- children / threads the actions make
 *         `-- fork bomb (all processes fork forever)
 *
 * A reaped task is uncharged when it is reaped, before wait() returns: a fork
 * right after waitpid() finds the room, and the module's count is exact
 * whenever the test samples it.
 */
#include <pthread.h>
#include <sched.h>
#include <dirent.h>
#include <linux/sched.h>
#include <sys/stat.h>

#include "common.h"

#define MAX_CHILDREN 4096

/* Forks children that wait, until a fork fails; returns how many, or -errno
 * if the failure was not EAGAIN. */
static int fork_until_refused(void)
{
	int n;

	for (n = 0; n < MAX_CHILDREN; n++) {
		pid_t pid = fork();

		if (pid == 0) {
			pause();
			_exit(0);
		}
		if (pid < 0)
			return errno == EAGAIN ? n : -errno;
	}
	return -E2BIG;
}

/* Kills every other task of the container and reaps them. */
static int kill_all(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
	return 0;
}

static int thread_gate[2];

static void *thread_wait(void *arg)
{
	char c;

	(void)arg;
	if (read(thread_gate[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* Starts threads until pthread_create fails; returns how many, or -errno. */
static int threads_until_refused(void)
{
	static pthread_t threads[MAX_CHILDREN];
	int n, err = 0, i;

	if (pipe(thread_gate))
		return -errno;
	for (n = 0; n < MAX_CHILDREN; n++) {
		err = pthread_create(&threads[n], NULL, thread_wait, NULL);
		if (err)
			break;
	}
	close(thread_gate[1]);	/* EOF releases every thread */
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	close(thread_gate[0]);
	return err == EAGAIN ? n : -err;
}

/*
 * With pids max 3: init and two zombies fill the container; a third child
 * is refused until they are reaped. Returns 0, or which step failed.
 */
static int zombies_count(void)
{
	pid_t pid;
	int i;

	for (i = 0; i < 2; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return 1;
	}
	usleep(200000);	/* both are zombies now, unreaped */
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0 || errno != EAGAIN)
		return 2;
	kill_all();
	for (i = 0; i < 500; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			return 0;
		}
		usleep(10000);
	}
	return 3;
}

/* Forks 5 waiting children; returns how many forks succeeded. */
static int fork_five(void)
{
	int n = 0, i;

	for (i = 0; i < 5; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pause();
			_exit(0);
		}
		n += pid > 0;
	}
	return n;
}

/*
 * Every process forks forever; nobody exits. A refused fork frees its
 * half-made task after an RCU grace period; the pause after each keeps the
 * debug kernel (KASAN, lockdep, under emulation) from running out of memory
 * while those pile up faster than grace periods end.
 */
static int fork_bomb(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		for (;;) {
			if (fork() < 0)
				usleep(50000);
		}
	}
	return 0;
}

/*
 * Fork/exit/reap cycles per churn worker: 2,500, or 100 on the debug kernel
 * (kmemleak there), where KASAN and lockdep make each some ten times slower
 * under emulation and make check must stay within its hour; make stress
 * runs 2,500 there too (BRIG_STRESS_CHURN).
 */
static int churn_cycles(void)
{
	bool debug = access("/sys/kernel/debug/kmemleak", F_OK) == 0;

	return brig_env_number("BRIG_STRESS_CHURN", debug ? 100 : 2500);
}

/* 4 workers x churn_cycles() fork/exit/reap cycles; returns the cycles done. */
static int churn(void)
{
	int workers = 4, cycles = churn_cycles(), done = 0, status, w;
	int fds[2];

	if (pipe(fds))
		return -errno;
	for (w = 0; w < workers; w++) {
		if (fork() == 0) {
			int ok = 0, c;

			for (c = 0; c < cycles; c++) {
				pid_t pid = fork();

				if (pid == 0)
					_exit(0);
				/* Every reaped task was uncharged: no EAGAIN. */
				if (pid < 0)
					break;
				waitpid(pid, NULL, 0);
				ok++;
			}
			if (write(fds[1], &ok, sizeof(ok)) != sizeof(ok))
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	for (w = 0; w < workers; w++) {
		int ok;

		if (read(fds[0], &ok, sizeof(ok)) == sizeof(ok))
			done += ok;
	}
	close(fds[0]);
	while (wait(&status) > 0)
		;
	return done;
}

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

/*
 * Forks that fail after the charge: clone3() with a set_tid needs
 * CAP_CHECKPOINT_RESTORE, checked in alloc_pid(), after security_task_alloc.
 * Returns how many of 1000 failed with EPERM.
 */
static int failing_forks(void)
{
	pid_t tid = 500;
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};
	int i, eperm = 0;

	for (i = 0; i < 1000; i++) {
		long ret = syscall(__NR_clone3, &args, sizeof(args));

		if (ret == 0)
			_exit(0);
		if (ret > 0)
			waitpid(ret, NULL, 0);
		else if (errno == EPERM)
			eperm++;
	}
	return eperm;
}

/*
 * With pids max 2 the init and one child fill the container: 1000 times fork
 * a child that exits at once and reap it. Returns how many forks failed.
 */
static int sequential_forks(void)
{
	int i, failed = 0;

	for (i = 0; i < 1000; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0)
			failed++;
		else
			waitpid(pid, NULL, 0);
	}
	return failed;
}

/* Forks a child that exits at once and reaps it: 0 or -errno. */
static int fork_and_reap(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	return waitpid(pid, NULL, 0) == pid ? 0 : -errno;
}

/* Forks a child that exits and waits until it is a zombie: its pid or -errno. */
static int make_zombie(void)
{
	siginfo_t info;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	if (waitid(P_PID, pid, &info, WEXITED | WNOWAIT))
		return -errno;
	return pid;
}

/* Forks a child that waits: its pid or -errno. */
static int fork_waiting(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

/* Reaps every child that has exited, without waiting: how many. */
static int reap_exited(void)
{
	int n = 0;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

static int box_actions(int cmd, void *arg)
{
	(void)arg;
	switch (cmd) {
	case 'f':
		return fork_until_refused();
	case 'k':
		return kill_all();
	case 't':
		return threads_until_refused();
	case 'z':
		return zombies_count();
	case 'b':
		return fork_bomb();
	case '5':
		return fork_five();
	case 'c':
		return churn();
	case 'x':
		return failing_forks();
	case 's':
		return sequential_forks();
	case 'w':
		return fork_and_reap();
	case 'Z':
		return make_zombie();
	case 'p':
		return fork_waiting();
	case 'r':
		return reap_exited();
	}
	return -EINVAL;
}

FIXTURE(task) {
	struct brig_nl *nl;
	struct brig_box box;
	bool started;
};

FIXTURE_SETUP(task)
{
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(task)
{
	if (self->started) {
		brig_box_do(&self->box, 'k');
		EXPECT_EQ(0, brig_box_stop(&self->box));
	}
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

static int start_box(struct __test_metadata *_metadata,
		     FIXTURE_DATA(task) *self, uint32_t pids_max, uint32_t mode)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS,
		.pids_max = pids_max,
		.mode = mode,
	};
	struct brig_error *err = NULL;

	if (brig_box_start(self->nl, &self->box, "tasks", &policy, box_actions,
			   NULL, 0, &err) < 0) {
		TH_LOG("%s", err->msg);
		brig_error_free(&err);
		return -1;
	}
	self->started = true;
	return 0;
}

/*
 * Fills the container with waiting children; expects exactly @want of them
 * (the ceiling minus init), allowing reaped tasks a moment to uncharge.
 */
static int refill(struct brig_box *box, int want)
{
	int i, got = -1;

	for (i = 0; i < 500; i++) {
		got = brig_box_do(box, 'f');
		brig_box_do(box, 'k');
		/* Fewer: charges of reaped tasks still on their way out. */
		if (got < 0 || got >= want)
			break;
		usleep(10000);
	}
	return got;
}

TEST_F(task, ceiling_is_exact_for_processes)
{
	ASSERT_EQ(0, start_box(_metadata, self, 4, 0));
	EXPECT_EQ(3, brig_box_do(&self->box, 'f'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	EXPECT_EQ(3, refill(&self->box, 3));
}

TEST_F(task, threads_count)
{
	ASSERT_EQ(0, start_box(_metadata, self, 4, 0));
	EXPECT_EQ(3, brig_box_do(&self->box, 't'));
}

TEST_F(task, zombies_count_until_reaped)
{
	ASSERT_EQ(0, start_box(_metadata, self, 3, 0));
	EXPECT_EQ(0, brig_box_do(&self->box, 'z'));
}

TEST_F(task, refusals_are_counted_and_complain_mode_refuses_nothing)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;

	ASSERT_EQ(0, start_box(_metadata, self, 2, BRIG_MODE_COMPLAIN));
	/* Complain mode lets it pass the ceiling; each fork past it counts. */
	EXPECT_EQ(5, brig_box_do(&self->box, '5'));
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(6, info.tasks);
	EXPECT_EQ(4, info.denials[BRIG_KIND_TASK]);
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
}

TEST_F(task, live_update_moves_the_ceiling)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS, .pids_max = 6,
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, start_box(_metadata, self, 2, 0));
	EXPECT_EQ(1, brig_box_do(&self->box, 'f'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL,
					  &policy, &err), err);
	EXPECT_EQ(5, refill(&self->box, 5));
}

/* Tasks of the container, counted from outside in /proc: processes whose
 * pid is nested (only the box's container exists during the test). */
static int count_from_proc(void)
{
	struct dirent *de;
	char path[300], line[256];
	int n = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	while ((de = readdir(proc))) {
		FILE *status;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		status = fopen(path, "re");
		if (!status)
			continue;
		while (fgets(line, sizeof(line), status)) {
			/* "NSpid:\t4242\t7": a second number, a nested pid. */
			if (!strncmp(line, "NSpid:", 6) &&
			    strchr(line + 7, '\t')) {
				n++;
				break;
			}
		}
		fclose(status);
	}
	closedir(proc);
	return n;
}

TEST_F_TIMEOUT(task, fork_bomb_never_passes_the_ceiling, 300)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int max_proc = 0, max_module = 0, i;

	ASSERT_EQ(0, start_box(_metadata, self, 32, 0));
	ASSERT_EQ(0, brig_box_do(&self->box, 'b'));
	for (i = 0; i < 200; i++) {
		int n = count_from_proc();

		ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info,
					   &err), err);
		if (n > max_proc)
			max_proc = n;
		if ((int)info.tasks > max_module)
			max_module = info.tasks;
		ASSERT_GE(32, n) TH_LOG("%d tasks seen in /proc", n);
		ASSERT_GE(32, info.tasks);
		if (i > 50 && max_proc == 32)
			break;
		usleep(20000);
	}
	/* The bomb did reach the ceiling: the test could have seen a breach. */
	EXPECT_EQ(32, max_proc);
	EXPECT_EQ(32, max_module);
	EXPECT_LT(0, info.denials[BRIG_KIND_TASK]);
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	EXPECT_EQ(31, refill(&self->box, 31));
}

/* 10,000 cycles (400 on the debug kernel) from 4 workers at once. */
TEST_F_TIMEOUT(task, no_charge_leaks_after_concurrent_cycles, 1800)
{
	ASSERT_EQ(0, start_box(_metadata, self, 32, 0));
	EXPECT_EQ(4 * churn_cycles(), brig_box_do(&self->box, 'c'));
	EXPECT_EQ(31, refill(&self->box, 31));
}

TEST_F_TIMEOUT(task, no_charge_leaks_after_failed_forks, 600)
{
	ASSERT_EQ(0, start_box(_metadata, self, 32, 0));
	EXPECT_EQ(1000, brig_box_do(&self->box, 'x'));
	EXPECT_EQ(31, refill(&self->box, 31));
}

/*
 * The uncharge comes at the reap, not a grace period later: a fork right
 * after waitpid() never fails for want of room.
 */
TEST_F_TIMEOUT(task, forks_right_after_waitpid_never_fail, 300)
{
	ASSERT_EQ(0, start_box(_metadata, self, 2, 0));
	EXPECT_EQ(0, brig_box_do(&self->box, 's'));
}

/* TASKS as GET reports it, or -1. */
static int tasks_now(struct __test_metadata *_metadata, struct brig_nl *nl,
		     uint32_t id)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;

	if (brig_nl_get(nl, id, NULL, &info, &err) < 0) {
		TH_LOG("%s", err->msg);
		brig_error_free(&err);
		return -1;
	}
	return info.tasks;
}

/*
 * The count at every sample, each taken right after the box's step: a live
 * child counts, a zombie counts until it is reaped, a reaped child does not.
 */
TEST_F_TIMEOUT(task, count_is_exact_after_each_reap, 300)
{
	int i;

	ASSERT_EQ(0, start_box(_metadata, self, 8, 0));
	ASSERT_EQ(1, tasks_now(_metadata, self->nl, self->box.id));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, brig_box_do(&self->box, 'w'));
		ASSERT_EQ(1, tasks_now(_metadata, self->nl, self->box.id))
			TH_LOG("after fork, exit and waitpid, round %d", i);
		ASSERT_LT(0, brig_box_do(&self->box, 'Z'));
		ASSERT_EQ(2, tasks_now(_metadata, self->nl, self->box.id))
			TH_LOG("with a zombie, round %d", i);
		ASSERT_EQ(1, brig_box_do(&self->box, 'r'));
		ASSERT_EQ(1, tasks_now(_metadata, self->nl, self->box.id))
			TH_LOG("after reaping the zombie, round %d", i);
		ASSERT_LT(0, brig_box_do(&self->box, 'p'));
		ASSERT_EQ(2, tasks_now(_metadata, self->nl, self->box.id))
			TH_LOG("with a live child, round %d", i);
		ASSERT_EQ(0, brig_box_do(&self->box, 'k'));
		ASSERT_EQ(1, tasks_now(_metadata, self->nl, self->box.id))
			TH_LOG("after killing and reaping it, round %d", i);
	}
}

/*
 * UNREGISTER, then REGISTER the same (still running) pid namespace: the tasks
 * already there are the new container's, counted once, and leave it when
 * reaped.
 */
TEST_F(task, registering_again_keeps_the_count)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS, .pids_max = 4,
	};
	struct brig_error *err = NULL;
	uint32_t id;

	ASSERT_EQ(0, start_box(_metadata, self, 4, 0));
	ASSERT_LT(0, brig_box_do(&self->box, 'p'));
	ASSERT_LT(0, brig_box_do(&self->box, 'p'));
	ASSERT_EQ(3, tasks_now(_metadata, self->nl, self->box.id));
	ASSERT_BRIG_OK(brig_nl_unregister(self->nl, self->box.id, NULL, &err), err);
	ASSERT_BRIG_OK(brig_nl_register(self->nl, self->box.pid, "tasks-again",
					&policy, &id, &err), err);
	self->box.id = id;
	EXPECT_EQ(3, tasks_now(_metadata, self->nl, id));
	/* The ceiling counts them: one more fits. */
	EXPECT_EQ(1, brig_box_do(&self->box, 'f'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	EXPECT_EQ(1, tasks_now(_metadata, self->nl, id));
	EXPECT_EQ(3, brig_box_do(&self->box, 'f'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	/* Once more, with the moved charges gone: still exact. */
	ASSERT_BRIG_OK(brig_nl_unregister(self->nl, id, NULL, &err), err);
	ASSERT_BRIG_OK(brig_nl_register(self->nl, self->box.pid, "tasks-third",
					&policy, &id, &err), err);
	self->box.id = id;
	EXPECT_EQ(1, tasks_now(_metadata, self->nl, id));
}

TEST_F(task, outside_the_container_there_is_no_ceiling)
{
	ASSERT_EQ(0, start_box(_metadata, self, 2, 0));
	/* This process and its children are not in the container. */
	pid_t pids[8];
	int i;

	for (i = 0; i < 8; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(0);
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < 8; i++)
		waitpid(pids[i], NULL, 0);
}

TEST_HARNESS_MAIN
