// SPDX-License-Identifier: GPL-2.0
/*
 * brig under load: it keeps holding, and leaves nothing behind.
 *
 * - Containers started and stopped by the real launch, 4 at a time, while
 *   the module is asked to unload: it refuses as long as a container lives,
 *   and once the last one is gone no registry entry is left and it unloads
 *   (on the debug kernel, the kmemleak scan after the run finds no leak).
 * - A flood of open(), socket() and fork() from 2 threads inside a container
 *   while its policy is replaced 100 times: every verdict is the one the
 *   policy in force gives, and no hook call is skipped.
 *
 *   test process: set_policy(k) between started = k and done = k
 *    `-- box (container): thread 1, thread 2: op; was started == done
 *                         throughout? then policy done % 2 decided it
 *
 * `make check` runs a short form; `make stress` (scripts/stress) sets
 * BRIG_STRESS_CYCLES=1000 and BRIG_STRESS_SECONDS=60.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>

#include "launch.h"
#include "lib/dfa.h"

static const char *const files[][2] = {
	{ "stress.pol", "rootfs rootfs\npids max 16\ndeny /etc/** w\n" },
	{ "data/secret", "secret\n" },
};

LAUNCH_FIXTURE(stress, files)

#define WORKERS 4

TEST_F_TIMEOUT(stress, start_stop_cycles_leave_nothing, 7200)
{
	unsigned long cycles = brig_env_number("BRIG_STRESS_CYCLES", 100);
	struct brig_policy_spec anchor_policy = { .caps = DOCKER_DEFAULT_CAPS };
	struct brig_container_info info;
	struct brig_error *err = NULL;
	pid_t workers[WORKERS];
	struct brig_box anchor;
	int i, refusals = 0, n = 0;

	/* A container that outlives the cycles: the module may never go. */
	ASSERT_BRIG_OK(brig_box_start(self->nl, &anchor, "anchor", &anchor_policy,
				      brig_box_idle, NULL, 0, &err), err);
	for (i = 0; i < WORKERS; i++) {
		workers[i] = fork();
		if (workers[i] == 0) {
			unsigned long c;

			for (c = i; c < cycles; c += WORKERS) {
				char out[512];
				int rc = brig_sh(out, sizeof(out), LAUNCH " --policy " TOP "/stress.pol "
						 "--name cycle-%lu -- sh -c 'echo $$'", c);

				if (rc != 0 || atoi(out) != 1) {
					fprintf(stderr, "cycle %lu: status %d: %s\n", c, rc, out);
					_exit(1);
				}
			}
			_exit(0);
		}
		ASSERT_LT(0, workers[i]);
	}
	/* Unloading is tried throughout. */
	while (n < WORKERS) {
		for (i = 0; i < WORKERS; i++) {
			int status;

			if (workers[i] && waitpid(workers[i], &status, WNOHANG) == workers[i]) {
				EXPECT_EQ(0, WIFEXITED(status) ? WEXITSTATUS(status) :
					  128 + WTERMSIG(status));
				workers[i] = 0;
				n++;
			}
		}
		ASSERT_EQ(0, brig_unload_refused());
		refusals++;
		usleep(100000);
	}
	TH_LOG("%lu containers started and stopped by launch, %d at a time; %d unloads refused",
	       cycles, WORKERS, refusals);
	EXPECT_LT(0, refusals);

	/* Only the anchor is left, and nothing of the cycles. */
	n = 0;
	ASSERT_EQ(0, brig_nl_dump(self->nl, brig_count_one, &n, &err));
	EXPECT_EQ(1, n);
	ASSERT_EQ(0, brig_nl_get(self->nl, anchor.id, NULL, &info, &err));
	EXPECT_EQ(0, brig_log_hook_misses(&info));
	EXPECT_EQ(0, brig_unload_refused());
	EXPECT_EQ(0, brig_box_stop(&anchor));
	/* The fixture's teardown finds no container and unloads the module. */
}

/* ---- the flood ---- */

struct flood {
	atomic_ulong started, done;	/* policy generations, set by the test */
	atomic_bool stop;
	atomic_ulong checked, ambiguous, mismatches;
	char first[160];
};

static struct flood *flood;

enum { OP_OPEN, OP_SOCKET, OP_FORK, OPS };
static const char *const op_names[] = { "open", "socket", "fork" };

static int do_op(int op)
{
	int fd, status;
	pid_t pid;

	switch (op) {
	case OP_OPEN:
		fd = open(TOP "/data/secret", O_RDONLY | O_CLOEXEC);
		break;
	case OP_SOCKET:
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		break;
	default:
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return -errno;
		waitpid(pid, &status, 0);
		return 0;
	}
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Policy 0 refuses reading the secret, policy 1 UDP sockets and, with a
 * ceiling of 3 (the box's init and its 2 threads), every fork.
 */
static int verdict(unsigned long generation, int op)
{
	static const int verdicts[2][OPS] = {
		{ -EACCES, 0, 0 },
		{ 0, -EACCES, -EAGAIN },
	};

	return verdicts[generation % 2][op];
}

static void *flood_thread(void *arg)
{
	unsigned long i;

	for (i = (uintptr_t)arg; !atomic_load(&flood->stop); i++) {
		unsigned long s1 = atomic_load(&flood->started), d1 = atomic_load(&flood->done);
		int op = i % OPS, got = do_op(op), want = verdict(d1, op);
		unsigned long s2 = atomic_load(&flood->started), d2 = atomic_load(&flood->done);

		if (s1 != d1 || s2 != s1 || d2 != d1) {
			atomic_fetch_add(&flood->ambiguous, 1);	/* an update was under way */
			continue;
		}
		atomic_fetch_add(&flood->checked, 1);
		if (got != want && atomic_fetch_add(&flood->mismatches, 1) == 0)
			snprintf(flood->first, sizeof(flood->first),
				 "%s under policy %lu: %s, not %s", op_names[op], d1,
				 strerror(-got), strerror(-want));
	}
	return NULL;
}

static int box_flood(int cmd, void *arg)
{
	pthread_t threads[2];
	int i;

	(void)cmd;
	(void)arg;
	for (i = 0; i < 2; i++)
		if (pthread_create(&threads[i], NULL, flood_thread, (void *)(uintptr_t)i))
			return -EAGAIN;
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	return 0;
}

static void *run_box(void *arg)
{
	return (void *)(intptr_t)brig_box_do(arg, 'f');
}

TEST_F_TIMEOUT(stress, verdicts_follow_100_live_updates_under_a_flood, 1800)
{
	unsigned long seconds = brig_env_number("BRIG_STRESS_SECONDS", 10), k;
	const struct brig_file_rule secret = { TOP "/data/secret", BRIG_PERM_READ, 0 };
	struct brig_policy_spec policies[2] = {
		{ .caps = DOCKER_DEFAULT_CAPS, .pids_max = 64 },
		{ .caps = DOCKER_DEFAULT_CAPS, .pids_max = 3, .n_socket_rules = 1,
		  .socket_rules = { { AF_INET, SOCK_DGRAM } } },
	};
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	struct brig_box box;
	pthread_t waiter;
	void *result;

	flood = mmap(NULL, sizeof(*flood), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, flood);
	ASSERT_BRIG_OK(brig_dfa_compile(&secret, 1, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, (void **)&policies[0].dfa,
					  &policies[0].dfa_len, &err), err);
	brig_dfa_free(dfa);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "flood", &policies[0], box_flood,
				      NULL, 0, &err), err);
	ASSERT_EQ(0, pthread_create(&waiter, NULL, run_box, &box));
	for (k = 1; k <= 100; k++) {
		usleep(seconds * 1000000 / 100);
		atomic_store(&flood->started, k);
		ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, box.id, NULL, &policies[k % 2],
						  &err), err);
		atomic_store(&flood->done, k);
		ASSERT_EQ(0, brig_unload_refused());
	}
	usleep(seconds * 1000000 / 100);
	atomic_store(&flood->stop, true);
	pthread_join(waiter, &result);
	EXPECT_EQ(0, (intptr_t)result);

	TH_LOG("%lu verdicts checked against the policy in force, %lu during an update",
	       atomic_load(&flood->checked), atomic_load(&flood->ambiguous));
	EXPECT_EQ(0, atomic_load(&flood->mismatches)) TH_LOG("first: %s", flood->first);
	EXPECT_LT(200, atomic_load(&flood->checked));
	ASSERT_EQ(0, brig_nl_get(self->nl, box.id, NULL, &info, &err));
	EXPECT_EQ(0, brig_log_hook_misses(&info));
	EXPECT_EQ(0, brig_box_stop(&box));
	free((void *)policies[0].dfa);
	munmap(flood, sizeof(*flood));
}

TEST_HARNESS_MAIN
