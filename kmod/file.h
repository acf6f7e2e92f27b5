/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: file rules
 */
#ifndef _BRIG_FILE_H
#define _BRIG_FILE_H

int brig_file_init(void);
void brig_file_exit(void);

#endif /* _BRIG_FILE_H */
