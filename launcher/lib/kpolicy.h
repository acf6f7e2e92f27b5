/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the kernel policy, what brig.ko enforces for one container
 * (docs/abi.md). The lowering (spec.c) makes it from a policy; the netlink
 * client (nl.c) sends it and reads it back. It knows neither.
 */
#ifndef BRIG_KPOLICY_H
#define BRIG_KPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <brig.h>

/* One socket deny rule; 0 means "any" for either field. */
struct brig_socket_rule {
	uint32_t family;
	uint32_t type;
};

/* A device rule's major or minor that takes any number. */
#define BRIG_DEVICE_ANY UINT32_MAX

/* One device node a container may open (with BRIG_POLICY_F_DEVICES). */
struct brig_device_rule {
	uint32_t type;		/* enum brig_device */
	uint32_t major, minor;	/* BRIG_DEVICE_ANY: any */
	uint32_t access;	/* BRIG_PERM_READ | BRIG_PERM_WRITE */
};

/*
 * What the module enforces for one container. Made by the lowering, it owns
 * its DFA (brig_policy_spec_release() frees it); read back by GET, dfa is
 * NULL and dfa_states/dfa_bytes describe the DFA in force.
 */
struct brig_policy_spec {
	uint32_t mode;		/* enum brig_mode; 0: enforce */
	uint64_t caps;		/* allowed capabilities, bit N = capability N */
	uint32_t pids_max;	/* 0: no ceiling */
	size_t n_socket_rules;
	struct brig_socket_rule socket_rules[BRIG_SOCKET_RULES_MAX];
	const void *dfa;	/* file rules, as brig_dfa_serialize() makes them */
	size_t dfa_len;		/* 0: no file rules */
	size_t n_file_rules;	/* not sent: the rules compiled into it */
	uint32_t dfa_states;
	uint32_t dfa_bytes;	/* GET only */
	uint32_t flags;		/* BRIG_POLICY_F_* */
	size_t n_devices;
	struct brig_device_rule devices[BRIG_DEVICE_RULES_MAX];
	/*
	 * Not sent: register (or set) the policy even if its capabilities
	 * void its own file rules (brig_spec_voiding_caps()).
	 */
	bool unsafe_caps;
};

/*
 * Frees what @spec owns (its DFA); @spec itself is the caller's, and its
 * sizes still describe what it held.
 */
void brig_policy_spec_release(struct brig_policy_spec *spec);

/*
 * Capabilities in @spec's mask that void its own file rules (0 if it has
 * none, or no file rules): docs/policy-language.md, "Capabilities that void rules".
 */
uint64_t brig_spec_voiding_caps(const struct brig_policy_spec *spec);
/* Why each capability of @caps (from brig_spec_voiding_caps()) voids them. */
void brig_voiding_describe(uint64_t caps, char *buf, size_t len);

#endif /* BRIG_KPOLICY_H */
