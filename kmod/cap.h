/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the capability mask
 */
#ifndef _BRIG_CAP_H
#define _BRIG_CAP_H

int brig_cap_init(void);
void brig_cap_exit(void);

#endif /* _BRIG_CAP_H */
