/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: device nodes a container may open
 */
#ifndef _BRIG_DEVICE_H
#define _BRIG_DEVICE_H

struct file;

/*
 * The current task's open of @file, if a device node: 0 or -EPERM, with an
 * event. Called from file.c's probe on security_file_open (one probe per
 * hooked function).
 */
int brig_device_open(const struct file *file);

#endif /* _BRIG_DEVICE_H */
