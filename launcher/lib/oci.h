/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the OCI front end. An OCI bundle's config.json (runtime-spec
 * 1.x) lowers into the container spec (spec.h) a .pol lowers into; the
 * same engine starts either. What brig.ko enforces comes from the same
 * config: the capability mask from the bounding set, the task ceiling from
 * linux.resources.pids.limit, device rules from linux.devices and
 * linux.resources.devices, and file and socket rules from a .pol: the
 * runtime's --policy (its caller's, any path), or one the annotation
 * org.brig.policy names in the policy folder (root's: whoever writes a
 * container's config chooses among the policies root put there, and never
 * complain mode).
 *
 * Read strictly: a field of a known object that brig does not know is
 * refused with its line and column (a typo must not weaken a container),
 * and so is one brig knows but cannot honour.
 */
#ifndef BRIG_OCI_H
#define BRIG_OCI_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* The annotation that names a .pol for a container's file and socket rules. */
#define BRIG_OCI_POLICY_ANNOTATION "org.brig.policy"
/* An OCI image layout (LAYOUT[:TAG], relative to the bundle) whose overlay is the root. */
#define BRIG_OCI_IMAGE_ANNOTATION "org.brig.image"
/* Where the annotation's policies are: NAME is BRIG_OCI_POLICY_DIR/NAME[.pol]. */
#define BRIG_OCI_POLICY_DIR "/etc/brig"

/* The runtime-spec version brig-runtime writes and reports. */
#define BRIG_OCI_SPEC_VERSION "1.0.2"

/* config.json's size, at most. */
#define BRIG_OCI_CONFIG_BYTES_MAX (4 << 20)

/* An OCI container id, at most (a folder's name in --root). */
#define BRIG_OCI_ID_MAX 255

/* Whether @id is one (runc's: letters, digits and _ + - .; not . or ..). */
bool brig_oci_id_valid(const char *id);
/*
 * The name brig.ko knows the container @id by: the id itself where it is a
 * brig name (63 characters at most), else its first 12, the short form
 * `podman ps` and `docker ps` show for their 64-digit ids.
 */
void brig_oci_kernel_name(const char *id, char *buf, size_t len);

struct brig_oci_options {
	const char *id;		/* the container's name */
	/*
	 * A .pol pinned by the runtime's caller (a Docker `runtimes` entry's
	 * runtimeArgs): an annotation may not name another. NULL: the
	 * annotation's, if any.
	 */
	const char *policy;
	const char *policy_dir;	/* the annotation's policies; NULL: BRIG_OCI_POLICY_DIR */
};

/*
 * Lowers the bundle at @bundle (its config.json and root) into *out.
 * Errors read "BUNDLE/config.json:LINE:COL: FIELD: message".
 */
int brig_spec_from_oci(const char *bundle, const struct brig_oci_options *opt,
		       struct brig_container_spec **out, struct brig_error **err);

/*
 * An exec's process (`brig-runtime exec --process FILE`): the "process"
 * object of a config.json, alone in @path, lowered into (*out)->process.
 */
int brig_oci_process_load(const char *path, struct brig_container_spec **out,
			  struct brig_error **err);

/*
 * A config.json to start from (brig-runtime spec), as runc's: a printf
 * format whose one %s ends linux.namespaces' list (and may add a user
 * namespace and its maps).
 */
const char *brig_oci_default_config(void);

#endif /* BRIG_OCI_H */
