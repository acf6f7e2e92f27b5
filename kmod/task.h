/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: tracking container tasks, and the task ceiling
 */
#ifndef _BRIG_TASK_H
#define _BRIG_TASK_H

struct brig_container;

/* Tracks the tasks already in @c when it is registered. */
int brig_task_adopt(struct brig_container *c);

int brig_task_init(void);
void brig_task_exit(void);

#endif /* _BRIG_TASK_H */
