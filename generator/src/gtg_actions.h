/* gtg_actions.h: the preconditions and moves of the grammar's actions,
 * shared by the act_*.c files and the action table in actions.c. */
#ifndef GTG_ACTIONS_H
#define GTG_ACTIONS_H

#include "gtg_internal.h"

/* M predicates shared by the act_*.c files, and "does any M satisfy". */
bool gtg_m_running(gtg_gen_t *g, int i);
bool gtg_m_free(gtg_gen_t *g, int i);
bool gtg_m_syscall_with_p(gtg_gen_t *g, int i);
bool gtg_any_m(gtg_gen_t *g, bool (*ok)(gtg_gen_t *, int));
bool gtg_room_g(const gtg_gen_t *g);
gtg_err_t gtg_steal(gtg_gen_t *g, int thief, int p, bool abandoned);

#define GTG_ACTION(name)                                  \
    bool gtg_can_##name(gtg_gen_t *g, const char *arg);   \
    gtg_err_t gtg_run_##name(gtg_gen_t *g, const char *arg);
#define GTG_RUN(name) gtg_err_t gtg_run_##name(gtg_gen_t *g, const char *arg);
#define GTG_CAN(name) bool gtg_can_##name(gtg_gen_t *g, const char *arg);

/* act_sched.c */
GTG_ACTION(proc_start)
GTG_ACTION(proc_stop)
GTG_ACTION(proc_steal)
GTG_ACTION(proc_steal_self)
GTG_ACTION(go_create)
GTG_RUN(go_create_blocked)
GTG_ACTION(go_start)
GTG_CAN(running)
GTG_CAN(running_no_assist)
GTG_RUN(go_stop)
GTG_RUN(go_block)
GTG_RUN(go_destroy)
GTG_ACTION(go_unblock)
GTG_ACTION(go_unblock_sysmon)
GTG_ACTION(go_switch)
GTG_RUN(go_park)
GTG_ACTION(go_wake)

/* act_syscall.c */
GTG_ACTION(syscall_begin)
GTG_CAN(syscall_end)
GTG_RUN(syscall_long)
GTG_RUN(syscall_end)
GTG_ACTION(syscall_handoff)
GTG_ACTION(syscall_end_blocked)
GTG_ACTION(syscall_reacquire)
GTG_ACTION(go_create_syscall)
GTG_ACTION(go_destroy_syscall)

/* act_misc.c */
GTG_ACTION(gc_begin)
GTG_ACTION(gc_end)
GTG_ACTION(sweep_begin)
GTG_ACTION(sweep_end)
GTG_ACTION(mark_assist_begin)
GTG_ACTION(mark_assist_end)
GTG_CAN(heap)
GTG_RUN(heap_alloc)
GTG_RUN(heap_goal)
GTG_RUN(alloc_free)
GTG_RUN(stw)
GTG_RUN(gomaxprocs)
GTG_CAN(has_task)
GTG_RUN(task_begin)
GTG_RUN(task_end)
GTG_RUN(region_begin)
GTG_ACTION(region_end)
GTG_RUN(log)
GTG_RUN(label)
GTG_ACTION(thread_new)

#undef GTG_ACTION
#undef GTG_RUN
#undef GTG_CAN

#endif /* GTG_ACTIONS_H */
