/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: file rules
 */
#ifndef _BRIG_FILE_H
#define _BRIG_FILE_H

struct path;

/*
 * A new root (chroot, pivot_root) for the current task: -EPERM with an
 * event if its policy has file rules; without, the root's name is recorded.
 * mount.c calls it for pivot_root, whose probe it owns.
 */
int brig_file_new_root(const char *op, const struct path *path);

int brig_file_init(void);
void brig_file_exit(void);

#endif /* _BRIG_FILE_H */
