/* invariants.c: the checker's vocabulary as data: every invariant's name,
 * family and rule, and every sentence it can write. The validate.* sentences
 * are word for word those of the Go oracle's validator
 * (reference/oracle/validate.go), so that `tracefuzz check` and
 * `gotrace-oracle dump -validate` can be compared line by line. */
#include <stdio.h>
#include <string.h>

#include "gtc_internal.h"

typedef struct inv_spec {
    const char *name;
    unsigned family;
    const char *rule;
} inv_spec_t;

#define V GTC_FAMILY_VALIDATE
#define S GTC_FAMILY_STACK

static const inv_spec_t invs[GTC_INV_COUNT] = {
    [GTC_INV_TIME_ORDER] = {"validate.time-order", V,
        "event times strictly increase"},
    [GTC_INV_STACK_FRAMES] = {"validate.stack-frames", V,
        "every frame of an event or transition stack but the first has PC, function, file and line"},
    [GTC_INV_SYNC_SEQUENCE] = {"validate.sync-sequence", V,
        "Sync numbers are consecutive from 1"},
    [GTC_INV_SYNC_CLOCK] = {"validate.sync-clock", V,
        "from go1.25 each Sync but the reader's last has a non-zero clock snapshot, each reading increasing"},
    [GTC_INV_METRIC] = {"validate.metric", V,
        "a metric name contains ':' and its value is not bad"},
    [GTC_INV_LABEL] = {"validate.label", V,
        "a label is not empty and names a known goroutine, proc or thread"},
    [GTC_INV_STATE_TRANSITION] = {"validate.state-transition", V,
        "a transition starts from the state last seen, never goes to Undetermined, and comes from Undetermined only before the second Sync"},
    [GTC_INV_SCHED_CONTEXT] = {"validate.sched-context", V,
        "a thread runs at most one goroutine and one proc at a time; what stops was bound to a thread"},
    [GTC_INV_STOP_STACK] = {"validate.stop-stack", V,
        "a goroutine that stops running has the event's stack as its transition stack"},
    [GTC_INV_RANGE_PAIRING] = {"validate.range-pairing", V,
        "a range begins only when inactive and ends only when active"},
    [GTC_INV_RANGE_ON_DEATH] = {"validate.range-on-death", V,
        "a goroutine or proc does not die with active ranges"},
    [GTC_INV_TASK] = {"validate.task", V,
        "a task ID is neither NoTask nor background, its parent is not background, and its end has its begin's type"},
    [GTC_INV_BLOCKED_HAS_STACK] = {"stack.blocked-whole-gen-has-stack", S,
        "from go1.23 a goroutine blocked for a whole generation is announced by GoStatusStack with a non-zero stack"},
    [GTC_INV_SYSCALL_HAS_STACK] = {"stack.syscall-whole-gen-has-stack", S,
        "from go1.23 a goroutine in a syscall for a whole generation is announced by GoStatusStack with a non-zero stack"},
    [GTC_INV_STACK_ID_RESOLVES] = {"stack.id-resolves", S,
        "every non-zero stack ID an event references resolves to a stack of the generation's table, with frames"},
    [GTC_INV_STACK_FRAMES_COMPLETE] = {"stack.frames-complete", S,
        "every frame of a referenced stack has PC, function, file and line, but a first frame that is all zero"},
    [GTC_INV_STATUS_STATE_RULES] = {"status.state-rules", S,
        "GoStatus describes a goroutine: to a live state, from Undetermined in the first generation and from its own state later"},
    [GTC_INV_STATUS_STACK_STATE_RULES] = {"status-stack.state-rules", S,
        "GoStatusStack obeys GoStatus's state rules"},
    [GTC_INV_STATUS_STACK_NOT_IN_GO122] = {"status-stack.not-in-go122", S,
        "GoStatusStack never appears in a go1.22 trace"},
    [GTC_INV_LIVE_GOROUTINE_ANNOUNCED] = {"status.live-goroutine-announced", S,
        "a goroutine alive at the end of a generation appears in the next one (at least by its status)"},
};

/* Formats of the validate.* sentences follow Go's wording (see the file
 * comment); %s in place of Go's %q takes a gtc_quote'd string. */
const gtc_msg_spec_t gtc_msgs[M_COUNT] = {
    [M_TIME_ORDER] = {GTC_INV_TIME_ORDER, "timestamp out-of-order (want > %lld) for %s event at %lld"},
    [M_STACK_FRAME] = {GTC_INV_STACK_FRAMES,
        "invalid stack frame pc=0x%llx func=%s file=%s line=%llu: missing information"},
    [M_SYNC_SEQ] = {GTC_INV_SYNC_SEQUENCE, "sync count is not sequential: expected %llu, got %llu"},
    [M_SYNC_NO_CLOCK] = {GTC_INV_SYNC_CLOCK, "sync %llu has no clock snapshot"},
    [M_SYNC_ZERO_WALL] = {GTC_INV_SYNC_CLOCK, "sync %llu has zero wall time"},
    [M_SYNC_ZERO_MONO] = {GTC_INV_SYNC_CLOCK, "sync %llu has zero mono time"},
    [M_SYNC_ZERO_TRACE] = {GTC_INV_SYNC_CLOCK, "sync %llu has zero trace time"},
    [M_SYNC_WALL_NONINC] = {GTC_INV_SYNC_CLOCK, "sync %llu has non-increasing wall time: %lld vs %lld"},
    [M_SYNC_MONO_NONINC] = {GTC_INV_SYNC_CLOCK, "sync %llu has non-increasing mono time: %llu vs %llu"},
    [M_SYNC_TRACE_NONINC] = {GTC_INV_SYNC_CLOCK, "sync %llu has non-increasing trace time: %lld vs %lld"},
    [M_METRIC_NAME] = {GTC_INV_METRIC, "invalid metric name %s"},
    [M_METRIC_VALUE] = {GTC_INV_METRIC, "invalid value"},
    [M_LABEL_EMPTY] = {GTC_INV_LABEL, "invalid label %s"},
    [M_LABEL_NONE] = {GTC_INV_LABEL, "label resource none"},
    [M_LABEL_UNKNOWN] = {GTC_INV_LABEL, "label for invalid %s"},
    [M_TO_UNDETERMINED] = {GTC_INV_STATE_TRANSITION, "transition to undetermined state for %s %lld"},
    [M_UNDETERMINED_AFTER_SYNC] = {GTC_INV_STATE_TRANSITION,
        "undetermined %s %lld after first global sync"},
    [M_DIED_WITH_RANGES] = {GTC_INV_RANGE_ON_DEATH, "%s %lld died with active ranges"},
    [M_BAD_OLD_STATE] = {GTC_INV_STATE_TRANSITION, "bad old state for %s %lld: got %s, want %s"},
    [M_BAD_OLD_STATE_UNREG] = {GTC_INV_STATE_TRANSITION, "bad old state for unregistered %s %lld: %s"},
    [M_RUN_BUSY] = {GTC_INV_SCHED_CONTEXT,
        "tried to run %s %lld when one was already executing (%lld) on thread %lld"},
    [M_STOP_UNBOUND] = {GTC_INV_SCHED_CONTEXT, "stopping %s %lld not bound to any active context"},
    [M_STOP_OTHER] = {GTC_INV_SCHED_CONTEXT,
        "tried to stop %s %lld when it wasn't currently executing (currently executing %lld) on thread %lld"},
    [M_NO_THREAD] = {GTC_INV_SCHED_CONTEXT, "must have thread, but thread ID is none"},
    [M_STOP_STACK] = {GTC_INV_STOP_STACK, "StateTransition.Stack doesn't match Event.Stack"},
    [M_RANGE_BEGUN] = {GTC_INV_RANGE_PAIRING, "already active range %s on %s begun again"},
    [M_RANGE_INACTIVE] = {GTC_INV_RANGE_PAIRING, "inactive range %s on %s ended"},
    [M_TASK_ID] = {GTC_INV_TASK, "found invalid task ID for task of type %s"},
    [M_TASK_PARENT] = {GTC_INV_TASK, "found background task as the parent for task of type %s"},
    [M_TASK_END_TYPE] = {GTC_INV_TASK,
        "task end type %s doesn't match task start type %s for task %llu"},
    [M_BLOCKED_NO_STACK] = {GTC_INV_BLOCKED_HAS_STACK,
        "goroutine %lld was Waiting for all of generation %llu but its %s carries no stack"},
    [M_SYSCALL_NO_STACK] = {GTC_INV_SYSCALL_HAS_STACK,
        "goroutine %lld was in a syscall for all of generation %llu but its %s carries no stack"},
    [M_STACK_UNRESOLVED] = {GTC_INV_STACK_ID_RESOLVES,
        "stack %llu referenced by %s has no frames in generation %llu (unknown ID, or an empty stack the runtime never registers)"},
    [M_FRAME_INCOMPLETE] = {GTC_INV_STACK_FRAMES_COMPLETE,
        "stack %llu frame %llu of %llu is incomplete: pc=0x%llx func=%s file=%s line=%llu"},
    [M_FIRST_FRAME_PARTIAL] = {GTC_INV_STACK_FRAMES_COMPLETE,
        "stack %llu first frame is neither complete nor all zero: pc=0x%llx func=%s file=%s line=%llu"},
    [M_STATUS_NOT_GOROUTINE] = {GTC_INV_STATUS_STATE_RULES,
        "%s describes %s, not a goroutine"},
    [M_STATUS_BAD_TO] = {GTC_INV_STATUS_STATE_RULES, "%s announces goroutine %lld as %s, not a live state"},
    [M_STATUS_BAD_FROM_FIRST] = {GTC_INV_STATUS_STATE_RULES,
        "%s of goroutine %lld in the first generation comes from %s, not Undetermined"},
    [M_STATUS_BAD_FROM_LATER] = {GTC_INV_STATUS_STATE_RULES,
        "%s of goroutine %lld in generation %llu goes from %s to %s, not from its own state"},
    [M_STATUS_STACK_IN_GO122] = {GTC_INV_STATUS_STACK_NOT_IN_GO122,
        "GoStatusStack of goroutine %lld in a go1.22 trace"},
    [M_GOROUTINE_ABSENT] = {GTC_INV_LIVE_GOROUTINE_ANNOUNCED,
        "goroutine %lld, %s at the end of generation %llu, has no event in generation %llu"},
};

const char *gtc_invariant_name(gtc_invariant_t inv)
{
    return (unsigned)inv < GTC_INV_COUNT ? invs[inv].name : NULL;
}

const char *gtc_invariant_rule(gtc_invariant_t inv)
{
    return (unsigned)inv < GTC_INV_COUNT ? invs[inv].rule : NULL;
}

unsigned gtc_invariant_family(gtc_invariant_t inv)
{
    return (unsigned)inv < GTC_INV_COUNT ? invs[inv].family : 0;
}

bool gtc_invariant_lookup(const char *name, gtc_invariant_t *out)
{
    for (unsigned i = 0; name != NULL && i < GTC_INV_COUNT; i++) {
        if (strcmp(invs[i].name, name) == 0) {
            *out = (gtc_invariant_t)i;
            return true;
        }
    }
    return false;
}

const char *gtc_class_name(gtc_class_t c)
{
    static const char *const names[GTC_CLASS_COUNT] = {
        "blocked", "syscall", "unblocked_never_ran", "ran_without_blocking", "ran", "other",
    };
    return (unsigned)c < GTC_CLASS_COUNT ? names[c] : NULL;
}

const char *gtc_status_name(int status)
{
    static const char *const names[] = {"ok", "arg", "nomem", "limit"};
    return status >= 0 && status <= GTC_ERR_LIMIT ? names[status] : "unknown";
}

/* Append to buf at *n (bounded, always terminated). */
static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len)
{
    while (len-- > 0 && *n + 1 < cap) {
        buf[(*n)++] = *s++;
    }
    buf[*n] = '\0';
}

char *gtc_quote(char *buf, size_t cap, const uint8_t *s, size_t len)
{
    size_t n = 0;
    if (cap == 0) {
        return buf;
    }
    put(buf, cap, &n, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        uint8_t b = s[i];
        char esc[8];
        const char *named = strchr("\a\b\f\n\r\t\v", b);
        if (b == '"' || b == '\\') {
            esc[0] = '\\', esc[1] = (char)b;
            put(buf, cap, &n, esc, 2);
        } else if (b != 0 && named != NULL) {
            esc[0] = '\\', esc[1] = "abfnrtv"[named - "\a\b\f\n\r\t\v"];
            put(buf, cap, &n, esc, 2);
        } else if (b >= 0x20 && b < 0x7f) {
            put(buf, cap, &n, (const char *)&b, 1);
        } else {
            snprintf(esc, sizeof esc, "\\x%02x", b);
            put(buf, cap, &n, esc, 4);
        }
    }
    put(buf, cap, &n, "\"", 1);
    return buf;
}

char *gtc_resource_str(char *buf, size_t cap, gtr_resource_t r)
{
    static const char *const kinds[] = {"None", "Goroutine", "Proc", "Thread"};
    if (r.kind == GTR_RESOURCE_NONE || (unsigned)r.kind > GTR_RESOURCE_THREAD) {
        snprintf(buf, cap, "None");
    } else {
        snprintf(buf, cap, "%s(%lld)", kinds[r.kind], (long long)r.id);
    }
    return buf;
}
