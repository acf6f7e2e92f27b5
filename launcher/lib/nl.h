/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig netlink client: the one way user space talks to brig.ko
 * (libnl-genl-3). launch, brigctl and the tests all go through it.
 */
#ifndef BRIG_NL_H
#define BRIG_NL_H

#include <stdint.h>

#include "error.h"

struct brig_nl;

/*
 * Connects and resolves the "brig" family. If the module is not loaded the
 * error says so, and how to load it.
 */
int brig_nl_open(struct brig_nl **out, struct brig_error **err);
void brig_nl_close(struct brig_nl *nl);
/* Frees *nl and sets it to NULL, for __attribute__((cleanup)). */
void brig_nl_closep(struct brig_nl **nl);

/* The resolved generic netlink family id. */
int brig_nl_family(const struct brig_nl *nl);

/*
 * Sends PING with @cookie; on success *version is the module's ABI version
 * and *echo the cookie it sent back.
 */
int brig_nl_ping(struct brig_nl *nl, uint64_t cookie, uint32_t *version,
		 uint64_t *echo, struct brig_error **err);

#endif /* BRIG_NL_H */
