/* test_writer.c: the wire writer lays down the bytes Go's reader expects:
 * header, varint arguments per spec, table trailers, batch sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace_spec.h"
#include "gotrace_writer.h"

#define HDR "go 1.23 trace\0\0\0"
#define HDR_LEN 16

static gtr_writer_t *new_writer(unsigned v, const gtr_writer_options_t *o)
{
    gtr_writer_t *w = NULL;
    assert_int_equal(gtr_writer_new(&w, v, o), GTR_WRITER_OK);
    assert_non_null(w);
    return w;
}

/* Finishes and checks the bytes after the header. */
static void expect_body(gtr_writer_t *w, const uint8_t *want, size_t n)
{
    uint8_t *out;
    size_t len;
    assert_int_equal(gtr_writer_finish(w, &out, &len), GTR_WRITER_OK);
    assert_int_equal(len, HDR_LEN + n);
    assert_memory_equal(out, HDR, HDR_LEN);
    if (n > 0) {
        assert_memory_equal(out + HDR_LEN, want, n);
    }
    gtr_writer_buf_free(out);
    gtr_writer_free(w);
}

static void header_names_the_version(void **state)
{
    (void)state;
    expect_body(new_writer(GTR_GO123, NULL), NULL, 0);
}

static void arguments_are_varints(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO123, NULL);
    uint64_t args[] = {300, 1, 0x7f};
    assert_int_equal(gtr_writer_event(w, GTR_EV_PROC_START, args, 3, NULL, 0), GTR_WRITER_OK);
    const uint8_t want[] = {GTR_EV_PROC_START, 0xac, 0x02, 0x01, 0x7f};
    expect_body(w, want, sizeof want);
}

static void strings_carry_length_and_bytes(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO123, NULL);
    assert_int_equal(gtr_writer_string(w, 7, (const uint8_t *)"ab", 2), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_string(w, 8, NULL, 0), GTR_WRITER_OK);
    const uint8_t want[] = {GTR_EV_STRING, 7, 2, 'a', 'b', GTR_EV_STRING, 8, 0};
    expect_body(w, want, sizeof want);
}

static void stacks_list_four_values_per_frame(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO123, NULL);
    gtr_wire_frame_t frames[] = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    assert_int_equal(gtr_writer_stack(w, 9, frames, 2), GTR_WRITER_OK);
    const uint8_t want[] = {GTR_EV_STACK, 9, 2, 1, 2, 3, 4, 5, 6, 7, 8};
    expect_body(w, want, sizeof want);
}

static void batch_size_counts_the_bytes_after_the_header(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO123, NULL);
    assert_int_equal(gtr_writer_begin_batch(w, 1, 2, 3), GTR_WRITER_OK);
    assert_true(gtr_writer_in_batch(w));
    uint64_t args[] = {5, 0, 1};
    assert_int_equal(gtr_writer_event(w, GTR_EV_PROC_STATUS, args, 3, NULL, 0), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_size(w), HDR_LEN + 4);
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);
    const uint8_t want[] = {GTR_EV_EVENT_BATCH, 1, 2, 3, 4, GTR_EV_PROC_STATUS, 5, 0, 1};
    expect_body(w, want, sizeof want);
}

static void padded_batch_size_takes_ten_bytes(void **state)
{
    (void)state;
    gtr_writer_options_t o = {.pad_batch_size = true};
    gtr_writer_t *w = new_writer(GTR_GO123, &o);
    assert_int_equal(gtr_writer_begin_batch(w, 1, 2, 3), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_raw(w, (const uint8_t *)"\x08\x01", 2), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_OK);
    const uint8_t want[] = {1, 1, 2, 3, 0x82, 0x80, 0x80, 0x80, 0x80,
                            0x80, 0x80, 0x80, 0x80, 0x00, 8, 1};
    expect_body(w, want, sizeof want);
}

static void events_outside_the_version_are_refused(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO122, NULL);
    uint64_t args[5] = {0};
    assert_int_equal(gtr_writer_event(w, GTR_EV_GO_STATUS_STACK, args, 5, NULL, 0),
                     GTR_WRITER_ERR_ARG);
    assert_non_null(strstr(gtr_writer_error(w), "does not exist in go 1.22"));
    assert_int_equal(gtr_writer_event(w, GTR_EV_PROC_START, args, 2, NULL, 0),
                     GTR_WRITER_ERR_ARG);
    assert_int_equal(gtr_writer_event(w, GTR_EV_PROC_STOP, args, 1, (const uint8_t *)"x", 1),
                     GTR_WRITER_ERR_ARG);
    assert_int_equal(gtr_writer_event(w, GTR_EV_STACK, args, 3, NULL, 0), GTR_WRITER_ERR_ARG);
    gtr_writer_free(w);
}

static void batch_calls_out_of_order_are_refused(void **state)
{
    (void)state;
    gtr_writer_t *w = new_writer(GTR_GO123, NULL);
    uint8_t *out;
    size_t len;
    assert_int_equal(gtr_writer_end_batch(w), GTR_WRITER_ERR_STATE);
    assert_int_equal(gtr_writer_begin_batch(w, 1, 1, 1), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_begin_batch(w, 1, 1, 1), GTR_WRITER_ERR_STATE);
    assert_int_equal(gtr_writer_finish(w, &out, &len), GTR_WRITER_ERR_STATE);
    assert_null(out);
    gtr_writer_free(w);
}

static void size_limit_is_enforced(void **state)
{
    (void)state;
    gtr_writer_options_t o = {.max_size = HDR_LEN + 3};
    gtr_writer_t *w = new_writer(GTR_GO123, &o);
    assert_int_equal(gtr_writer_raw(w, (const uint8_t *)"abc", 3), GTR_WRITER_OK);
    assert_int_equal(gtr_writer_raw(w, (const uint8_t *)"d", 1), GTR_WRITER_ERR_LIMIT);
    gtr_writer_free(w);
}

static void fragments_can_omit_the_header(void **state)
{
    (void)state;
    gtr_writer_options_t o = {.no_header = true};
    gtr_writer_t *w = new_writer(GTR_GO126, &o);
    assert_int_equal(gtr_writer_event(w, GTR_EV_END_OF_GENERATION, NULL, 0, NULL, 0),
                     GTR_WRITER_OK);
    uint8_t *out;
    size_t len;
    assert_int_equal(gtr_writer_finish(w, &out, &len), GTR_WRITER_OK);
    assert_int_equal(len, 1);
    assert_int_equal(out[0], GTR_EV_END_OF_GENERATION);
    assert_int_equal(gtr_writer_raw(w, out, 1), GTR_WRITER_ERR_STATE);
    gtr_writer_buf_free(out);
    gtr_writer_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_names_the_version),
        cmocka_unit_test(arguments_are_varints),
        cmocka_unit_test(strings_carry_length_and_bytes),
        cmocka_unit_test(stacks_list_four_values_per_frame),
        cmocka_unit_test(batch_size_counts_the_bytes_after_the_header),
        cmocka_unit_test(padded_batch_size_takes_ten_bytes),
        cmocka_unit_test(events_outside_the_version_are_refused),
        cmocka_unit_test(batch_calls_out_of_order_are_refused),
        cmocka_unit_test(size_limit_is_enforced),
        cmocka_unit_test(fragments_can_omit_the_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
