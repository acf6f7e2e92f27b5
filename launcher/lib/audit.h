/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: brigctl audit, a docker-bench-security for brig. What is found
 * (facts: the host's settings, brig.ko's state, and each running
 * container as brig.ko and /proc see it, audit_facts.c) is kept apart from
 * the checks made of it (audit.c), so that every check can be tried on
 * facts made up for it.
 *
 * Checks have docker-bench's ids where CIS's Docker benchmark has one
 * (5.x, container runtime), and brig's own otherwise (H.x, the host; B.x,
 * brig.ko and what it enforces). Each result is PASS, WARN or INFO, with
 * what was found and, for a WARN, a one-line remedy.
 */
#ifndef BRIG_AUDIT_H
#define BRIG_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "error.h"
#include "nl.h"

/* Bounds of what one audit holds: every one checked as facts are gathered. */
#define BRIG_AUDIT_CONTAINERS_MAX	1024
#define BRIG_AUDIT_MOUNTS_MAX		16	/* sensitive host paths listed per container */
#define BRIG_AUDIT_DETAIL_MAX		256

/* The state directories whose permissions are checked. */
#define BRIG_AUDIT_DIRS 3

enum brig_audit_level { BRIG_AUDIT_PASS, BRIG_AUDIT_WARN, BRIG_AUDIT_INFO };

/* One namespace of a container: shared with the host's (the initial one), or not. */
enum brig_audit_ns { AUDIT_NS_NET, AUDIT_NS_PID, AUDIT_NS_IPC, AUDIT_NS_UTS, AUDIT_NS_USER,
		     AUDIT_NS_COUNT };

/*
 * What /proc says of a container may be unknown (its init gone meanwhile,
 * a file that could not be read): such a fact is never taken for a pass.
 */
struct brig_audit_container {
	struct brig_container_info info;	/* what brig.ko enforces */
	bool proc;		/* its init's status was read: no_new_privs, seccomp, cap_bounding */
	bool no_new_privs;
	int seccomp;		/* /proc/PID/status Seccomp: 0 off, 1 strict, 2 filter */
	uint64_t cap_bounding;	/* its init's; all if its status says none */
	int shared_ns[AUDIT_NS_COUNT];	/* 1: the host's, 0: its own, -1: unknown */
	int root_writable;	/* its root's mount, as statvfs says: 1, 0, -1 unknown */
	bool mounts;		/* its mountinfo and the host's were read: the next three are known */
	char shared_mount[BRIG_AUDIT_DETAIL_MAX];	/* a mount with shared propagation, or "" */
	size_t n_host_paths;	/* sensitive host paths mounted into it, and where */
	struct {
		char host[512], point[512];	/* as mountinfo gives them (struct mount) */
	} host_paths[BRIG_AUDIT_MOUNTS_MAX];
	char apparmor[64];	/* its init's AppArmor label, "" if none */
};

struct brig_audit_dir {
	const char *path;
	bool exists, symlink;
	uid_t uid;
	mode_t mode;
};

struct brig_audit_facts {
	/* The host's. -1: unknown (the file is not there). */
	char lockdown[32];		/* the selected mode of /sys/kernel/security/lockdown */
	int unprivileged_userns;	/* kernel.unprivileged_userns_clone (Debian's) */
	int max_user_namespaces;	/* user.max_user_namespaces */
	int sig_enforce;		/* module.sig_enforce */
	int ftrace_enabled;		/* kernel.ftrace_enabled: brig's hooks ride on it */
	struct brig_audit_dir dirs[BRIG_AUDIT_DIRS];
	/* brig.ko's. */
	bool module;			/* loaded, and its family answers */
	char module_error[BRIG_AUDIT_DETAIL_MAX];
	uint32_t abi;
	size_t n_containers;
	bool truncated;			/* more than BRIG_AUDIT_CONTAINERS_MAX: the rest unseen */
	struct brig_audit_container *containers;
};

/* One check's outcome; items: the containers (or things) it is about, with what was found. */
struct brig_audit_result {
	const char *id, *section, *title, *remedy;
	enum brig_audit_level level;
	char details[BRIG_AUDIT_DETAIL_MAX];
	size_t n_items;
	char **items;
};

/* Gathers the facts of this host, brig.ko and each running container. */
int brig_audit_gather(struct brig_audit_facts *f, struct brig_error **err);
void brig_audit_facts_release(struct brig_audit_facts *f);

/* Every check made of @f: *out holds *n results, in order. */
int brig_audit_run(const struct brig_audit_facts *f, struct brig_audit_result **out, size_t *n,
		   struct brig_error **err);
void brig_audit_results_free(struct brig_audit_result *r, size_t n);

/* "PASS", "WARN", "INFO". */
const char *brig_audit_level_name(enum brig_audit_level level);
/* The sections, in order: their ids and names ("5", "Container Runtime"). */
size_t brig_audit_sections(const char *const **ids, const char *const **names);

/* docker-bench's score: one up for each PASS, one down for each WARN. */
int brig_audit_score(const struct brig_audit_result *r, size_t n);
/* The results as docker-bench's JSON log (tests, results, checks, score). */
json_object *brig_audit_json(const struct brig_audit_result *r, size_t n, const char *version);

#endif /* BRIG_AUDIT_H */
