/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: device nodes a container may open
 */
#ifndef _BRIG_DEVICE_H
#define _BRIG_DEVICE_H

int brig_device_init(void);
void brig_device_exit(void);

#endif /* _BRIG_DEVICE_H */
