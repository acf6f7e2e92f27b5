// SPDX-License-Identifier: GPL-2.0
/*
 * launch: start a container confined by a brig policy.
 *
 * This first version parses and checks its command line only: starting the
 * container (namespaces, mounts, capabilities, seccomp, registration with
 * brig.ko) follows the launch order of docs/design and is not built yet.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"

struct launch_options {
	const char *policy;
	const char *rootfs;
	const char *name;
	int detach;
	int tty;
	int n_env;
	char **env;		/* NAME=VALUE, pointing into argv */
	char **command;		/* after "--", NULL-terminated; may be empty */
};

static void usage(FILE *out)
{
	fputs("Usage: launch --policy FILE [OPTIONS] [-- COMMAND [ARG...]]\n"
	      "\n"
	      "Start a container confined by the brig policy FILE.\n"
	      "\n"
	      "Options:\n"
	      "  -p, --policy FILE      the .pol policy to apply (required)\n"
	      "      --rootfs DIR       root filesystem (overrides the policy's rootfs)\n"
	      "      --name NAME        container name (overrides the policy's name)\n"
	      "  -d, --detach           run in the background and print the container id\n"
	      "  -t, --tty              allocate a pseudo-terminal\n"
	      "  -e, --env NAME=VALUE   set an environment variable (repeatable)\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: the container's; 125 if launch itself fails, 126 if the\n"
	      "command cannot be run, 127 if it is not found (as docker run).\n", out);
}

static int parse_options(int argc, char **argv, struct launch_options *opt,
			 struct brig_error **err)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "env", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opt->env = calloc(argc, sizeof(*opt->env));
	if (!opt->env)
		return brig_error_make(err, ENOMEM, "options");
	/* '+': stop at the first non-option, so COMMAND's own flags are its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:dte:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			opt->policy = optarg;
			break;
		case 'r':
			opt->rootfs = optarg;
			break;
		case 'n':
			opt->name = optarg;
			break;
		case 'd':
			opt->detach = 1;
			break;
		case 't':
			opt->tty = 1;
			break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return brig_error_make(err, 0,
					"invalid --env `%s`: expected NAME=VALUE", optarg);
			opt->env[opt->n_env++] = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			return brig_error_make(err, 0, "option `%s` needs a value",
					       argv[optind - 1]);
		default:
			return brig_error_make(err, 0, "unknown option `%s`",
					       argv[optind - 1]);
		}
	}
	if (!opt->policy)
		return brig_error_make(err, 0, "no policy: --policy FILE is required");
	opt->command = argv + optind;
	return 0;
}

int main(int argc, char **argv)
{
	struct launch_options opt = { 0 };
	struct brig_error *err = NULL;

	if (parse_options(argc, argv, &opt, &err) < 0) {
		brig_error_report(stderr, "launch", &err);
		fputs("Try `launch --help`.\n", stderr);
		free(opt.env);
		return BRIG_EXIT_FAILURE;
	}
	free(opt.env);
	brig_error_make(&err, 0, "starting containers is not implemented in this version");
	return brig_error_report(stderr, "launch", &err);
}
