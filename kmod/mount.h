/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: mount operations
 */
#ifndef _BRIG_MOUNT_H
#define _BRIG_MOUNT_H

int brig_mount_init(void);
void brig_mount_exit(void);

#endif /* _BRIG_MOUNT_H */
