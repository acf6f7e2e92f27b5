/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: socket creation rules
 */
#ifndef _BRIG_SOCKET_H
#define _BRIG_SOCKET_H

int brig_socket_init(void);
void brig_socket_exit(void);

#endif /* _BRIG_SOCKET_H */
