// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl: inspect and steer brig containers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <brig.h>

#include "lib/error.h"
#include "lib/nl.h"

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

static const struct brigctl_command commands[] = {
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
