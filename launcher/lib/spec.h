/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the container spec, everything needed to start one container.
 *
 * The data path:  .pol text --policy.c--> struct brig_pol --spec.c-->
 * struct brig_container_spec --(launch's engine, nl.c)--> brig.ko.
 *
 * A front end (the .pol parser today, an OCI config.json later) lowers into
 * this one object; nothing that starts a container from it knows which
 * front end made it. Every choice is settled here: privileged, the seccomp
 * profile, Docker's devices and paths, the kernel policy.
 */
#ifndef BRIG_SPEC_H
#define BRIG_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "kpolicy.h"
#include "seccomp.h"

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
#define BRIG_NS_COUNT 8

/* The index of namespace @ns (one enum brig_ns bit) in per-namespace arrays. */
static inline unsigned int brig_ns_index(uint32_t ns)
{
	return (unsigned int)__builtin_ctz(ns);
}

/* Lines of a uid or gid map, as the kernel takes at most. */
#define BRIG_IDMAP_MAX 16
/* Resource limits one container sets at most. */
#define BRIG_RLIMITS_MAX 16

struct brig_idmap {
	uint32_t inside, outside, count;
};

/* A host device node made inside the container. */
struct brig_device_node {
	char *host, *inside;
	char perms[4];		/* of "rwm" */
};

/*
 * A mount of the container's, made in list order inside its root: an OCI
 * mounts[] entry, and what a policy's lowering makes of /proc, /sys, /dev
 * and its `mount` lines. A /dev that is not bound gets the default device
 * nodes and links (as runc's): the engine's own, as fresh as the tmpfs.
 */
struct brig_mount {
	char *type;		/* "bind", or a filesystem: tmpfs, proc, sysfs, devpts... */
	char *source;		/* bind: the host's path */
	char *destination;	/* absolute, inside the root */
	unsigned long flags;	/* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, ... */
	/* MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE, | MS_REC; 0: as made */
	unsigned long propagation;
	char *data;		/* the filesystem's options; NULL: none */
	bool recursive;		/* bind: with the mounts below the source (rbind) */
	/*
	 * Symbolic links on the way to @destination are followed, inside the
	 * root (volumes, as Docker's); else one refuses the mount
	 * (CVE-2019-16884, CVE-2023-28642).
	 */
	bool follow;
};

/* Whether @m binds a host path. */
static inline bool brig_mount_is_bind(const struct brig_mount *m)
{
	return m->type && !__builtin_strcmp(m->type, "bind");
}

struct brig_rlimit {
	int resource;		/* RLIMIT_* */
	uint64_t soft, hard;	/* RLIM_INFINITY for unlimited */
};

/* Sysctls a container sets, at most. */
#define BRIG_SYSCTLS_MAX 64

/* A namespaced sysctl, "net.ipv4.ping_group_range", and the value it gets. */
struct brig_sysctl {
	char *name;
	char *value;
};

/*
 * The namespace (BRIG_NS_NET, _IPC or _UTS) the sysctl @name is one of, as
 * runc takes them; 0 if it is none: setting it would change the host.
 */
uint32_t brig_sysctl_namespace(const char *name);

/* Ports a container publishes, at most. */
#define BRIG_PUBLISH_MAX 64

/* publish HOSTPORT:PORT[/tcp|udp] (docker run -p): a host port forwarded in. */
struct brig_publish {
	uint16_t host_port;	/* on the host, every address */
	uint16_t port;		/* inside the container */
	bool udp;		/* else tcp */
};

/*
 * Parses "HOSTPORT:PORT[/tcp|udp]" into @out. Returns 0, or -1 with *why
 * (a message) and *at (the offset in @text it is about) set.
 */
int brig_publish_parse(const char *text, struct brig_publish *out, const char **why,
		       size_t *at);
/* Whether @list (of @n) publishes @p's host port and protocol already. */
bool brig_publish_taken(const struct brig_publish *list, size_t n, const struct brig_publish *p);
/* "8080:80/tcp" */
void brig_publish_format(const struct brig_publish *p, char *buf, size_t len);

/* A process's five capability sets; bit N is capability N. */
struct brig_caps {
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

/*
 * Docker's sets for @set: bounding @set; permitted and effective @set for
 * root, none for another user (execve gives it what file capabilities
 * allow within the bounding set); no inheritable or ambient one.
 */
struct brig_caps brig_caps_docker(uint64_t set, uid_t uid);

/* Supplementary groups a process has, at most (as NGROUPS of runc's checks). */
#define BRIG_GROUPS_MAX 64

/* The container's first process. */
struct brig_process {
	char **argv;		/* NULL-terminated */
	char **env;		/* NAME=VALUE, NULL-terminated */
	char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t groups[BRIG_GROUPS_MAX];	/* supplementary */
	size_t n_groups;
	struct brig_caps caps;
	bool no_new_privs;
	struct brig_rlimit rlimits[BRIG_RLIMITS_MAX];
	size_t n_rlimits;
	int umask;		/* -1: Docker's, 0022 */
	bool terminal;		/* on a pty (the front end says whose) */
	bool set_oom_score_adj;
	int oom_score_adj;
	char *apparmor_profile;	/* AppArmor's profile to exec under; NULL: none */
};

/* Where in a container's life hooks run (runtime-spec's names). */
enum brig_hook_point {
	BRIG_HOOK_PRESTART,		/* runtime's namespace, after the container's are made */
	BRIG_HOOK_CREATE_RUNTIME,	/* the same moment */
	BRIG_HOOK_CREATE_CONTAINER,	/* in the container's mount namespace, before pivot_root */
	BRIG_HOOK_START_CONTAINER,	/* in the container, just before its process runs */
	BRIG_HOOK_POSTSTART,		/* runtime's namespace, once it runs */
	BRIG_HOOK_POSTSTOP,		/* runtime's namespace, once it is deleted */
	BRIG_HOOK_POINTS,
};

/* A program run at a hook point, given the container's state on stdin. */
struct brig_hook {
	char *path;		/* absolute */
	char **args;		/* NULL-terminated; NULL: just the path */
	char **env;		/* NULL-terminated; NULL: empty */
	int timeout;		/* seconds; 0: none */
};

/*
 * A cgroup v2 the container is put in, and its limits; 0 (or -1 for the
 * quota) leaves a limit as the kernel's default.
 */
struct brig_cgroup {
	char *path;		/* below the mount of cgroup2; NULL: no cgroup of its own */
	int64_t pids_max;
	int64_t memory_max;	/* bytes */
	int64_t memory_swap_max;	/* bytes, swap alone (cgroup v2's) */
	uint64_t cpu_weight;	/* 1 to 10000 */
	int64_t cpu_quota;	/* microseconds per period; -1: none */
	uint64_t cpu_period;	/* microseconds */
};

/* What a policy said itself, which an image's config does not override. */
enum {
	BRIG_SAID_COMMAND = 1 << 0,
	BRIG_SAID_WORKDIR = 1 << 1,
	BRIG_SAID_USER = 1 << 2,
};

struct brig_container_spec {
	char *source;		/* what it was made from, for messages */
	char *bundle;		/* an OCI bundle's folder, for hooks' state; NULL: none */
	char *name;		/* brig.ko's name of it */
	char *id;		/* an OCI container's id, for hooks' state; NULL: the name */
	char *rootfs;		/* absolute; with an image, the mount point of its root */
	/* An image's unpacked layers, lowest first: the root is their overlay. NULL: none. */
	char **image_layers;
	char *image;		/* LAYOUT[:TAG] the root is to be made of; NULL: rootfs */
	unsigned int said;	/* BRIG_SAID_*: what the policy said, over an image's config */
	bool trust_required;	/* content trust: the image's signature must verify */
	bool readonly_rootfs;
	char *hostname;
	struct brig_process process;
	uint32_t namespaces;	/* enum brig_ns; pid and mount always */
	struct brig_idmap uidmap[BRIG_IDMAP_MAX], gidmap[BRIG_IDMAP_MAX];
	size_t n_uidmap, n_gidmap;
	/* Joined instead of made (OCI's paths, for pods); by brig_ns_index(); NULL: new. */
	char *ns_paths[BRIG_NS_COUNT];
	/* Of the mounts below the root: MS_PRIVATE (the default) or another, | MS_REC. */
	unsigned long rootfs_propagation;
	struct brig_mount *mounts;	/* in order; /proc, /sys and /dev among them */
	size_t n_mounts;
	/* NULL-terminated; NULL: none. Read-only ones first, then the masked (runc's order). */
	char **readonly_paths;
	char **masked_paths;	/* read empty: a directory a tmpfs, a file /dev/null */
	struct brig_device_node *devices;
	size_t n_devices;
	struct brig_sysctl sysctls[BRIG_SYSCTLS_MAX];	/* each namespaced */
	size_t n_sysctls;
	/* Forwarded by pasta into the container's own network namespace. */
	struct brig_publish publish[BRIG_PUBLISH_MAX];
	size_t n_publish;
	bool privileged;	/* said, for warnings; settled in the fields above */
	/* NULL: unconfined; else the profile, and whether the spec owns it. */
	const struct brig_sc_profile *seccomp;
	struct brig_sc_profile *seccomp_owned;
	struct brig_hook *hooks[BRIG_HOOK_POINTS];
	size_t n_hooks[BRIG_HOOK_POINTS];
	struct brig_cgroup cgroup;
	char *annotations;	/* a JSON object's text, for the runtime's state; NULL: none */
	struct brig_policy_spec kernel;
};

struct brig_pol;

/* Docker's default devices (the device cgroup's allow list), each rw. */
extern const struct brig_device_rule brig_default_device_rules[];
extern const size_t brig_n_default_device_rules;

/*
 * Lowers @pol: the kernel policy (Docker's devices and each `device` line's
 * host node, stat()ed for its number; the file rules compiled), the seccomp
 * profile loaded, and `privileged` settled for every field.
 */
int brig_spec_from_pol(const struct brig_pol *pol, struct brig_container_spec **out,
		       struct brig_error **err);
void brig_spec_free(struct brig_container_spec *spec);
/*
 * Only the kernel half, what brig.ko enforces for @pol (the lowering's
 * last step; tests that register containers of their own use it alone):
 * caps, mode, ceiling, socket rules, the device list, the flags, the file
 * rules compiled. Free with brig_policy_spec_release().
 */
int brig_kernel_policy_from_pol(const struct brig_pol *pol, struct brig_policy_spec *spec,
				struct brig_error **err);
/*
 * Adds a published port to @spec (launch -p), refusing a host port and
 * protocol published already and a container on the host's network.
 */
int brig_spec_publish(struct brig_container_spec *spec, const struct brig_publish *p,
		      struct brig_error **err);
/* Appends a copy of @m to @spec's mounts. 0, or -1 (ENOMEM). */
int brig_spec_add_mount(struct brig_container_spec *spec, const struct brig_mount *m);
/* The mount on /dev, if the spec binds the host's there (privileged): else NULL. */
const struct brig_mount *brig_spec_dev_bind(const struct brig_container_spec *spec);
struct brig_image;

/*
 * An empty directory every container can reach (0755, root's), on which
 * each attaches its image's root in its own mount namespace: the host's
 * never has anything mounted there.
 */
#define BRIG_IMAGE_MOUNTPOINT "/run/brig-root"

/*
 * Makes @img @spec's root, as docker run does: its layers unpacked in the
 * cache @cache (layer.h), the root their overlay, mounted on
 * BRIG_IMAGE_MOUNTPOINT in the container's own mount namespace; the config's defaults where the policy said nothing:
 * Env under the policy's, WorkingDir, User (numeric, as UID[:GID]). The
 * command is @entrypoint (NULL: the image's Entrypoint) followed by @args
 * if given, else by the policy's `command` if it gave one, else by the
 * image's Cmd.
 */
int brig_spec_use_image(struct brig_container_spec *spec, const struct brig_image *img,
			const char *cache, char *const *entrypoint, char *const *args,
			struct brig_error **err);
/* Only the root, as an OCI bundle takes an image: the config's process is the bundle's. */
int brig_spec_image_root(struct brig_container_spec *spec, const struct brig_image *img,
			 const char *cache, struct brig_error **err);

/* Frees *spec and sets it to NULL, for __attribute__((cleanup)). */
void brig_spec_freep(struct brig_container_spec **spec);

/*
 * Sets NAME=VALUE in the NULL-terminated list *env (replacing NAME if
 * @replace, else only when NAME is not set). Returns 0 or -1 (ENOMEM).
 */
int brig_env_set(char ***env, const char *entry, bool replace);
/* A copy of the NULL-terminated @list, deep (an empty one for NULL); NULL on ENOMEM. */
char **brig_strv_copy(char *const *list);
/* Frees a NULL-terminated list of strings (argv, env) and its strings. */
void brig_strv_free(char **list);
/* Replaces *field with a copy of @value. Returns 0 or -1 (ENOMEM). */
int brig_spec_set_string(char **field, const char *value);

#endif /* BRIG_SPEC_H */
