/* test_check_reader.c: the checker on real reader output. Traces are laid
 * down with the wire writer (so each one breaks exactly one rule the reader
 * itself accepts), read back with the C reader, and every event is fed to
 * the checker; the test asserts the invariant and event position found. */
#include "test_check_util.h"

#include "gotrace_text.h"
#include "gotrace_writer.h"

#define NO_M UINT64_MAX
#define EV(w, type, ...)                                                                            \
    assert_int_equal(gtr_writer_event((w), (type), (const uint64_t[]){__VA_ARGS__},                \
                                      sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t), NULL, \
                                      0),                                                           \
                     GTR_WRITER_OK)

/* How the goroutine of the test announces itself. */
typedef enum { PLAIN_STATUS, STATUS_STACK, STATUS_STACK_BAD_FRAME, STATUS_STACK_EMPTY } variant_t;

/* Generation 1 of a go1.23 trace: proc 0 running on thread 1, goroutine 7
 * Waiting all generation, its status written as `v` says; the table of
 * generation 1 holds stack 1 (two frames) and the strings they name. */
static void write_trace(variant_t v, uint8_t **out, size_t *len)
{
    gtr_writer_t *w;
    assert_int_equal(gtr_writer_new(&w, GTR_GO123, NULL), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_begin_batch(w, 1, 1, 100), GTR_WRITER_OK);
    EV(w, GTR_EV_PROC_STATUS, 1, 0, GTR_WIRE_P_RUNNING);
    if (v == PLAIN_STATUS) {
        EV(w, GTR_EV_GO_STATUS, 1, 7, NO_M, GTR_WIRE_G_WAITING);
    } else {
        EV(w, GTR_EV_GO_STATUS_STACK, 1, 7, NO_M, GTR_WIRE_G_WAITING, 1);
    }
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);

    assert_int_equal(gtr_writer_begin_batch(w, 1, NO_M, 90), GTR_WRITER_OK);
    EV(w, GTR_EV_FREQUENCY, 1000000000);
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);

    assert_int_equal(gtr_writer_begin_batch(w, 1, NO_M, 91), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_event(w, GTR_EV_STACKS, NULL, 0, NULL, 0), GTR_WRITER_OK);
    gtr_wire_frame_t fr[2] = {{0x401000, 1, 2, 10}, {0x402000, 3, 2, v == STATUS_STACK_BAD_FRAME ? 0 : 20}};
    assert_int_equal(gtr_writer_stack(w, 1, fr, v == STATUS_STACK_EMPTY ? 0 : 2), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);

    assert_int_equal(gtr_writer_begin_batch(w, 1, NO_M, 92), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_event(w, GTR_EV_STRINGS, NULL, 0, NULL, 0), GTR_WRITER_OK);
    const char *strs[] = {"main.wait", "main.go", "runtime.goexit"};
    for (uint64_t i = 0; i < 3; i++) {
        assert_int_equal(gtr_writer_string(w, i + 1, (const uint8_t *)strs[i], strlen(strs[i])),
                         GTR_WRITER_OK);
    }
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_finish(w, out, len), GTR_WRITER_OK);
    gtr_writer_free(w);
}

/* Read the trace to its end and check every event. */
static gtc_checker_t *check_trace(variant_t v)
{
    uint8_t *data;
    size_t len;
    write_trace(v, &data, &len);
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_buffer(&r, data, len, NULL), GTR_OK);
    gtc_checker_t *c = gtc_checker_new(gtr_reader_version(r), NULL);
    assert_non_null(c);
    const gtr_event_t *ev;
    int rc;
    while ((rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        assert_int_equal(gtc_checker_event(c, ev), GTC_OK);
    }
    if (rc != GTR_EOF) {
        fail_msg("reader: %s", gtr_reader_error(r));
    }
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    gtr_reader_free(r);
    gtr_writer_buf_free(data);
    /* Sync, ProcStatus, GoStatus(Stack), the reader's last Sync. */
    assert_int_equal(gtc_checker_nevents(c), 4);
    return c;
}

static void plain_status_for_a_blocked_goroutine_breaks_the_promise(void **state)
{
    (void)state;
    gtc_checker_t *c = check_trace(PLAIN_STATUS);
    expect_count(c, 1);
    expect_violation(c, 0, "stack.blocked-whole-gen-has-stack", 2,
                     "goroutine 7 was Waiting for all of generation 1 but its GoStatus carries no stack");
    gtc_checker_free(c);
}

static void status_stack_keeps_it(void **state)
{
    (void)state;
    gtc_checker_t *c = check_trace(STATUS_STACK);
    expect_count(c, 0);
    assert_int_equal(gtc_checker_summary(c, 0)->with_stack[GTC_CLASS_BLOCKED], 1);
    gtc_checker_free(c);
}

static void a_frame_without_line_is_incomplete(void **state)
{
    (void)state;
    gtc_checker_t *c = check_trace(STATUS_STACK_BAD_FRAME);
    /* Once for the stack; twice from validation: the event's stack and the
     * transition's stack are the same stack, and Go checks both. */
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STACK_FRAMES_COMPLETE), 1);
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STACK_FRAMES), 2);
    expect_violation(c, 0, "stack.frames-complete", 2,
                     "stack 1 frame 1 of 2 is incomplete: pc=0x402000 func=\"runtime.goexit\" file=\"main.go\" line=0");
    expect_violation(c, 1, "validate.stack-frames", 2,
                     "invalid stack frame pc=0x402000 func=\"runtime.goexit\" file=\"main.go\" line=0: missing information");
    gtc_checker_free(c);
}

/* The runtime never registers an empty stack under a non-zero ID; Go's
 * reader accepts one. (Equal times, by contrast, cannot reach the checker
 * through Go's reader: it moves a time that does not increase forward.) */
static void an_empty_stack_does_not_resolve(void **state)
{
    (void)state;
    gtc_checker_t *c = check_trace(STATUS_STACK_EMPTY);
    expect_count(c, 1);
    expect_violation(c, 0, "stack.id-resolves", 2,
                     "stack 1 referenced by GoStatusStack has no frames in generation 1 (unknown ID, or an empty stack the runtime never registers)");
    gtc_checker_free(c);
}

/* Go's own test go122-syscall-steal-proc-sitting-in-syscall, in Go's text
 * format, with the header's version in place of %s: goroutine 1 sits in a
 * syscall for the whole (only) generation and its GoStatus has no stack. */
static const char sitting_in_syscall[] =
    "Trace Go1.%s\n"
    "EventBatch gen=1 m=0 time=0 size=9\n"
    "ProcStatus dt=1 p=0 pstatus=4\n"
    "ProcSteal dt=1 p=0 p_seq=1 m=1\n"
    "EventBatch gen=1 m=18446744073709551615 time=0 size=5\n"
    "GoStatus dt=1 g=1 m=1 gstatus=3\n"
    "EventBatch gen=1 m=18446744073709551615 time=0 size=5\n"
    "Frequency freq=15625000\n"
    "EventBatch gen=1 m=18446744073709551615 time=0 size=1\n"
    "Stacks\n"
    "EventBatch gen=1 m=18446744073709551615 time=0 size=1\n"
    "Strings\n";

static gtc_checker_t *check_text(const char *version)
{
    char text[sizeof sitting_in_syscall + 8];
    snprintf(text, sizeof text, sitting_in_syscall, version);
    gtr_text_result_t tr;
    assert_int_equal(gtr_text_to_wire((const uint8_t *)text, strlen(text), NULL, &tr), GTR_TEXT_OK);
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_buffer(&r, tr.out, tr.out_len, NULL), GTR_OK);
    gtc_checker_t *c = gtc_checker_new(gtr_reader_version(r), NULL);
    const gtr_event_t *ev;
    int rc;
    while ((rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        assert_int_equal(gtc_checker_event(c, ev), GTC_OK);
    }
    assert_int_equal(rc, GTR_EOF);
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    gtr_reader_free(r);
    gtr_text_result_free(&tr);
    return c;
}

/* The same events keep the promise in go1.22, which has no GoStatusStack,
 * and break it in go1.23. */
static void a_whole_generation_syscall_needs_a_stack_from_go123(void **state)
{
    (void)state;
    gtc_checker_t *c = check_text("22");
    expect_count(c, 0);
    assert_int_equal(gtc_checker_summary(c, 0)->classes[GTC_CLASS_SYSCALL], 1);
    gtc_checker_free(c);

    c = check_text("23");
    expect_count(c, 1);
    /* Events: Sync, ProcStatus, GoStatus, ProcSteal, Sync. */
    expect_violation(c, 0, "stack.syscall-whole-gen-has-stack", 2,
                     "goroutine 1 was in a syscall for all of generation 1 but its GoStatus carries no stack");
    gtc_checker_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_status_for_a_blocked_goroutine_breaks_the_promise),
        cmocka_unit_test(status_stack_keeps_it),
        cmocka_unit_test(a_frame_without_line_is_incomplete),
        cmocka_unit_test(an_empty_stack_does_not_resolve),
        cmocka_unit_test(a_whole_generation_syscall_needs_a_stack_from_go123),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
