// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig netlink client: containers. REGISTER, SET_POLICY and UNREGISTER
 * with the kernel policy's attributes; GET and its dump read them back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <brig.h>

#include "nl.h"
#include "nl_private.h"

/* Adds the container selector: by name if given, else by id. */
static int put_selector(struct nl_msg *msg, uint32_t id, const char *name)
{
	if (name)
		return nla_put_string(msg, BRIG_A_NAME, name);
	return nla_put_u32(msg, BRIG_A_ID, id);
}

/* A message big enough for any policy: file rules may take megabytes. */
static struct nl_msg *policy_msg(struct brig_nl *nl, uint8_t cmd,
				 const struct brig_policy_spec *p)
{
	struct nl_msg *msg brig_cleanup_nlmsg =
		nlmsg_alloc_size(p->dfa_len + 8192 + p->n_devices * 64);

	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd, BRIG_GENL_VERSION))
		return NULL;
	return brig_steal(&msg);
}

static int put_policy(struct nl_msg *msg, const struct brig_policy_spec *p)
{
	struct nlattr *nest, *rule;
	size_t i;

	nest = nla_nest_start(msg, BRIG_A_POLICY);
	if (!nest)
		return -1;
	if (p->mode && nla_put_u32(msg, BRIG_POLICY_A_MODE, p->mode) < 0)
		return -1;
	if (nla_put_u64(msg, BRIG_POLICY_A_CAPS, p->caps) < 0)
		return -1;
	if (p->pids_max && nla_put_u32(msg, BRIG_POLICY_A_PIDS_MAX, p->pids_max) < 0)
		return -1;
	for (i = 0; i < p->n_socket_rules; i++) {
		rule = nla_nest_start(msg, BRIG_POLICY_A_SOCKET_DENY);
		if (!rule ||
		    nla_put_u32(msg, BRIG_SOCKET_A_FAMILY, p->socket_rules[i].family) < 0 ||
		    nla_put_u32(msg, BRIG_SOCKET_A_TYPE, p->socket_rules[i].type) < 0)
			return -1;
		nla_nest_end(msg, rule);
	}
	if (p->flags && nla_put_u32(msg, BRIG_POLICY_A_FLAGS, p->flags) < 0)
		return -1;
	for (i = 0; i < p->n_devices; i++) {
		const struct brig_device_rule *d = &p->devices[i];

		rule = nla_nest_start(msg, BRIG_POLICY_A_DEVICE);
		if (!rule || nla_put_u32(msg, BRIG_DEVICE_A_TYPE, d->type) < 0 ||
		    (d->major != BRIG_DEVICE_ANY &&
		     nla_put_u32(msg, BRIG_DEVICE_A_MAJOR, d->major) < 0) ||
		    (d->minor != BRIG_DEVICE_ANY &&
		     nla_put_u32(msg, BRIG_DEVICE_A_MINOR, d->minor) < 0) ||
		    nla_put_u32(msg, BRIG_DEVICE_A_ACCESS, d->access) < 0)
			return -1;
		nla_nest_end(msg, rule);
	}
	nla_nest_end(msg, nest);
	/* The DFA beside the nest, in chunks: an attribute holds 64 KiB. */
	for (i = 0; i < p->dfa_len; i += BRIG_DFA_CHUNK_MAX) {
		size_t chunk = p->dfa_len - i < BRIG_DFA_CHUNK_MAX ?
			       p->dfa_len - i : BRIG_DFA_CHUNK_MAX;

		if (nla_put(msg, BRIG_A_DFA, chunk, (const char *)p->dfa + i) < 0)
			return -1;
	}
	return 0;
}

static int parse_id(const struct nlmsghdr *hdr, struct nlattr **tb, void *arg,
		    struct brig_error **err)
{
	(void)hdr;
	if (!tb[BRIG_A_ID])
		return brig_error_make(err, EPROTO, "reply has no container id");
	*(uint32_t *)arg = nla_get_u32(tb[BRIG_A_ID]);
	return 0;
}

/* A policy whose capabilities void its own file rules, unless insisted on. */
static int check_voiding(const struct brig_policy_spec *policy, struct brig_error **err)
{
	uint64_t caps = brig_spec_voiding_caps(policy);
	char why[1024];

	if (!caps || policy->unsafe_caps)
		return 0;
	brig_voiding_describe(caps, why, sizeof(why));
	return brig_error_make(err, EPERM,
		"the policy's capabilities void its own file rules: %s (insist with --unsafe-caps)",
		why);
}

int brig_nl_register(struct brig_nl *nl, pid_t init_pid, const char *name,
		     const struct brig_policy_spec *policy, uint32_t *id,
		     struct brig_error **err)
{
	struct nl_msg *msg brig_cleanup_nlmsg = NULL;

	*id = 0;
	if (check_voiding(policy, err) < 0)
		return brig_error_wrap(err, "registering `%s`", name);
	msg = policy_msg(nl, BRIG_CMD_REGISTER, policy);
	if (!msg || nla_put_u32(msg, BRIG_A_INIT_PID, (uint32_t)init_pid) < 0 ||
	    nla_put_string(msg, BRIG_A_NAME, name) < 0 ||
	    put_policy(msg, policy) < 0)
		return brig_error_make(err, EMSGSIZE, "registering `%s`", name);
	if (brig_nl_request(nl, brig_steal(&msg), parse_id, id, "registering", err) < 0)
		return brig_error_wrap(err, "container `%s`", name);
	if (!*id)
		return brig_error_make(err, EPROTO, "registering `%s`: no id in reply", name);
	return 0;
}

int brig_nl_set_policy(struct brig_nl *nl, uint32_t id, const char *name,
		       const struct brig_policy_spec *policy,
		       struct brig_error **err)
{
	struct nl_msg *msg brig_cleanup_nlmsg = NULL;

	if (check_voiding(policy, err) < 0)
		return brig_error_wrap(err, "setting the policy");
	msg = policy_msg(nl, BRIG_CMD_SET_POLICY, policy);
	if (!msg || put_selector(msg, id, name) < 0 || put_policy(msg, policy) < 0)
		return brig_error_make(err, EMSGSIZE, "setting the policy");
	return brig_nl_request(nl, brig_steal(&msg), NULL, NULL, "setting the policy", err);
}

int brig_nl_set_mode(struct brig_nl *nl, uint32_t id, const char *name, uint32_t mode,
		     struct brig_error **err)
{
	struct nl_msg *msg brig_cleanup_nlmsg = brig_nl_msg(nl, BRIG_CMD_SET_POLICY, 0);

	if (!msg || put_selector(msg, id, name) < 0 || nla_put_u32(msg, BRIG_A_MODE, mode) < 0)
		return brig_error_make(err, EMSGSIZE, "switching the mode");
	return brig_nl_request(nl, brig_steal(&msg), NULL, NULL, "switching the mode", err);
}

int brig_nl_unregister(struct brig_nl *nl, uint32_t id, const char *name,
		       struct brig_error **err)
{
	struct nl_msg *msg brig_cleanup_nlmsg = brig_nl_msg(nl, BRIG_CMD_UNREGISTER, 0);

	if (!msg || put_selector(msg, id, name) < 0)
		return brig_error_make(err, EMSGSIZE, "unregistering");
	return brig_nl_request(nl, brig_steal(&msg), NULL, NULL, "unregistering", err);
}

static void parse_policy(struct nlattr *nest, struct brig_policy_spec *p)
{
	struct nlattr *attr, *field;
	int rem, rem2;

	memset(p, 0, sizeof(*p));
	nla_for_each_nested(attr, nest, rem) {
		switch (nla_type(attr)) {
		case BRIG_POLICY_A_MODE:
			p->mode = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_CAPS:
			p->caps = nla_get_u64(attr);
			break;
		case BRIG_POLICY_A_PIDS_MAX:
			p->pids_max = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DFA_STATES:
			p->dfa_states = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DFA_BYTES:
			p->dfa_bytes = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_FLAGS:
			p->flags = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DEVICE:
			if (p->n_devices == BRIG_DEVICE_RULES_MAX)
				break;
			p->devices[p->n_devices] = (struct brig_device_rule){
				.major = BRIG_DEVICE_ANY, .minor = BRIG_DEVICE_ANY,
			};
			nla_for_each_nested(field, attr, rem2) {
				struct brig_device_rule *d = &p->devices[p->n_devices];

				switch (nla_type(field)) {
				case BRIG_DEVICE_A_TYPE: d->type = nla_get_u32(field); break;
				case BRIG_DEVICE_A_MAJOR: d->major = nla_get_u32(field); break;
				case BRIG_DEVICE_A_MINOR: d->minor = nla_get_u32(field); break;
				case BRIG_DEVICE_A_ACCESS: d->access = nla_get_u32(field); break;
				}
			}
			p->n_devices++;
			break;
		case BRIG_POLICY_A_SOCKET_DENY:
			if (p->n_socket_rules == BRIG_SOCKET_RULES_MAX)
				break;
			nla_for_each_nested(field, attr, rem2) {
				if (nla_type(field) == BRIG_SOCKET_A_FAMILY)
					p->socket_rules[p->n_socket_rules].family = nla_get_u32(field);
				else if (nla_type(field) == BRIG_SOCKET_A_TYPE)
					p->socket_rules[p->n_socket_rules].type = nla_get_u32(field);
			}
			p->n_socket_rules++;
			break;
		}
	}
}

/* The HOOK nests, repeated: genlmsg_parse() keeps only the last of them. */
static void parse_hooks(const struct nlmsghdr *hdr,
			struct brig_container_info *c)
{
	const struct genlmsghdr *ghdr = nlmsg_data(hdr);
	struct nlattr *attr, *field;
	int rem, rem2;

	nla_for_each_attr(attr, genlmsg_attrdata(ghdr, 0),
			  genlmsg_attrlen(ghdr, 0), rem) {
		struct brig_hook_info *hook;

		if (nla_type(attr) != BRIG_A_HOOK || c->n_hooks == BRIG_HOOKS_MAX)
			continue;
		hook = &c->hooks[c->n_hooks++];
		nla_for_each_nested(field, attr, rem2) {
			if (nla_type(field) == BRIG_HOOK_A_NAME)
				snprintf(hook->name, sizeof(hook->name), "%s",
					 nla_get_string(field));
			else if (nla_type(field) == BRIG_HOOK_A_MISSES)
				hook->misses = nla_get_u64(field);
		}
	}
}

static int parse_container(const struct nlmsghdr *hdr, struct nlattr **tb,
			   struct brig_container_info *c,
			   struct brig_error **err)
{
	static const int counters[] = {
		[BRIG_KIND_CAP] = BRIG_COUNTER_A_CAP,
		[BRIG_KIND_SOCKET] = BRIG_COUNTER_A_SOCKET,
		[BRIG_KIND_TASK] = BRIG_COUNTER_A_TASK,
		[BRIG_KIND_FILE] = BRIG_COUNTER_A_FILE,
		[BRIG_KIND_MOUNT] = BRIG_COUNTER_A_MOUNT,
		[BRIG_KIND_DEVICE] = BRIG_COUNTER_A_DEVICE,
	};
	_Static_assert(sizeof(counters) / sizeof(counters[0]) == BRIG_KIND_MAX + 1,
		       "a counter for every kind");
	struct nlattr *attr;
	int rem, kind;

	memset(c, 0, sizeof(*c));
	if (!tb[BRIG_A_ID] || !tb[BRIG_A_NAME] || !tb[BRIG_A_POLICY])
		return brig_error_make(err, EPROTO, "incomplete container from brig.ko");
	c->id = nla_get_u32(tb[BRIG_A_ID]);
	snprintf(c->name, sizeof(c->name), "%s", nla_get_string(tb[BRIG_A_NAME]));
	if (tb[BRIG_A_INIT_PID])
		c->init_pid = nla_get_u32(tb[BRIG_A_INIT_PID]);
	if (tb[BRIG_A_PIDNS_INO])
		c->pidns_ino = nla_get_u32(tb[BRIG_A_PIDNS_INO]);
	parse_policy(tb[BRIG_A_POLICY], &c->policy);
	if (tb[BRIG_A_TASKS])
		c->tasks = nla_get_u32(tb[BRIG_A_TASKS]);
	if (tb[BRIG_A_HOOK_MISSES])
		c->hook_misses = nla_get_u64(tb[BRIG_A_HOOK_MISSES]);
	if (tb[BRIG_A_EVENTS_LOST])
		c->events_lost = nla_get_u64(tb[BRIG_A_EVENTS_LOST]);
	if (tb[BRIG_A_DENIALS]) {
		nla_for_each_nested(attr, tb[BRIG_A_DENIALS], rem) {
			for (kind = 1; kind <= BRIG_KIND_MAX; kind++) {
				if (nla_type(attr) == counters[kind])
					c->denials[kind] = nla_get_u64(attr);
			}
		}
	}
	parse_hooks(hdr, c);
	return 0;
}

static int parse_get(const struct nlmsghdr *hdr, struct nlattr **tb,
		     void *arg, struct brig_error **err)
{
	return parse_container(hdr, tb, arg, err);
}

int brig_nl_get(struct brig_nl *nl, uint32_t id, const char *name,
		struct brig_container_info *info, struct brig_error **err)
{
	struct nl_msg *msg brig_cleanup_nlmsg = brig_nl_msg(nl, BRIG_CMD_GET, 0);

	if (!msg || put_selector(msg, id, name) < 0)
		return brig_error_make(err, EMSGSIZE, "getting a container");
	memset(info, 0, sizeof(*info));
	if (brig_nl_request(nl, brig_steal(&msg), parse_get, info, "getting a container", err) < 0)
		return -1;
	if (!info->id)
		return brig_error_make(err, EPROTO, "brig.ko sent no container");
	return 0;
}

struct dump_state {
	int (*fn)(const struct brig_container_info *info, void *arg);
	void *arg;
	int stopped;
};

static int parse_dump(const struct nlmsghdr *hdr, struct nlattr **tb,
		      void *arg, struct brig_error **err)
{
	struct dump_state *state = arg;
	struct brig_container_info info;

	if (state->stopped)
		return 0;
	if (parse_container(hdr, tb, &info, err) < 0)
		return -1;
	state->stopped = state->fn(&info, state->arg);
	return 0;
}

int brig_nl_dump(struct brig_nl *nl,
		 int (*fn)(const struct brig_container_info *info, void *arg),
		 void *arg, struct brig_error **err)
{
	struct dump_state state = { .fn = fn, .arg = arg };
	struct nl_msg *msg = brig_nl_msg(nl, BRIG_CMD_GET, NLM_F_DUMP);

	if (!msg)
		return brig_error_make(err, ENOMEM, "listing containers");
	return brig_nl_request(nl, msg, parse_dump, &state, "listing containers", err);
}
