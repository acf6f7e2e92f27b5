/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the .pol policy language (docs: policy-language), the one parser
 * that launch, brigctl and the tests share. What it makes, struct brig_pol,
 * is the text's meaning with every default applied; spec.h lowers it into
 * a container spec.
 */
#ifndef BRIG_POLICY_H
#define BRIG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dfa.h"
#include "error.h"
#include "kpolicy.h"
#include "names.h"
#include "spec.h"

enum brig_seccomp {
	BRIG_SECCOMP_DEFAULT,
	BRIG_SECCOMP_FILE,
	BRIG_SECCOMP_UNCONFINED,
};

/* mount bind HOST INSIDE [ro] | mount tmpfs INSIDE [size=N] */
struct brig_pol_mount {
	bool tmpfs;		/* else a bind mount */
	char *host;		/* bind only */
	char *inside;
	bool readonly;
	uint64_t size;		/* tmpfs, bytes; 0: default */
};

/* A parsed policy; every default of the language already applied. */
struct brig_pol {
	char *file;		/* as given */
	char *name;
	char *rootfs;		/* made absolute against the file's folder */
	char *image;		/* LAYOUT[:TAG], LAYOUT made absolute so; or NULL */
	unsigned int said;	/* BRIG_SAID_*: what the file said, not a default */
	bool trust_required;	/* `trust required`: an image must be signed */
	bool readonly_rootfs;
	char **command;		/* NULL-terminated */
	char *workdir;
	char **env;		/* NAME=VALUE, NULL-terminated */
	char *hostname;
	uid_t uid;
	gid_t gid;
	uint32_t namespaces;	/* enum brig_ns */
	struct brig_idmap uidmap[BRIG_IDMAP_MAX], gidmap[BRIG_IDMAP_MAX];
	size_t n_uidmap, n_gidmap;
	uint64_t caps;
	bool privileged;
	struct brig_device_node *devices;
	size_t n_devices;
	struct brig_pol_mount *mounts;
	size_t n_mounts;
	uint32_t pids_max;	/* 0: none */
	struct brig_rlimit rlimits[BRIG_RLIMITS_MAX];
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
	struct brig_sysctl sysctls[BRIG_SYSCTLS_MAX];
	size_t n_sysctls;
	struct brig_publish publish[BRIG_PUBLISH_MAX];
	size_t n_publish;
};

/* A policy file's size, at most. */
#define BRIG_POL_BYTES_MAX (16 << 20)

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

#endif /* BRIG_POLICY_H */
