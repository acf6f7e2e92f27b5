// SPDX-License-Identifier: GPL-2.0
/*
 * The OCI front end: tests/oci/config.json lowered into a container spec
 * field by field, the kernel half brig.ko gets from it, and every bad
 * bundle refused with its exact message. Prints TAP.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <linux/capability.h>

#include <brig.h>

#include "lib/oci.h"
#include "lib/policy.h"
#include "tap.h"

static char base[1 << 16];	/* tests/oci/config.json */
static char bundle[256];

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(2);
	}
}

/* The base config with the first @from replaced by @to, in the bundle. */
static void config_with(const char *from, const char *to)
{
	char text[sizeof(base) + 4096], path[300];
	const char *at = from ? strstr(base, from) : NULL;

	if (from && !at) {
		fprintf(stderr, "the base config has no `%s`\n", from);
		exit(2);
	}
	if (at)
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - base), base, to,
			 at + strlen(from));
	else
		snprintf(text, sizeof(text), "%s", base);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	write_text(path, text);
}

static struct brig_container_spec *lower(const char *policy, struct brig_error **err)
{
	struct brig_oci_options opt = { .id = "web", .policy = policy, .policy_dir = bundle };
	struct brig_container_spec *spec = NULL;

	if (brig_spec_from_oci(bundle, &opt, &spec, err))
		return NULL;
	return spec;
}

#define CAP(c) (1ULL << (c))

static void the_base_config(void)
{
	struct brig_error *err = NULL;
	struct brig_container_spec *spec;
	const uint64_t three = CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL) | CAP(CAP_NET_BIND_SERVICE);
	char rootfs[300], data[300];

	config_with(NULL, NULL);
	spec = lower(NULL, &err);
	ok(spec != NULL, "tests/oci/config.json lowers%s%s", err ? ": " : "", err ? err->msg : "");
	if (!spec) {
		brig_error_free(&err);
		return;
	}
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	snprintf(data, sizeof(data), "%s/data", bundle);
	ok(!strcmp(spec->name, "web") && !strcmp(spec->rootfs, rootfs) && spec->readonly_rootfs,
	   "the id names it; root.path is the bundle's, read-only");
	ok(!strcmp(spec->process.argv[0], "sh") && !strcmp(spec->process.argv[2], "echo hello from brig") &&
	   !spec->process.argv[3] && !strcmp(spec->process.env[1], "TERM=xterm") &&
	   !strcmp(spec->process.cwd, "/"), "args, env and cwd");
	ok(spec->process.n_groups == 1 && spec->process.groups[0] == 10, "additionalGids");
	ok(spec->process.caps.bounding == three && spec->process.caps.effective == three &&
	   spec->process.caps.permitted == three && !spec->process.caps.ambient &&
	   !spec->process.caps.inheritable,
	   "the five capability sets; ambient ones not inheritable are not raised (runc's)");
	ok(spec->process.n_rlimits == 1 && spec->process.rlimits[0].resource == RLIMIT_NOFILE &&
	   spec->process.rlimits[0].hard == 1024, "rlimits");
	ok(spec->process.no_new_privs && spec->process.set_oom_score_adj &&
	   spec->process.oom_score_adj == 100 && spec->process.umask == -1,
	   "noNewPrivileges, oomScoreAdj; no umask given");
	ok(spec->namespaces == (BRIG_NS_PID | BRIG_NS_NET | BRIG_NS_IPC | BRIG_NS_UTS |
				BRIG_NS_MOUNT | BRIG_NS_USER), "namespaces");
	ok(spec->n_uidmap == 1 && spec->uidmap[0].outside == 100000 &&
	   spec->uidmap[0].count == 65536 && spec->n_gidmap == 1, "uid and gid maps");
	ok(!strcmp(spec->hostname, "brig"), "hostname");
	ok(spec->n_mounts == 7 && !strcmp(spec->mounts[0].type, "proc") && !spec->mounts[0].follow &&
	   !strcmp(spec->mounts[1].destination, "/dev") &&
	   spec->mounts[1].flags == (MS_NOSUID | MS_STRICTATIME) &&
	   !strcmp(spec->mounts[1].data, "mode=755,size=65536k"),
	   "mounts in order, options as flags and data");
	ok(brig_mount_is_bind(&spec->mounts[6]) && !strcmp(spec->mounts[6].source, data) &&
	   spec->mounts[6].recursive && spec->mounts[6].flags == MS_RDONLY &&
	   spec->mounts[6].propagation == (MS_PRIVATE | MS_REC) && spec->mounts[6].follow,
	   "a bind: relative source in the bundle, rbind, ro, rprivate, links followed in the root");
	ok(!brig_spec_dev_bind(spec), "a tmpfs /dev: the engine populates it");
	ok(!strcmp(spec->masked_paths[0], "/proc/kcore") && !spec->masked_paths[2] &&
	   !strcmp(spec->readonly_paths[1], "/proc/sysrq-trigger"), "masked and read-only paths");
	ok(spec->n_sysctls == 1 && !strcmp(spec->sysctls[0].value, "0 0"), "sysctls");
	ok(spec->kernel.caps == three, "brig.ko's mask is the bounding set");
	ok(spec->kernel.pids_max == 32 && spec->cgroup.pids_max == 32,
	   "pids.limit: brig.ko's exact ceiling");
	ok((spec->kernel.flags & BRIG_POLICY_F_DEVICES) &&
	   spec->kernel.n_devices == brig_n_default_device_rules && !spec->kernel.dfa_len,
	   "deny-all devices: Docker's defaults only; no file rules without a .pol");
	ok(spec->annotations && strstr(spec->annotations, "\"org.example.k\":\"v\""),
	   "annotations kept for state");
	ok(!spec->seccomp, "no linux.seccomp: unconfined, as runc");
	brig_spec_free(spec);
}

static void a_policy_adds_rules(void)
{
	struct brig_error *err = NULL;
	struct brig_container_spec *spec;
	char pol[300];

	snprintf(pol, sizeof(pol), "%s/rules.pol", bundle);
	write_text(pol, "name x\ncaps drop ALL\ncaps add KILL SYS_ADMIN\npids max 8\n"
		   "deny /etc/shadow rw\ndeny network raw\n");
	config_with("\"org.example.k\": \"v\"", "\"org.example.k\": \"v\", \"org.brig.policy\": \"rules\"");
	spec = lower(NULL, &err);
	ok(spec && spec->kernel.dfa_len && spec->kernel.n_socket_rules,
	   "org.brig.policy names rules.pol in the policy folder: its file and socket rules%s%s",
	   err ? ": " : "", err ? err->msg : "");
	ok(spec && spec->kernel.caps == CAP(CAP_KILL), "caps: the .pol's and the bounding set's, both");
	ok(spec && spec->kernel.pids_max == 8, "the lower ceiling of the two");
	brig_spec_free(spec);
	brig_error_free(&err);

	spec = lower("/etc/brig/other.pol", &err);
	ok(!spec && err && strstr(err->msg, "the runtime's --policy /etc/brig/other.pol is pinned: the annotation may not name another"),
	   "a pinned --policy: an annotation naming another is refused (%s)", err ? err->msg : "");
	brig_error_free(&err);
	spec = lower(pol, &err);
	ok(spec != NULL, "a pinned --policy the annotation agrees with");
	brig_spec_free(spec);
	brig_error_free(&err);

	/* What a container's author may not choose: a path, a file others may write, complain mode. */
	config_with("\"org.example.k\": \"v\"", "\"org.example.k\": \"v\", \"org.brig.policy\": \"/etc/shadow\"");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "a policy's name in"), "an annotation may not give a path (%s)",
	   err ? err->msg : "accepted");
	brig_error_free(&err);
	config_with("\"org.example.k\": \"v\"", "\"org.example.k\": \"v\", \"org.brig.policy\": \"rules.pol\"");
	chmod(pol, 0666);
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "is not a regular file that root owns and only root may write"),
	   "a policy others may write is refused (%s)", err ? err->msg : "accepted");
	brig_error_free(&err);
	chmod(pol, 0644);
	write_text(pol, "name x\nmode complain\n");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "is in complain mode: only the runtime's --policy may be"),
	   "complain mode by annotation is refused (%s)", err ? err->msg : "accepted");
	brig_error_free(&err);
	spec = lower(pol, &err);
	ok(spec && spec->kernel.mode == BRIG_MODE_COMPLAIN, "complain mode from --policy, the runtime's caller's");
	brig_spec_free(spec);
	brig_error_free(&err);

	write_text(pol, "privileged\n");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "is privileged: a brig policy for an OCI container gives rules, not privilege"),
	   "a privileged .pol is refused");
	brig_error_free(&err);
}

static void device_rules(void)
{
	struct brig_error *err = NULL;
	struct brig_container_spec *spec;

	config_with("{ \"allow\": false, \"access\": \"rwm\" }",
		    "{ \"allow\": false, \"access\": \"rwm\" }, "
		    "{ \"allow\": true, \"type\": \"c\", \"major\": 10, \"minor\": 200, \"access\": \"rw\" }, "
		    "{ \"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"m\" }");
	spec = lower(NULL, &err);
	ok(spec && spec->kernel.n_devices == brig_n_default_device_rules + 1 &&
	   spec->kernel.devices[0].major == 10 && spec->kernel.devices[0].minor == 200 &&
	   spec->kernel.devices[0].access == (BRIG_PERM_READ | BRIG_PERM_WRITE),
	   "an allowed device joins the list; mknod alone adds nothing");
	brig_spec_free(spec);
	config_with("{ \"allow\": false, \"access\": \"rwm\" }",
		    "{ \"allow\": true, \"type\": \"c\", \"major\": 10, \"access\": \"rw\" }, "
		    "{ \"allow\": false, \"type\": \"c\", \"major\": 10, \"minor\": 200, \"access\": \"w\" }");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "linux.resources.devices[1]: a deny inside a wider allow cannot be enforced by brig.ko"),
	   "a hole in a wider allow is refused: %s", err ? err->msg : "");
	brig_error_free(&err);
	/* A wide deny across a wider allow, and one that meets an allow in part. */
	config_with("{ \"allow\": false, \"access\": \"rwm\" }",
		    "{ \"allow\": true, \"access\": \"rwm\" }, "
		    "{ \"allow\": false, \"type\": \"b\", \"major\": 8, \"access\": \"rwm\" }");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "linux.resources.devices[1]: a deny inside a wider allow"),
	   "deny b 8:* after allow all is refused, not dropped: %s", err ? err->msg : "accepted");
	brig_error_free(&err);
	config_with("{ \"allow\": false, \"access\": \"rwm\" }",
		    "{ \"allow\": false, \"access\": \"rwm\" }, "
		    "{ \"allow\": true, \"type\": \"c\", \"major\": 1, \"access\": \"rw\" }, "
		    "{ \"allow\": false, \"type\": \"c\", \"minor\": 3, \"access\": \"rw\" }");
	spec = lower(NULL, &err);
	ok(!spec && err && strstr(err->msg, "linux.resources.devices[2]: a deny inside a wider allow"),
	   "deny c *:3 across allow c 1:* is refused: %s", err ? err->msg : "accepted");
	brig_error_free(&err);
}

/* Each: a change to the base config, and the error it must give. */
static const struct {
	const char *from, *to, *want;
} bad[] = {
	{ "\"1.0.2-dev\"", "\"2.0.0\"", "config.json:2:2: ociVersion: unsupported ociVersion \"2.0.0\": brig runs runtime-spec 1.x" },
	{ "\"ociVersion\": \"1.0.2-dev\",", "", "config.json: \"ociVersion\" is required" },
	{ "{ \"type\": \"pid\" }", "{ \"type\": \"pdi\" }", "linux.namespaces[0]: unknown namespace type \"pdi\": user pid mount network uts ipc cgroup time" },
	{ "{ \"type\": \"pid\" }", "{ \"type\": \"mount\" }", "linux.namespaces[4]: namespace \"mount\" given twice" },
	{ "\"readonlyPaths\"", "\"readonlyPath\"", ":50:3: linux.readonlyPath: unknown field \"readonlyPath\"" },
	{ "\"noNewPrivileges\": true", "\"noNewPrivileges\": \"yes\"", "process.noNewPrivileges: expected a boolean" },
	{ "\"args\": [ \"sh\", \"-c\", \"echo hello from brig\" ],", "\"args\": [],", "process.args: \"args\" needs at least the program to run" },
	{ "\"cwd\": \"/\"", "\"cwd\": \"tmp\"", "process.cwd: \"cwd\" is required, an absolute path" },
	{ "\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n\t\t\t\"effective\"", "\"CAP_KIL\" ],\n\t\t\t\"effective\"", "process.capabilities.bounding[1]: unknown capability \"CAP_KIL\"" },
	{ "\"RLIMIT_NOFILE\"", "\"RLIMIT_FILES\"", "process.rlimits[0].type: unknown rlimit \"RLIMIT_FILES\"" },
	{ "\"destination\": \"/data\"", "\"destination\": \"/data/../../etc\"", "mounts[6]: \"destination\" may not hold .." },
	{ "\"destination\": \"/data\"", "\"destination\": \"data\"", "mounts[6]: \"destination\" is required, an absolute path" },
	{ "\"rbind\", \"ro\"", "\"rbind\", \"idmap\"", "mounts[6].options[1]: mount option \"idmap\" is not supported" },
	{ "\"destination\": \"/proc\", \"type\": \"proc\"", "\"destination\": \"/x\", \"type\": \"proc\"", "mounts[0]: proc may be mounted only on /proc" },
	{ "\"net.ipv4.ping_group_range\"", "\"kernel.core_pattern\"", "linux.sysctl.kernel.core_pattern: sysctl \"kernel.core_pattern\" is not namespaced: it would change the host" },
	{ "{ \"type\": \"network\" }, ", "", "linux.sysctl.net.ipv4.ping_group_range: sysctl \"net.ipv4.ping_group_range\" needs a network namespace of the container's" },
	{ ", { \"type\": \"user\" }", "", "linux: uid and gid mappings need a new user namespace" },
	{ "\"path\": \"rootfs\"", "\"path\": \"nowhere\"", "root.path `" },
	{ "\"pids\": { \"limit\": 32 }", "\"pids\": { \"limit\": 32 }, \"blockIO\": { \"weight\": 10 }", "linux.resources.blockIO: not supported by brig (pids, memory, cpu and devices are)" },
	{ "\"pids\": { \"limit\": 32 }", "\"pids\": { \"limit\": 32, \"max\": 1 }", "linux.resources.pids.max: unknown field \"max\"" },
	{ "\"maskedPaths\"", "\"seccomp\": { \"defaultAction\": \"SCMP_ACT_NOTIFY\" }, \"maskedPaths\"", "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY needs a seccomp agent, which brig does not run" },
	{ "\"maskedPaths\"", "\"cgroupsPath\": \"system.slice:brig:web\", \"maskedPaths\"", "linux.cgroupsPath: a cgroup v2 path (systemd's slice:prefix:name form needs --systemd-cgroup, which brig does not support)" },
	{ "\"mounts\": [", "\"mounts\": [ { \"destination\": \"/x\", \"type\": \"bind\" },", "mounts[0]: a bind mount needs a \"source\"" },
	{ "\"hostname\": \"brig\",", "\"hostname\": \"brig\", \"hooks\": { \"prestart\": [ { \"path\": \"hook\" } ] },", "hooks.prestart[0]: \"path\" is required, an absolute path" },
	{ "\"oomScoreAdj\": 100", "\"oomScoreAdj\": 2000", "process.oomScoreAdj: expected -1000 to 1000" },
	{ "\"terminal\": false,", "\"terminal\": false,,", "config.json:4:21: invalid JSON: quoted object property name expected" },
};

static void bad_bundles(void)
{
	struct brig_error *err = NULL;
	struct brig_container_spec *spec;
	char path[300];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_with(bad[i].from, bad[i].to);
		spec = lower(NULL, &err);
		ok(!spec && err && strstr(err->msg, bad[i].want), "refused: %s (got: %s)", bad[i].want,
		   err ? err->msg : "accepted");
		brig_spec_free(spec);
		brig_error_free(&err);
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	unlink(path);
	spec = lower(NULL, &err);
	ok(!spec && err && err->errnum == ENOENT && strstr(err->msg, ": config.json"),
	   "no config.json: %s", err ? err->msg : "accepted");
	brig_error_free(&err);
}

int main(int argc, char **argv)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/oci/config.json", argc > 1 ? argv[1] : ".");
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	n = fread(base, 1, sizeof(base) - 1, f);
	fclose(f);
	base[n] = '\0';
	snprintf(bundle, sizeof(bundle), "/tmp/brig-oci-test.XXXXXX");
	if (!mkdtemp(bundle))
		return 2;
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/data", bundle);
	mkdir(path, 0755);

	the_base_config();
	a_policy_adds_rules();
	device_rules();
	bad_bundles();

	snprintf(path, sizeof(path), "rm -rf '%s'", bundle);
	if (system(path))
		return 2;
	return tap_done();
}
