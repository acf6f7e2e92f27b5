/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the generic netlink family
 */
#ifndef _BRIG_NETLINK_H
#define _BRIG_NETLINK_H

int brig_netlink_init(void);
void brig_netlink_exit(void);

#endif /* _BRIG_NETLINK_H */
