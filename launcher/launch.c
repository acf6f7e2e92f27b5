// SPDX-License-Identifier: GPL-2.0
/*
 * launch: start a container confined by a brig policy, or run a command in
 * one (launch exec). See docs/launch.1. A thin front end: the options, the
 * .pol lowered into a container spec (lib/spec.h) with the command line's
 * choices over it, and the engine (engine/engine.h) that runs it.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/engine.h"
#include "lib/error.h"
#include "lib/image.h"
#include "lib/layer.h"
#include "lib/trust.h"
#include "lib/policy.h"
#include "lib/record.h"
#include "lib/spec.h"

struct launch_options {
	const char *policy;
	const char *rootfs;
	const char *image;	/* LAYOUT[:TAG] */
	const char *entrypoint;	/* NULL: the image's; "": none */
	bool no_trust;		/* --disable-content-trust */
	const char *name;
	bool detach;
	bool remove;		/* --rm */
	bool tty;
	bool unsafe_caps;	/* register even if the caps void the file rules */
	int n_env;
	char **env;		/* NAME=VALUE, pointing into argv */
	size_t n_publish;
	struct brig_publish publish[BRIG_PUBLISH_MAX];	/* -p */
	char **command;		/* after the options, NULL-terminated; may be empty */
};

static void usage(FILE *out)
{
	fputs("Usage: launch --policy FILE [OPTIONS] [--] [COMMAND [ARG...]]\n"
	      "       launch exec [-t] [-e NAME=VALUE]... NAME [--] COMMAND [ARG...]\n"
	      "\n"
	      "Start a container confined by the brig policy FILE, or run another\n"
	      "command inside the running container NAME.\n"
	      "\n"
	      "Options:\n"
	      "      --policy FILE      the .pol policy to apply (required)\n"
	      "      --rootfs DIR       root filesystem (overrides the policy's rootfs)\n"
	      "      --image LAYOUT[:TAG]\n"
	      "                         run the OCI image layout LAYOUT (its image TAG)\n"
	      "                         instead (overrides the policy's rootfs or image)\n"
	      "      --entrypoint CMD   the image's Entrypoint replaced (\"\": none)\n"
	      "      --disable-content-trust\n"
	      "                         skip the image's verification (the trust policy,\n"
	      "                         and `trust required` or BRIG_CONTENT_TRUST=1)\n"
	      "      --name NAME        container name (overrides the policy's name)\n"
	      "  -d, --detach           run in the background and print the container id;\n"
	      "                         output goes to " BRIG_RECORD_DIR "/NAME/log\n"
	      "                         (brigctl logs NAME), kept with its exit status\n"
	      "                         until `brigctl rm NAME`\n"
	      "      --rm               keep nothing once the container exited\n"
	      "  -p, --publish HOSTPORT:PORT[/tcp|udp]\n"
	      "                         publish a port, as docker run -p (repeatable;\n"
	      "                         added to the policy's `publish` lines)\n"
	      "  -t, --tty              allocate a pseudo-terminal\n"
	      "  -e, --env NAME=VALUE   set an environment variable (repeatable); -e NAME\n"
	      "                         passes the caller's NAME on, if it is set\n"
	      "      --unsafe-caps      run even if the policy's capabilities void its\n"
	      "                         own file rules (see launch(1))\n"
	      "  -h, --help             show this help\n"
	      "      --version          show the version\n"
	      "\n"
	      "Exit status: the container's (128+N when killed by signal N); 125 if\n"
	      "launch itself fails, 126 if the command cannot be run, 127 if it is\n"
	      "not found, as docker run. See launch(1).\n", out);
}

static int parse_options(int argc, char **argv, bool exec, struct launch_options *opt,
			 struct brig_error **err)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'P' },
		{ "publish", required_argument, NULL, 'p' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "image", required_argument, NULL, 'I' },
		{ "entrypoint", required_argument, NULL, 'E' },
		{ "disable-content-trust", no_argument, NULL, 'D' },
		{ "name", required_argument, NULL, 'n' },
		{ "detach", no_argument, NULL, 'd' },
		{ "rm", no_argument, NULL, 'R' },
		{ "tty", no_argument, NULL, 't' },
		{ "env", required_argument, NULL, 'e' },
		{ "unsafe-caps", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option exec_longopts[] = {
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
	while ((c = getopt_long(argc, argv, exec ? "+:te:h" : "+:p:dte:h",
				exec ? exec_longopts : longopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			opt->policy = optarg;
			break;
		case 'p': {
			const char *why;
			size_t at;

			if (opt->n_publish == BRIG_PUBLISH_MAX)
				return brig_error_make(err, 0, "more than %d published ports",
						       BRIG_PUBLISH_MAX);
			if (brig_publish_parse(optarg, &opt->publish[opt->n_publish++], &why, &at))
				return brig_error_make(err, 0, "invalid --publish `%s`: %s%s", optarg, why,
						       strstr(optarg, ".pol") ? " (the policy is --policy FILE)" : "");
			break;
		}
		case 'r':
			opt->rootfs = optarg;
			break;
		case 'I':
			opt->image = optarg;
			break;
		case 'E':
			opt->entrypoint = optarg;
			break;
		case 'D':
			opt->no_trust = true;
			break;
		case 'n':
			opt->name = optarg;
			break;
		case 'd':
			opt->detach = true;
			break;
		case 'R':
			opt->remove = true;
			break;
		case 't':
			opt->tty = true;
			break;
		case 'U':
			opt->unsafe_caps = true;
			break;
		case 'e':
			if (optarg[0] == '=' || !optarg[0])
				return brig_error_make(err, 0,
					"invalid --env `%s`: expected NAME=VALUE or NAME", optarg);
			if (strchr(optarg, '=')) {
				opt->env[opt->n_env++] = optarg;
			} else if (getenv(optarg)) {
				/* -e NAME, as docker run: the caller's NAME=VALUE entry, if set. */
				opt->env[opt->n_env++] = getenv(optarg) - strlen(optarg) - 1;
			}
			break;
		case 'V':
			printf("launch version %s\nbrig ABI: %d\n", BRIG_VERSION, BRIG_GENL_VERSION);
			exit(0);
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
	if (exec) {
		if (optind >= argc)
			return brig_error_make(err, 0, "usage: launch exec [-t] NAME [--] COMMAND [ARG...]");
		opt->name = argv[optind++];
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (optind >= argc)
			return brig_error_make(err, 0, "launch exec %s: no command given", opt->name);
	} else if (!opt->policy) {
		return brig_error_make(err, 0, "no policy: --policy FILE is required");
	} else if (opt->rootfs && opt->image) {
		return brig_error_make(err, 0, "--rootfs and --image: give one or the other");
	}
	if (opt->name && !brig_pol_name_valid(opt->name))
		return brig_error_make(err, 0,
			"invalid name `%s`: expected [A-Za-z0-9][A-Za-z0-9_.-], at most %d characters",
			opt->name, BRIG_NAME_MAX - 1);
	opt->command = argv + optind;
	return 0;
}

/* ---- environment ---------------------------------------------------------- */

/* The policy's env, then -e, then docker's defaults where neither set them. */
static char **make_env(const struct brig_container_spec *spec,
		       const struct launch_options *opt)
{
	char **env = NULL, hostname[128];
	int ret = 0, i;

	snprintf(hostname, sizeof(hostname), "HOSTNAME=%s", spec->hostname);
	for (i = 0; spec->process.env && spec->process.env[i]; i++)
		ret |= brig_env_set(&env, spec->process.env[i], true);
	for (i = 0; i < opt->n_env; i++)
		ret |= brig_env_set(&env, opt->env[i], true);
	ret |= brig_env_set(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", false);
	ret |= brig_env_set(&env, hostname, false);
	ret |= brig_env_set(&env, spec->process.uid ? "HOME=/" : "HOME=/root", false);
	if (opt->tty)
		ret |= brig_env_set(&env, "TERM=xterm", false);
	if (ret) {
		brig_strv_free(env);
		return NULL;
	}
	return env;
}

static int check_host_paths(const struct brig_container_spec *spec, struct brig_error **err)
{
	struct stat st;
	size_t i;

	if (stat(spec->rootfs, &st))
		return brig_error_make(err, errno, "root filesystem `%s`", spec->rootfs);
	if (!S_ISDIR(st.st_mode))
		return brig_error_make(err, ENOTDIR, "root filesystem `%s`", spec->rootfs);
	for (i = 0; i < spec->n_mounts; i++)
		if (brig_mount_is_bind(&spec->mounts[i]) && stat(spec->mounts[i].source, &st))
			return brig_error_make(err, errno, "%s: mount bind `%s`", spec->source,
					       spec->mounts[i].source);
	for (i = 0; i < spec->n_devices; i++) {
		if (stat(spec->devices[i].host, &st))
			return brig_error_make(err, errno, "%s: device `%s`", spec->source,
					       spec->devices[i].host);
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			return brig_error_make(err, 0, "%s: device `%s` is not a device node",
					       spec->source, spec->devices[i].host);
	}
	return 0;
}

/*
 * The image's root and defaults under the policy's (and --entrypoint, and
 * the command given, over both).
 */
static int use_image(struct brig_container_spec *spec, const struct launch_options *opt,
		     struct brig_error **err)
{
	struct brig_image *img = NULL;
	char *entrypoint[2] = { (char *)opt->entrypoint, NULL };
	int ret;

	const char *env_trust = getenv("BRIG_CONTENT_TRUST");
	bool required = spec->trust_required || (env_trust && !strcmp(env_trust, "1"));

	if (brig_image_open_ref(spec->image, &img, err))
		return -1;
	if (!opt->no_trust && brig_trust_check_image(img, required, err)) {
		brig_image_free(&img);
		return -1;
	}
	ret = brig_spec_use_image(spec, img, brig_layer_cache_dir(),
				  !opt->entrypoint ? NULL : *opt->entrypoint ? entrypoint : entrypoint + 1,
				  opt->command, err);
	brig_image_free(&img);
	return ret ? brig_error_wrap(err, "image `%s`", spec->image) : 0;
}

/* The command line's choices over the policy's: --rootfs, --image, --name, -p. */
static int apply_options(struct brig_container_spec *spec, const struct launch_options *opt,
			 struct brig_error **err)
{
	if (opt->rootfs) {
		char *abs = realpath(opt->rootfs, NULL);

		if (!abs)
			return brig_error_make(err, errno, "--rootfs `%s`", opt->rootfs);
		free(spec->rootfs);
		spec->rootfs = abs;
		free(spec->image);
		spec->image = NULL;
	}
	if (opt->image) {
		free(spec->rootfs);
		spec->rootfs = NULL;
		if (brig_spec_set_string(&spec->image, opt->image))
			return brig_error_make(err, ENOMEM, "--image");
	}
	if (opt->name && brig_spec_set_string(&spec->name, opt->name))
		return brig_error_make(err, ENOMEM, "--name");
	for (size_t i = 0; i < opt->n_publish; i++)
		if (brig_spec_publish(spec, &opt->publish[i], err))
			return -1;
	if (!spec->rootfs && !spec->image)
		return brig_error_make(err, 0, "%s: no root filesystem: give `rootfs DIR` or `image LAYOUT`, or --rootfs DIR or --image LAYOUT",
				       spec->source);
	if (opt->entrypoint && !spec->image)
		return brig_error_make(err, 0, "--entrypoint is an image's, and %s runs none: give --image or `image`",
				       spec->source);
	return spec->image ? use_image(spec, opt, err) : 0;
}

/* @argv: the command line as given, to run again from a sealed copy. */
static int launch(const struct launch_options *opt, char **argv, struct brig_error **err)
{
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct engine_process proc __attribute__((cleanup(engine_process_release))) = { 0 };
	struct brig_pol *pol;
	char **env;
	int ret;

	if (brig_pol_parse_file(opt->policy, &pol, err))
		return -1;
	ret = brig_spec_from_pol(pol, &spec, err);
	brig_pol_free(pol);
	if (ret || apply_options(spec, opt, err) || check_host_paths(spec, err))
		return -1;
	/* runc's fix for CVE-2019-5736, where the container could write this binary. */
	if (!engine_binary_out_of_reach(spec) && engine_reexec_sealed(argv, err))
		return -1;
	if (brig_spec_voiding_caps(&spec->kernel)) {
		char why[1024];

		brig_voiding_describe(brig_spec_voiding_caps(&spec->kernel), why, sizeof(why));
		fprintf(stderr, "launch: WARNING: %s: the capabilities void the policy's own file rules: %s\n",
			spec->source, why);
		if (!opt->unsafe_caps)
			return brig_error_make(err, 0, "%s: refusing a policy that voids its own rules; drop those capabilities, or insist with --unsafe-caps",
					       spec->source);
		spec->kernel.unsafe_caps = true;
	}
	env = make_env(spec, opt);
	if (!env)
		return brig_error_make(err, ENOMEM, "environment");
	/* An image's command is in the spec already, the one given among it. */
	if (engine_process_from_spec(spec, opt->command[0] && !spec->image ? opt->command : NULL, env,
				     opt->tty, &proc, err))
		return -1;
	return engine_run(spec, &proc, (opt->detach ? ENGINE_DETACH : 0) |
			  (opt->remove ? ENGINE_REMOVE : 0), err);
}

int main(int argc, char **argv)
{
	struct launch_options opt = { 0 };
	struct brig_error *err = NULL;
	bool exec = argc > 1 && !strcmp(argv[1], "exec");
	char **given;
	int code;

	/* Joining runs this binary in the container: always from a sealed copy. */
	if (exec && engine_reexec_sealed(argv, &err))
		return brig_error_report(stderr, "launch", &err);
	/* Before getopt permutes argv: a sealed copy starts with the same. */
	given = calloc(argc + 1, sizeof(*given));
	if (!given) {
		fputs("launch: out of memory\n", stderr);
		return BRIG_EXIT_FAILURE;
	}
	memcpy(given, argv, argc * sizeof(*given));
	if (parse_options(argc - exec, argv + exec, exec, &opt, &err) < 0) {
		brig_error_report(stderr, "launch", &err);
		fputs("Try `launch --help`.\n", stderr);
		free(opt.env);
		free(given);
		return BRIG_EXIT_FAILURE;
	}
	code = exec ? engine_exec(opt.name, opt.command, opt.env, opt.n_env, opt.tty, &err) :
	       launch(&opt, given, &err);
	free(opt.env);
	free(given);
	if (code < 0)
		return brig_error_report(stderr, "launch", &err);
	return code;
}
