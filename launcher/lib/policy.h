/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the .pol policy language (docs: policy-language), the one parser
 * that launch, brigctl and the tests share.
 */
#ifndef BRIG_POLICY_H
#define BRIG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dfa.h"
#include "error.h"
#include "nl.h"

/* namespaces NS...: bits of CLONE_NEW* the container gets. */
enum brig_ns {
	BRIG_NS_USER = 1 << 0,
	BRIG_NS_PID = 1 << 1,
	BRIG_NS_MOUNT = 1 << 2,
	BRIG_NS_NET = 1 << 3,
	BRIG_NS_UTS = 1 << 4,
	BRIG_NS_IPC = 1 << 5,
	BRIG_NS_CGROUP = 1 << 6,
	BRIG_NS_TIME = 1 << 7,
	BRIG_NS_ALL = (1 << 8) - 1,
};

struct brig_idmap {
	uint32_t inside, outside, count;
};

/* A `device` line. */
struct brig_pol_device {
	char *host, *inside;
	char perms[4];		/* of "rwm" */
};

struct brig_mount {
	bool tmpfs;		/* else a bind mount */
	char *host;		/* bind only */
	char *inside;
	bool readonly;
	uint64_t size;		/* tmpfs, bytes; 0: default */
};

struct brig_rlimit {
	int resource;		/* RLIMIT_* */
	uint64_t soft, hard;	/* RLIM_INFINITY for unlimited */
};

enum brig_seccomp {
	BRIG_SECCOMP_DEFAULT,
	BRIG_SECCOMP_FILE,
	BRIG_SECCOMP_UNCONFINED,
};

/* A parsed policy; every default of the language already applied. */
struct brig_pol {
	char *file;		/* as given */
	char *name;
	char *rootfs;		/* made absolute against the file's folder */
	bool readonly_rootfs;
	char **command;		/* NULL-terminated */
	char *workdir;
	char **env;		/* NAME=VALUE, NULL-terminated */
	char *hostname;
	uid_t uid;
	gid_t gid;
	uint32_t namespaces;	/* enum brig_ns */
	struct brig_idmap uidmap[16], gidmap[16];
	size_t n_uidmap, n_gidmap;
	uint64_t caps;
	bool privileged;
	struct brig_pol_device *devices;
	size_t n_devices;
	struct brig_mount *mounts;
	size_t n_mounts;
	uint32_t pids_max;	/* 0: none */
	struct brig_rlimit rlimits[16];
	size_t n_rlimits;
	enum brig_seccomp seccomp;
	char *seccomp_file;	/* made absolute */
	bool no_new_privs;
	uint32_t mode;		/* enum brig_mode */
	struct brig_socket_rule socket_rules[BRIG_SOCKET_RULES_MAX];
	size_t n_socket_rules;
	struct brig_file_rule *file_rules;
	size_t n_file_rules;
	bool allow_mount;	/* allow mount: BRIG_POLICY_F_MOUNT */
};

/* Every capability this library knows by name (CAP_CHOWN to CAP_CHECKPOINT_RESTORE). */
#define BRIG_CAPS_COUNT 41
#define BRIG_ALL_CAPS ((1ULL << BRIG_CAPS_COUNT) - 1)

/* Docker's 14 default capabilities. */
#define BRIG_DOCKER_DEFAULT_CAPS 0x00000000a80425fbULL

/* Parses @path; errors read "FILE:LINE:COL: message". */
int brig_pol_parse_file(const char *path, struct brig_pol **out,
			struct brig_error **err);
/* Parses @text as if it were the file @path (for its name and folder). */
int brig_pol_parse_text(const char *text, const char *path,
			struct brig_pol **out, struct brig_error **err);
void brig_pol_free(struct brig_pol *pol);

/* Is @s a valid container name ([A-Za-z0-9][A-Za-z0-9_.-]{0,63})? */
bool brig_pol_name_valid(const char *s);

/* The capability named @name (with or without CAP_, any case), or -1. */
int brig_cap_from_name(const char *name);
const char *brig_cap_name(int cap);

/*
 * What brig.ko enforces for @pol: caps, mode, ceiling, socket rules, the
 * device list (Docker's defaults and each `device` line, whose host node is
 * stat()ed for its number), the flags, and the file rules compiled (*dfa,
 * to free(); NULL when there are none).
 */
int brig_pol_kernel_spec(const struct brig_pol *pol, struct brig_policy_spec *spec,
			 void **dfa, uint32_t *dfa_states, struct brig_error **err);

#endif /* BRIG_POLICY_H */
