/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: what brig-runtime keeps of a container it created, in
 * ROOT/ID/state.json (ROOT is --root, /run/brig-runtime by default, as
 * runc's /run/runc), and its status as runtime-spec says it: created (the
 * init held on ROOT/ID/exec.fifo), running, stopped.
 *
 * The init is not the runtime's child (conmon or containerd's shim reaps
 * it), so a pid alone could name another process once it is reaped: the
 * record keeps the init's start time too, and a pid whose start time
 * differs is the container stopped.
 */
#ifndef BRIG_OCI_STATE_H
#define BRIG_OCI_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"
#include "oci.h"
#include "spec.h"

#define BRIG_OCI_ROOT "/run/brig-runtime"
/* The runtime-spec version brig-runtime speaks, as `state` and `features` say it. */
#define BRIG_OCI_VERSION BRIG_OCI_SPEC_VERSION

enum brig_oci_status {
	BRIG_OCI_CREATED,
	BRIG_OCI_RUNNING,
	BRIG_OCI_STOPPED,
};

struct brig_oci_state {
	char id[BRIG_OCI_ID_MAX + 1];
	char dir[4096];		/* ROOT/ID */
	char bundle[4096];
	char rootfs[4096];
	pid_t pid;		/* the init, in the runtime's pid namespace */
	uint64_t start_time;	/* the init's, /proc/PID/stat's field 22 */
	uint32_t brig_id;	/* brig.ko's id of the container */
	uint64_t pidns_ino;	/* the init's pid namespace */
	struct timespec created;
	char *annotations;	/* a JSON object's text; NULL: none */
	/*
	 * What an exec's process takes of the container's: its seccomp
	 * filter (ROOT/ID/seccomp.bpf, seccomp_len instructions; an exec
	 * refuses a missing or changed one) and, without --process, its
	 * user and capabilities.
	 */
	uint32_t seccomp_len, seccomp_flags;
	uid_t uid;
	gid_t gid;
	struct brig_caps caps;
	bool no_new_privs;
	char *apparmor_profile;	/* NULL: none */
	char *cgroup;		/* the cgroup v2 path the container is in; NULL: none */
	/* The hooks start and delete run, kept (the bundle may be gone by then). */
	struct brig_hook *poststart, *poststop;
	size_t n_poststart, n_poststop;
};

/* ROOT/ID, or -1 (ENAMETOOLONG). */
int brig_oci_state_dir(const char *root, const char *id, char *buf, size_t len);
/*
 * Writes @st to its dir's state.json (atomically: a temporary file
 * renamed). 0, or -1 with *err set.
 */
int brig_oci_state_save(const struct brig_oci_state *st, struct brig_error **err);
/*
 * Reads ROOT/ID/state.json into @st: -1 with *err set, "container does
 * not exist" if there is none.
 */
int brig_oci_state_load(const char *root, const char *id, struct brig_oci_state *st,
			struct brig_error **err);
void brig_oci_state_release(struct brig_oci_state *st);
/* The status now. */
enum brig_oci_status brig_oci_status(const struct brig_oci_state *st);
const char *brig_oci_status_name(enum brig_oci_status status);
/* /proc/@pid/stat's start time (field 22), or 0 if it has none (gone). */
uint64_t brig_proc_start_time(pid_t pid);
/* @ts as RFC 3339 with nanoseconds, UTC ("2026-12-02T05:40:00.123456789Z"), runc's. */
void brig_oci_timestamp(const struct timespec *ts, char *buf, size_t len);
/*
 * The runtime-spec state JSON @st in @status (runc's fields and order:
 * ociVersion, id, pid, status, bundle, rootfs, created, annotations,
 * owner), indented as runc's `state`, or on one line (@pretty false, for
 * hooks): a string the caller frees, or NULL (ENOMEM).
 */
char *brig_oci_state_json(const struct brig_oci_state *st, enum brig_oci_status status,
			  bool pretty);

#endif /* BRIG_OCI_STATE_H */
