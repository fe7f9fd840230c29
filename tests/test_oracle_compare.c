/* test_oracle_compare.c: the C dump against Go's with Go asked again
 * (fuzz/common/oracle_compare.c), against a fake oracle whose answers
 * change from query to query as Go's do where it walks a map; and the
 * client's query in two halves (sent ahead, received later). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oracle_compare.h"

#define A "Sync T=1 M=-1 P=-1 G=-1 N=1\nStateTransition T=2 M=0 P=-1 G=-1\nok\n"
#define B "Sync T=1 M=-1 P=-1 G=-1 N=1\nStateTransition T=2 M=1 P=-1 G=-1\nok\n"
#define C "Sync T=1 M=-1 P=-1 G=-1 N=1\nStateTransition T=2 M=7 P=-1 G=-1\nok\n"

/* A request: the fake's answers, NUL-separated. */
static size_t answers(char *buf, size_t cap, const char *const *list, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(list[i]);
        assert_true(len + k + 1 <= cap);
        memcpy(buf + len, list[i], k);
        len += k;
        if (i + 1 < n) {
            buf[len++] = '\0';
        }
    }
    return len;
}

/* How many queries the fake has answered: it answers query q with entry
 * q mod n, and entry i is "<i>\n" here. */
static unsigned long queries_so_far(fuzz_oracle_t *o)
{
    char buf[4096];
    const char *list[64];
    char num[64][8];
    for (int i = 0; i < 64; i++) {
        snprintf(num[i], sizeof num[i], "%d\n", i);
        list[i] = num[i];
    }
    size_t len = answers(buf, sizeof buf, list, 64);
    const char *go;
    size_t go_len;
    assert_int_equal(fuzz_oracle_query(o, (const uint8_t *)buf, len, &go, &go_len), 0);
    return strtoul(go, NULL, 10);
}

/* Starts a fake oracle that answers list[q mod n] to query q, and compares
 * the C dump c with its answers; returns the fake for more questions. */
static fuzz_oracle_t *compare(const char *const *list, size_t n, const char *c,
                              const char **go, size_t *go_len, gtr_dumpcmp_result_t *r)
{
    fuzz_oracle_t *o = fuzz_oracle_start(FAKE_ORACLE, NULL);
    assert_non_null(o);
    char buf[1024];
    size_t len = answers(buf, sizeof buf, list, n);
    assert_int_equal(fuzz_oracle_compare(o, (uint8_t *)buf, len, c, strlen(c), go, go_len, r),
                     0);
    return o;
}

static void an_agreeing_first_answer_costs_one_query(void **state)
{
    (void)state;
    const char *list[] = {B, A}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    fuzz_oracle_t *o = compare(list, 2, B, &go, &go_len, &r);
    assert_int_equal(r.verdict, GTR_DUMPCMP_SAME);
    assert_int_equal(queries_so_far(o), 1);
    fuzz_oracle_stop(o);
}

static void a_difference_goes_when_a_later_answer_agrees(void **state)
{
    (void)state;
    /* Go answers A, A, B, A, A, B, ...: C's B is one of its answers. */
    const char *list[] = {A, A, B}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    fuzz_oracle_t *o = compare(list, 3, B, &go, &go_len, &r);
    assert_int_equal(r.verdict, GTR_DUMPCMP_SAME);
    assert_int_equal(go_len, strlen(B));
    assert_memory_equal(go, B, go_len);
    assert_int_equal(queries_so_far(o), 3);
    fuzz_oracle_stop(o);
}

static void a_difference_stands_when_no_answer_agrees(void **state)
{
    (void)state;
    /* Go varies between A and B; C's answer is neither. */
    const char *list[] = {A, B}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    fuzz_oracle_t *o = compare(list, 2, C, &go, &go_len, &r);
    assert_int_equal(r.verdict, GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(r.line, 2);
    /* The result describes Go's last answer, which go points at. */
    assert_ptr_equal(r.b.ptr, go + strlen("Sync T=1 M=-1 P=-1 G=-1 N=1\n"));
    assert_int_equal(queries_so_far(o), FUZZ_ORACLE_RETRIES + 1);
    fuzz_oracle_stop(o);
}

static void other_verdicts_are_not_asked_again(void **state)
{
    (void)state;
    const char *list[] = {"declined: too big\n", A}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    fuzz_oracle_t *o = compare(list, 2, A, &go, &go_len, &r);
    assert_int_equal(r.verdict, GTR_DUMPCMP_DECLINED);
    assert_int_equal(queries_so_far(o), 1);
    fuzz_oracle_stop(o);
}

/* Starts a fake oracle answering list[q mod n], and sends it that request
 * (kept in buf, *len bytes) without receiving the answer. */
static fuzz_oracle_t *start_and_send(const char *const *list, size_t n, char *buf, size_t cap,
                                     size_t *len)
{
    fuzz_oracle_t *o = fuzz_oracle_start(FAKE_ORACLE, NULL);
    assert_non_null(o);
    *len = answers(buf, cap, list, n);
    fuzz_oracle_send(o, (uint8_t *)buf, *len);
    return o;
}

static void an_answer_sent_for_ahead_is_the_first_compared(void **state)
{
    (void)state;
    const char *list[] = {B, A, A}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    char buf[1024];
    size_t len;
    fuzz_oracle_t *o = start_and_send(list, 3, buf, sizeof buf, &len);
    assert_int_equal(
        fuzz_oracle_compare_sent(o, (uint8_t *)buf, len, B, strlen(B), &go, &go_len, &r), 0);
    assert_int_equal(r.verdict, GTR_DUMPCMP_SAME);
    assert_int_equal(queries_so_far(o), 1);
    fuzz_oracle_stop(o);
}

static void a_send_after_an_unreceived_send_gets_its_own_answer(void **state)
{
    (void)state;
    const char *list[] = {A, B}, *go;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    char buf[1024];
    size_t len;
    fuzz_oracle_t *o = start_and_send(list, 2, buf, sizeof buf, &len); /* A, never received */
    fuzz_oracle_send(o, (uint8_t *)buf, len);
    assert_int_equal(
        fuzz_oracle_compare_sent(o, (uint8_t *)buf, len, B, strlen(B), &go, &go_len, &r), 0);
    assert_int_equal(r.verdict, GTR_DUMPCMP_SAME);
    assert_int_equal(queries_so_far(o), 2);
    fuzz_oracle_stop(o);
}

static void a_query_after_an_unreceived_send_gets_its_own_answer(void **state)
{
    (void)state;
    const char *list[] = {A, B}, *go;
    size_t go_len;
    char buf[1024];
    size_t len;
    fuzz_oracle_t *o = start_and_send(list, 2, buf, sizeof buf, &len); /* A, never received */
    assert_int_equal(fuzz_oracle_query(o, (uint8_t *)buf, len, &go, &go_len), 0);
    assert_int_equal(go_len, strlen(B));
    assert_memory_equal(go, B, go_len);
    assert_int_equal(queries_so_far(o), 2);
    fuzz_oracle_stop(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_agreeing_first_answer_costs_one_query),
        cmocka_unit_test(a_difference_goes_when_a_later_answer_agrees),
        cmocka_unit_test(a_difference_stands_when_no_answer_agrees),
        cmocka_unit_test(other_verdicts_are_not_asked_again),
        cmocka_unit_test(an_answer_sent_for_ahead_is_the_first_compared),
        cmocka_unit_test(a_query_after_an_unreceived_send_gets_its_own_answer),
        cmocka_unit_test(a_send_after_an_unreceived_send_gets_its_own_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
