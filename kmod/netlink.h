/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the generic netlink family
 */
#ifndef _BRIG_NETLINK_H
#define _BRIG_NETLINK_H

#include <linux/types.h>

struct brig_event;

/*
 * Multicasts @ev to the "events" group, if anyone listens and the family is
 * registered (before init and from exit on, events are dropped). Process
 * context. Returns -ENOMEM or -EMSGSIZE if a listener was there but no
 * message could be made (the event is lost), else 0.
 */
int brig_netlink_event(const struct brig_event *ev, u32 lost);

int brig_netlink_init(void);
void brig_netlink_exit(void);

#endif /* _BRIG_NETLINK_H */
