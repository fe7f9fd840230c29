/* spec.c: the event specification tables of the trace v2 format.
 *
 * One table holds every event of the newest version; a version is a prefix
 * of the base events (each release only appended) plus, from go1.23 on where
 * Go's reader accepts them, the experimental events. */
#include "gotrace_spec.h"

#include <string.h>

#include "internal.h"

#define ARGS(...) .nargs = sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *), \
                  .args = {__VA_ARGS__}
#define STRINGS(...) .n_string_ids = sizeof((uint8_t[]){__VA_ARGS__}), \
                     .string_ids = {__VA_ARGS__}
#define STACKS(...) .n_stack_ids = sizeof((uint8_t[]){__VA_ARGS__}), \
                    .stack_ids = {__VA_ARGS__}
#define TIMED .is_timed = true
#define EXPERIMENT(e) .experiment = (e), TIMED

/* Aligned so that no entry's leading fields straddle two cache lines (an
 * entry is 64 bytes on LP64). */
_Alignas(64) const gtr_event_spec_t gtr_spec_table[GTR_EV_MAX_EXPERIMENTAL] = {
    /* Structural events: batch framing, tables, clocks. */
    [GTR_EV_EVENT_BATCH] = {.name = "EventBatch", ARGS("gen", "m", "time", "size")},
    [GTR_EV_STACKS] = {.name = "Stacks"},
    [GTR_EV_STACK] = {.name = "Stack", ARGS("id", "nframes"), .is_stack = true},
    [GTR_EV_STRINGS] = {.name = "Strings"},
    [GTR_EV_STRING] = {.name = "String", ARGS("id"), .has_data = true},
    [GTR_EV_CPU_SAMPLES] = {.name = "CPUSamples"},
    [GTR_EV_CPU_SAMPLE] = {.name = "CPUSample", ARGS("time", "m", "p", "g", "stack"),
                           STACKS(4)},
    [GTR_EV_FREQUENCY] = {.name = "Frequency", ARGS("freq")},
    [GTR_EV_EXPERIMENTAL_BATCH] = {.name = "ExperimentalBatch",
                                   ARGS("exp", "gen", "m", "time"), .has_data = true},
    [GTR_EV_SYNC] = {.name = "Sync"},
    [GTR_EV_END_OF_GENERATION] = {.name = "EndOfGeneration"},

    /* Procs. */
    [GTR_EV_PROCS_CHANGE] = {.name = "ProcsChange", ARGS("dt", "procs_value", "stack"),
                             TIMED, STACKS(2)},
    [GTR_EV_PROC_START] = {.name = "ProcStart", ARGS("dt", "p", "p_seq"), TIMED},
    [GTR_EV_PROC_STOP] = {.name = "ProcStop", ARGS("dt"), TIMED},
    [GTR_EV_PROC_STEAL] = {.name = "ProcSteal", ARGS("dt", "p", "p_seq", "m"), TIMED},
    [GTR_EV_PROC_STATUS] = {.name = "ProcStatus", ARGS("dt", "p", "pstatus"), TIMED},

    /* Goroutines. */
    [GTR_EV_GO_CREATE] = {.name = "GoCreate", ARGS("dt", "new_g", "new_stack", "stack"),
                          TIMED, STACKS(3, 2)},
    [GTR_EV_GO_CREATE_SYSCALL] = {.name = "GoCreateSyscall", ARGS("dt", "new_g"), TIMED},
    [GTR_EV_GO_START] = {.name = "GoStart", ARGS("dt", "g", "g_seq"), TIMED},
    [GTR_EV_GO_DESTROY] = {.name = "GoDestroy", ARGS("dt"), TIMED},
    [GTR_EV_GO_DESTROY_SYSCALL] = {.name = "GoDestroySyscall", ARGS("dt"), TIMED},
    [GTR_EV_GO_STOP] = {.name = "GoStop", ARGS("dt", "reason_string", "stack"), TIMED,
                        STACKS(2), STRINGS(1)},
    [GTR_EV_GO_BLOCK] = {.name = "GoBlock", ARGS("dt", "reason_string", "stack"), TIMED,
                         STACKS(2), STRINGS(1)},
    [GTR_EV_GO_UNBLOCK] = {.name = "GoUnblock", ARGS("dt", "g", "g_seq", "stack"), TIMED,
                           STACKS(3)},
    [GTR_EV_GO_SYSCALL_BEGIN] = {.name = "GoSyscallBegin", ARGS("dt", "p_seq", "stack"),
                                 TIMED, STACKS(2)},
    [GTR_EV_GO_SYSCALL_END] = {.name = "GoSyscallEnd", ARGS("dt"), TIMED,
                               .start_ev = GTR_EV_GO_SYSCALL_BEGIN},
    [GTR_EV_GO_SYSCALL_END_BLOCKED] = {.name = "GoSyscallEndBlocked", ARGS("dt"), TIMED,
                                       .start_ev = GTR_EV_GO_SYSCALL_BEGIN},
    [GTR_EV_GO_STATUS] = {.name = "GoStatus", ARGS("dt", "g", "m", "gstatus"), TIMED},

    /* Stop-the-world and GC. */
    [GTR_EV_STW_BEGIN] = {.name = "STWBegin", ARGS("dt", "kind_string", "stack"), TIMED,
                          STACKS(2), STRINGS(1)},
    [GTR_EV_STW_END] = {.name = "STWEnd", ARGS("dt"), TIMED, .start_ev = GTR_EV_STW_BEGIN},
    [GTR_EV_GC_ACTIVE] = {.name = "GCActive", ARGS("dt", "gc_seq"), TIMED,
                          .start_ev = GTR_EV_GC_BEGIN},
    [GTR_EV_GC_BEGIN] = {.name = "GCBegin", ARGS("dt", "gc_seq", "stack"), TIMED, STACKS(2)},
    [GTR_EV_GC_END] = {.name = "GCEnd", ARGS("dt", "gc_seq"), TIMED,
                       .start_ev = GTR_EV_GC_BEGIN},
    [GTR_EV_GC_SWEEP_ACTIVE] = {.name = "GCSweepActive", ARGS("dt", "p"), TIMED,
                                .start_ev = GTR_EV_GC_SWEEP_BEGIN},
    [GTR_EV_GC_SWEEP_BEGIN] = {.name = "GCSweepBegin", ARGS("dt", "stack"), TIMED, STACKS(1)},
    [GTR_EV_GC_SWEEP_END] = {.name = "GCSweepEnd",
                             ARGS("dt", "swept_value", "reclaimed_value"), TIMED,
                             .start_ev = GTR_EV_GC_SWEEP_BEGIN},
    [GTR_EV_GC_MARK_ASSIST_ACTIVE] = {.name = "GCMarkAssistActive", ARGS("dt", "g"), TIMED,
                                      .start_ev = GTR_EV_GC_MARK_ASSIST_BEGIN},
    [GTR_EV_GC_MARK_ASSIST_BEGIN] = {.name = "GCMarkAssistBegin", ARGS("dt", "stack"), TIMED,
                                     STACKS(1)},
    [GTR_EV_GC_MARK_ASSIST_END] = {.name = "GCMarkAssistEnd", ARGS("dt"), TIMED,
                                   .start_ev = GTR_EV_GC_MARK_ASSIST_BEGIN},
    [GTR_EV_HEAP_ALLOC] = {.name = "HeapAlloc", ARGS("dt", "heapalloc_value"), TIMED},
    [GTR_EV_HEAP_GOAL] = {.name = "HeapGoal", ARGS("dt", "heapgoal_value"), TIMED},

    /* User annotations. */
    [GTR_EV_GO_LABEL] = {.name = "GoLabel", ARGS("dt", "label_string"), TIMED, STRINGS(1)},
    [GTR_EV_USER_TASK_BEGIN] = {.name = "UserTaskBegin",
                                ARGS("dt", "task", "parent_task", "name_string", "stack"),
                                TIMED, STACKS(4), STRINGS(3)},
    [GTR_EV_USER_TASK_END] = {.name = "UserTaskEnd", ARGS("dt", "task", "stack"), TIMED,
                              STACKS(2)},
    [GTR_EV_USER_REGION_BEGIN] = {.name = "UserRegionBegin",
                                  ARGS("dt", "task", "name_string", "stack"), TIMED,
                                  STACKS(3), STRINGS(2)},
    [GTR_EV_USER_REGION_END] = {.name = "UserRegionEnd",
                                ARGS("dt", "task", "name_string", "stack"), TIMED,
                                STACKS(3), STRINGS(2),
                                .start_ev = GTR_EV_USER_REGION_BEGIN},
    [GTR_EV_USER_LOG] = {.name = "UserLog",
                         ARGS("dt", "task", "key_string", "value_string", "stack"), TIMED,
                         STACKS(4), STRINGS(2, 3)},

    /* go1.23: coroutine switches, blocked creation, status with a stack. */
    [GTR_EV_GO_SWITCH] = {.name = "GoSwitch", ARGS("dt", "g", "g_seq"), TIMED},
    [GTR_EV_GO_SWITCH_DESTROY] = {.name = "GoSwitchDestroy", ARGS("dt", "g", "g_seq"), TIMED},
    [GTR_EV_GO_CREATE_BLOCKED] = {.name = "GoCreateBlocked",
                                  ARGS("dt", "new_g", "new_stack", "stack"), TIMED,
                                  STACKS(3, 2)},
    [GTR_EV_GO_STATUS_STACK] = {.name = "GoStatusStack",
                                ARGS("dt", "g", "m", "gstatus", "stack"), TIMED, STACKS(4)},

    /* go1.25: clock snapshots in sync batches. */
    [GTR_EV_CLOCK_SNAPSHOT] = {.name = "ClockSnapshot", ARGS("dt", "mono", "sec", "nsec"),
                               TIMED},

    /* Experimental: heap spans, objects and goroutine stacks (AllocFree). */
    [GTR_EV_SPAN] = {.name = "Span", ARGS("dt", "id", "npages_value", "kindclass"),
                     EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_SPAN_ALLOC] = {.name = "SpanAlloc", ARGS("dt", "id", "npages_value", "kindclass"),
                           EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_SPAN_FREE] = {.name = "SpanFree", ARGS("dt", "id"), EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_HEAP_OBJECT] = {.name = "HeapObject", ARGS("dt", "id", "type"),
                            EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_HEAP_OBJECT_ALLOC] = {.name = "HeapObjectAlloc", ARGS("dt", "id", "type"),
                                  EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_HEAP_OBJECT_FREE] = {.name = "HeapObjectFree", ARGS("dt", "id"),
                                 EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_GOROUTINE_STACK] = {.name = "GoroutineStack", ARGS("dt", "id", "order"),
                                EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_GOROUTINE_STACK_ALLOC] = {.name = "GoroutineStackAlloc", ARGS("dt", "id", "order"),
                                      EXPERIMENT(GTR_EXP_ALLOC_FREE)},
    [GTR_EV_GOROUTINE_STACK_FREE] = {.name = "GoroutineStackFree", ARGS("dt", "id"),
                                     EXPERIMENT(GTR_EXP_ALLOC_FREE)},
};

/* One past the last base event of each version: each release appended to
 * the table, so a version's base events are a prefix of the newest list. */
unsigned gtr_spec_count(gtr_version_t v)
{
    switch (v) {
    case GTR_GO122: return GTR_EV_USER_LOG + 1;
    case GTR_GO123: return GTR_EV_EXPERIMENTAL_BATCH + 1;
    case GTR_GO125: return GTR_EV_CLOCK_SNAPSHOT + 1;
    case GTR_GO126: return GTR_EV_NUM_BASE;
    default: return 0;
    }
}

/* Versions whose own table reaches the experimental events. Go's per-version
 * tables are prefixes of one array and only the newest is the whole array,
 * so only go1.26 lists them (batch decoding itself uses gtr_spec_any). */
static bool version_has_experimental(gtr_version_t v)
{
    return v == GTR_GO126;
}

const gtr_event_spec_t *gtr_spec_any(unsigned type)
{
    if (type >= GTR_EV_MAX_EXPERIMENTAL || gtr_spec_table[type].name == NULL) {
        return NULL;
    }
    return &gtr_spec_table[type];
}

const gtr_event_spec_t *gtr_spec(gtr_version_t v, unsigned type)
{
    unsigned count = gtr_spec_count(v);
    if (count == 0) {
        return NULL;
    }
    if (gtr_ev_is_experimental(type)) {
        return version_has_experimental(v) ? gtr_spec_any(type) : NULL;
    }
    if (type >= count) {
        return NULL;
    }
    return gtr_spec_any(type);
}

bool gtr_version_supported(gtr_version_t v)
{
    return gtr_spec_count(v) != 0;
}

bool gtr_version_known(unsigned v)
{
    switch (v) {
    case GTR_GO111: case GTR_GO119: case GTR_GO121:
    case GTR_GO122: case GTR_GO123: case GTR_GO125: case GTR_GO126:
        return true;
    default:
        return false;
    }
}

bool gtr_ev_is_experimental(unsigned type)
{
    return type > GTR_EV_MAX_BASE && type < GTR_EV_MAX_EXPERIMENTAL;
}

const char *gtr_experiment_name(unsigned exp)
{
    static const char *const names[GTR_EXP_COUNT] = {
        [GTR_EXP_NONE] = "None",
        [GTR_EXP_ALLOC_FREE] = "AllocFree",
    };
    return exp < GTR_EXP_COUNT ? names[exp] : NULL;
}

int gtr_spec_lookup(gtr_version_t v, const char *name, size_t len)
{
    for (unsigned t = 0; t < GTR_EV_MAX_EXPERIMENTAL; t++) {
        const gtr_event_spec_t *s = gtr_spec(v, t);
        if (s != NULL && strlen(s->name) == len && memcmp(s->name, name, len) == 0) {
            return (int)t;
        }
    }
    return -1;
}

gtr_arg_type_t gtr_arg_type(const char *arg_name)
{
    static const struct {
        const char *suffix;
        gtr_arg_type_t type;
    } kinds[] = {
        {"seq", GTR_ARG_SEQ},       {"pstatus", GTR_ARG_PSTATUS}, {"gstatus", GTR_ARG_GSTATUS},
        {"g", GTR_ARG_G},           {"m", GTR_ARG_M},             {"p", GTR_ARG_P},
        {"string", GTR_ARG_STRING}, {"stack", GTR_ARG_STACK},     {"value", GTR_ARG_VALUE},
        {"task", GTR_ARG_TASK},
    };
    /* A name is "<name>" or "<name>_<type>"; a bare name that is itself a
     * type word ("g", "stack") has that type too. */
    const char *us = strrchr(arg_name, '_');
    const char *type = us != NULL ? us + 1 : arg_name;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(type, kinds[i].suffix) == 0) {
            return kinds[i].type;
        }
    }
    return GTR_ARG_RAW;
}

const char *gtr_wire_gstatus_name(uint64_t s)
{
    switch (s) {
    case GTR_WIRE_G_RUNNABLE: return "Runnable";
    case GTR_WIRE_G_RUNNING: return "Running";
    case GTR_WIRE_G_SYSCALL: return "Syscall";
    case GTR_WIRE_G_WAITING: return "Waiting";
    default: return "Bad";
    }
}

const char *gtr_wire_pstatus_name(uint64_t s)
{
    switch (s) {
    case GTR_WIRE_P_RUNNING: return "Running";
    case GTR_WIRE_P_IDLE: return "Idle";
    case GTR_WIRE_P_SYSCALL: return "Syscall";
    case GTR_WIRE_P_SYSCALL_ABANDONED: return "SyscallAbandoned";
    default: return "Bad";
    }
}
