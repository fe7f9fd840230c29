/* oracle_compare.c: the C dump against Go's, Go asked again on a
 * difference (oracle_compare.h says why). */
#include "oracle_compare.h"

int fuzz_oracle_compare_sent(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char *c,
                             size_t c_len, const char **go, size_t *go_len,
                             gtr_dumpcmp_result_t *res)
{
    gtr_dumpcmp_classify_fn cls = gtr_dumpcmp_default_classifier();
    for (int i = 0; i <= FUZZ_ORACLE_RETRIES; i++) {
        /* The first answer is the one sent for; then fresh queries. */
        if (fuzz_oracle_receive(o, data, len, go, go_len) != 0) {
            return -1;
        }
        if (gtr_dump_compare(c, c_len, *go, *go_len, cls, res) != GTR_DUMPCMP_DIFFERENT) {
            break;
        }
    }
    return 0;
}

int fuzz_oracle_compare(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char *c,
                        size_t c_len, const char **go, size_t *go_len,
                        gtr_dumpcmp_result_t *res)
{
    fuzz_oracle_send(o, data, len);
    return fuzz_oracle_compare_sent(o, data, len, c, c_len, go, go_len, res);
}
