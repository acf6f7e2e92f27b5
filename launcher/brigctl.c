// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl: inspect and steer brig containers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <brig.h>

#include "lib/error.h"
#include "lib/nl.h"
#include "lib/policy.h"

struct brigctl_command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv, struct brig_error **err);
};

/* Like `docker version`: the tools' ABI, then the module's. */
static int cmd_version(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	uint64_t cookie = (uint64_t)time(NULL) << 32 | (uint32_t)getpid();
	uint64_t echo;
	uint32_t version;

	(void)argv;
	if (argc > 1)
		return brig_error_make(err, 0, "version takes no arguments");
	printf("brigctl: ABI %d\n", BRIG_GENL_VERSION);
	if (brig_nl_open(&nl, err) < 0 ||
	    brig_nl_ping(nl, cookie, &version, &echo, err) < 0)
		return -1;
	if (echo != cookie)
		return brig_error_make(err, 0, "brig.ko answered another request");
	printf("brig.ko: ABI %u, family id %d\n", version, brig_nl_family(nl));
	if (version != BRIG_GENL_VERSION)
		return brig_error_make(err, 0,
			"brig.ko speaks ABI %u, brigctl ABI %d: use tools and module from one build",
			version, BRIG_GENL_VERSION);
	return 0;
}

static const char *family_name(uint32_t family)
{
	switch (family) {
	case 0: return "any";
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_PACKET: return "packet";
	case AF_UNIX: return "unix";
	case AF_NETLINK: return "netlink";
	}
	return "?";
}

static const char *type_name(uint32_t type)
{
	static const char *const names[] = {
		"any", "stream", "dgram", "raw", "rdm", "seqpacket",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

/* Parses and compiles a policy, and says what brig.ko would enforce. */
static int cmd_check(int argc, char **argv, struct brig_error **err)
{
	struct brig_policy_spec spec;
	struct brig_pol *pol = NULL;
	uint32_t states;
	void *dfa = NULL;
	size_t i;
	int cap, n = 0;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl check FILE");
	if (brig_pol_parse_file(argv[1], &pol, err) < 0)
		return -1;
	if (brig_pol_kernel_spec(pol, &spec, &dfa, &states, err) < 0) {
		brig_pol_free(pol);
		return -1;
	}
	printf("%s: ok\n", argv[1]);
	printf("name:         %s\n", pol->name);
	printf("mode:         %s\n", spec.mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce");
	printf("capabilities:");
	for (cap = 0; cap < 64; cap++) {
		if (spec.caps & (1ULL << cap)) {
			printf(" %s", brig_cap_name(cap));
			n++;
		}
	}
	printf("%s\n", n ? "" : " (none)");
	printf("network:     ");
	for (i = 0; i < spec.n_socket_rules; i++)
		printf(" deny %s %s%s", family_name(spec.socket_rules[i].family),
		       type_name(spec.socket_rules[i].type),
		       i + 1 < spec.n_socket_rules ? "," : "");
	printf("%s\n", spec.n_socket_rules ? "" : " (no rules)");
	if (spec.pids_max)
		printf("pids max:     %u\n", spec.pids_max);
	else
		printf("pids max:     (none)\n");
	printf("file rules:   %zu, DFA %u states, %zu bytes\n",
	       pol->privileged ? 0 : pol->n_file_rules, states, spec.dfa_len);
	free(dfa);
	brig_pol_free(pol);
	return 0;
}

static const struct brigctl_command commands[] = {
	{ "check", "FILE", "parse and compile a policy, and summarise it", cmd_check },
	{ "version", "", "show the tools' and the loaded module's ABI version", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: brigctl COMMAND [ARGS...]\n\nCommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %-12s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fputs("\nExit status: 0 on success, 125 on failure.\n", out);
}

int main(int argc, char **argv)
{
	struct brig_error *err = NULL;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return BRIG_EXIT_FAILURE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (commands[i].run(argc - 1, argv + 1, &err) < 0)
			return brig_error_report(stderr, "brigctl", &err);
		return 0;
	}
	fprintf(stderr, "brigctl: unknown command `%s`\nTry `brigctl --help`.\n", argv[1]);
	return BRIG_EXIT_FAILURE;
}
