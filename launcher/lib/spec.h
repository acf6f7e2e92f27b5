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

/* The container's first process. */
struct brig_process {
	char **argv;		/* NULL-terminated */
	char **env;		/* NAME=VALUE, NULL-terminated */
	char *cwd;
	uid_t uid;
	gid_t gid;
	uint64_t caps;		/* every set but ambient; bit N = capability N */
	bool no_new_privs;
	struct brig_rlimit rlimits[BRIG_RLIMITS_MAX];
	size_t n_rlimits;
};

struct brig_container_spec {
	char *source;		/* what it was made from, for messages */
	char *name;
	char *rootfs;		/* absolute */
	bool readonly_rootfs;
	char *hostname;
	struct brig_process process;
	uint32_t namespaces;	/* enum brig_ns; pid and mount always */
	struct brig_idmap uidmap[BRIG_IDMAP_MAX], gidmap[BRIG_IDMAP_MAX];
	size_t n_uidmap, n_gidmap;
	struct brig_mount *mounts;
	size_t n_mounts;
	struct brig_device_node *devices;
	size_t n_devices;
	struct brig_sysctl sysctls[BRIG_SYSCTLS_MAX];	/* each namespaced */
	size_t n_sysctls;
	/* Forwarded by pasta into the container's own network namespace. */
	struct brig_publish publish[BRIG_PUBLISH_MAX];
	size_t n_publish;
	bool host_dev;		/* the host's /dev, bound (privileged) */
	bool sys_writable;	/* /sys read-write (privileged) */
	bool docker_paths;	/* Docker's masked and read-only paths */
	bool privileged;	/* said, for warnings; settled in the fields above */
	/* NULL: unconfined; else the profile, and whether the spec owns it. */
	const struct brig_sc_profile *seccomp;
	struct brig_sc_profile *seccomp_owned;
	struct brig_policy_spec kernel;
};

struct brig_pol;

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
/* Frees *spec and sets it to NULL, for __attribute__((cleanup)). */
void brig_spec_freep(struct brig_container_spec **spec);

/*
 * Sets NAME=VALUE in the NULL-terminated list *env (replacing NAME if
 * @replace, else only when NAME is not set). Returns 0 or -1 (ENOMEM).
 */
int brig_env_set(char ***env, const char *entry, bool replace);
/* Frees a NULL-terminated list of strings (argv, env) and its strings. */
void brig_strv_free(char **list);
/* Replaces *field with a copy of @value. Returns 0 or -1 (ENOMEM). */
int brig_spec_set_string(char **field, const char *value);

#endif /* BRIG_SPEC_H */
