// SPDX-License-Identifier: GPL-2.0
/*
 * regbench: what libbrig's side of a start costs, by the guest's clock.
 *
 *   regbench roundtrip N FILE	registers a pid namespace's init with FILE's
 *				kernel policy and unregisters it, N times:
 *				"roundtrip NS" per register + unregister
 *   regbench compile N FILE	FILE parsed and its kernel policy made (the
 *				file rules compiled) N times: "compile NS
 *				STATES BYTES", the DFA's states and size
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "lib/nl.h"
#include "lib/policy.h"
#include "lib/spec.h"

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int kernel_policy(const char *file, struct brig_policy_spec *spec, struct brig_error **err)
{
	struct brig_pol *pol;
	int ret;

	if (brig_pol_parse_file(file, &pol, err))
		return -1;
	ret = brig_kernel_policy_from_pol(pol, spec, err);
	brig_pol_free(pol);
	return ret;
}

static int compile(long n, const char *file, struct brig_error **err)
{
	struct brig_policy_spec spec;
	double t0 = now_ns();
	size_t states = 0, bytes = 0;

	for (long i = 0; i < n; i++) {
		if (kernel_policy(file, &spec, err))
			return -1;
		states = spec.dfa_states;
		bytes = spec.dfa_len;
		brig_policy_spec_release(&spec);
	}
	printf("compile %.0f %zu %zu\n", (now_ns() - t0) / n, states, bytes);
	return 0;
}

static int roundtrip(long n, const char *file, struct brig_error **err)
{
	struct brig_policy_spec spec;
	struct brig_nl *nl = NULL;
	double t0;
	pid_t init;
	int ret = -1;

	if (kernel_policy(file, &spec, err))
		return -1;
	if (unshare(CLONE_NEWPID))
		return brig_error_make(err, errno, "unshare");
	init = fork();
	if (init == 0) {
		pause();
		_exit(0);
	}
	if (init < 0 || brig_nl_open(&nl, err))
		goto out;
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		uint32_t id;

		if (brig_nl_register(nl, init, "regbench", &spec, &id, err) ||
		    brig_nl_unregister(nl, id, NULL, err))
			goto out;
	}
	printf("roundtrip %.0f\n", (now_ns() - t0) / n);
	ret = 0;
out:
	brig_nl_close(nl);
	if (init > 0) {
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
	}
	brig_policy_spec_release(&spec);
	return ret;
}

int main(int argc, char **argv)
{
	struct brig_error *err = NULL;
	long n = argc > 2 ? atol(argv[2]) : 0;
	int ret;

	if (argc != 4 || n <= 0 || (strcmp(argv[1], "roundtrip") && strcmp(argv[1], "compile"))) {
		fprintf(stderr, "usage: regbench roundtrip|compile N FILE\n");
		return 2;
	}
	ret = !strcmp(argv[1], "compile") ? compile(n, argv[3], &err) : roundtrip(n, argv[3], &err);
	if (ret)
		return brig_error_report(stderr, "regbench", &err);
	return 0;
}
