/* table.c: one generation's string and stack tables and its PC -> frame
 * map, with Go's rules: ID 0 always resolves (to "" or the empty stack) and
 * so can never be defined; a second definition of an ID is an error; the
 * first frame seen for a PC is the one every stack with that PC shows. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

size_t gtr_tables_entries(const gtr_tables_t *t)
{
    return t->nstr + t->nstk + t->npcs;
}

void gtr_tables_free(gtr_tables_t *t, gtr_mem_t *m)
{
    gtr_idmap_free(&t->strings, m);
    gtr_idmap_free(&t->stacks, m);
    gtr_hmap_free(&t->frames, m);
    gtr_hmap_free(&t->extra_ids, m);
    gtr_mem_free(m, t->str);
    gtr_mem_free(m, t->bytes);
    gtr_mem_free(m, t->stk);
    gtr_mem_free(m, t->pcs);
    gtr_mem_free(m, t->frame);
    gtr_mem_free(m, t->extra);
    memset(t, 0, sizeof *t);
}

bool gtr_tables_string(const gtr_tables_t *t, uint64_t id, gtr_str_t *out)
{
    uint64_t i;
    out->ptr = (const uint8_t *)"";
    out->len = 0;
    if (id == 0) {
        return true;
    }
    if (!gtr_idmap_get(&t->strings, id, &i)) {
        return false;
    }
    out->ptr = t->bytes + t->str[i].off;
    out->len = (size_t)t->str[i].len;
    return true;
}

#define GROW(t, m, arr, cap, need)                                             \
    gtr_mem_grow((m), (void **)&(t)->arr, &(t)->cap, (need), sizeof *(t)->arr)

static int room(const gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e, const gtr_limits_t *lim,
                size_t more)
{
    (void)m;
    RETURN_ERROR_IF(gtr_tables_entries(t) + more > lim->max_table_entries, e, GTR_ERR_LIMIT,
                    "resource limit: more than %zu table entries in one generation",
                    lim->max_table_entries);
    return GTR_OK;
}

static int append_bytes(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e, const uint8_t *p,
                        size_t n, uint64_t *off)
{
    if (GROW(t, m, bytes, bytes_cap, t->nbytes + n + 1) != GTR_OK) {
        return gtr_err_mem(e, m, "string table");
    }
    *off = t->nbytes;
    if (n != 0) {
        memcpy(t->bytes + t->nbytes, p, n);
    }
    t->nbytes += n;
    return GTR_OK;
}

int gtr_tables_add_string(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e,
                          const gtr_limits_t *lim, uint64_t id, const uint8_t *p, size_t n)
{
    gtr_str_t old;
    if (gtr_tables_string(t, id, &old)) {
        gtr_err_set(e, GTR_ERR_MALFORMED,
                    "multiple strings with the same ID: id=%llu, new=", (unsigned long long)id);
        gtr_err_append(e, p, n);
        gtr_err_append(e, ", existing=", 11);
        gtr_err_append(e, old.ptr, old.len);
        return GTR_ERR_MALFORMED;
    }
    FORWARD_IF_ERROR(room(t, m, e, lim, 1));
    if (GROW(t, m, str, str_cap, t->nstr + 1) != GTR_OK) {
        return gtr_err_mem(e, m, "string table");
    }
    size_t cur = t->nstr;
    uint64_t off;
    FORWARD_IF_ERROR(append_bytes(t, m, e, p, n, &off));
    if (gtr_idmap_put(&t->strings, m, id, cur) != GTR_OK) {
        return gtr_err_mem(e, m, "string table");
    }
    t->str[cur] = (gtr_span_t){off, n, id};
    t->nstr++;
    if (id > t->str_max_id) {
        t->str_max_id = id;
    }
    return GTR_OK;
}

/* Go's stack.String(): one "\t0x<pc>\n" per frame. */
static void append_stack(gtr_err_t *e, const uint64_t *pcs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gtr_err_appendf(e, "\t0x%llx\n", (unsigned long long)pcs[i]);
    }
}

static int add_frames(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e,
                      const gtr_frame_rec_t *frames, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool added;
        if (gtr_hmap_put_new(&t->frames, m, frames[i].pc, t->nframe, &added) != GTR_OK) {
            return gtr_err_mem(e, m, "frame table");
        }
        if (!added) {
            continue;
        }
        if (GROW(t, m, frame, frame_cap, t->nframe + 1) != GTR_OK) {
            gtr_hmap_del(&t->frames, frames[i].pc); /* no frame to point at */
            return gtr_err_mem(e, m, "frame table");
        }
        t->frame[t->nframe++] = frames[i];
    }
    return GTR_OK;
}

int gtr_tables_add_stack(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e,
                         const gtr_limits_t *lim, uint64_t id,
                         const gtr_frame_rec_t *frames, size_t n)
{
    FORWARD_IF_ERROR(room(t, m, e, lim, n + 1));
    /* Go records the frames before it looks at the ID. */
    FORWARD_IF_ERROR(add_frames(t, m, e, frames, n));
    uint64_t idx = 0; /* set when the ID is found; gcc cannot see it through the inline get */
    if (id == 0 || gtr_idmap_get(&t->stacks, id, &idx)) {
        gtr_err_set(e, GTR_ERR_MALFORMED,
                    "multiple trace.stacks with the same ID: id=%llu, new=",
                    (unsigned long long)id);
        for (size_t i = 0; i < n; i++) {
            gtr_err_appendf(e, "\t0x%llx\n", (unsigned long long)frames[i].pc);
        }
        gtr_err_append(e, ", existing=", 11);
        if (id != 0 && t->stk[idx].len != 0) {
            append_stack(e, t->pcs + t->stk[idx].off, (size_t)t->stk[idx].len);
        }
        return GTR_ERR_MALFORMED;
    }
    if (GROW(t, m, pcs, pcs_cap, t->npcs + n) != GTR_OK ||
        GROW(t, m, stk, stk_cap, t->nstk + 1) != GTR_OK ||
        gtr_idmap_put(&t->stacks, m, id, t->nstk) != GTR_OK) {
        return gtr_err_mem(e, m, "stack table");
    }
    t->stk[t->nstk] = (gtr_span_t){t->npcs, n, id};
    t->nstk++;
    if (id > t->stk_max_id) {
        t->stk_max_id = id;
    }
    for (size_t i = 0; i < n; i++) {
        t->pcs[t->npcs++] = frames[i].pc;
    }
    return GTR_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The frames of stack i must resolve, and so must their strings. */
static int validate_stack(const gtr_tables_t *t, gtr_err_t *e, size_t i)
{
    uint64_t id = t->stk[i].id;
    for (uint64_t j = 0; j < t->stk[i].len; j++) {
        uint64_t pc = t->pcs[t->stk[i].off + j], fi;
        gtr_str_t s;
        if (!gtr_hmap_get(&t->frames, pc, &fi)) {
            return gtr_err_set(e, GTR_ERR_MALFORMED, "found unknown pc %llx for stack %llu",
                               (unsigned long long)pc, (unsigned long long)id);
        }
        if (!gtr_tables_string(t, t->frame[fi].func_id, &s)) {
            return gtr_err_set(e, GTR_ERR_MALFORMED,
                               "found invalid func string ID %llu for stack %llu",
                               (unsigned long long)t->frame[fi].func_id, (unsigned long long)id);
        }
        if (!gtr_tables_string(t, t->frame[fi].file_id, &s)) {
            return gtr_err_set(e, GTR_ERR_MALFORMED,
                               "found invalid file string ID %llu for stack %llu",
                               (unsigned long long)t->frame[fi].file_id, (unsigned long long)id);
        }
    }
    return GTR_OK;
}

/* Every frame's strings must resolve. Go walks the stacks in ID order when
 * its table is dense and in map order otherwise; ID order here (the class
 * of the message is the same either way). The runtime numbers a
 * generation's stacks 1..n (and writes them in its hash table's order):
 * then the IDs are walked in order through the stacks map. Other inputs
 * are sorted. */
int gtr_tables_validate(const gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e)
{
    /* Every PC of every stack has its frame in the frame table (the first
     * one seen for that PC), and only those are there: when all of them
     * resolve, every stack does, and there is no message to find. */
    bool all_resolve = true;
    for (size_t i = 0; i < t->nframe && all_resolve; i++) {
        all_resolve = gtr_tables_has_string(t, t->frame[i].func_id) &&
                      gtr_tables_has_string(t, t->frame[i].file_id);
    }
    if (all_resolve) {
        return GTR_OK;
    }
    size_t n = t->nstk;
    /* IDs are distinct and nonzero (gtr_tables_add_stack), so a largest
     * ID of n means exactly 1..n. */
    if (t->stk_max_id == n) {
        for (uint64_t id = 1; id <= n; id++) {
            uint64_t i = 0;
            gtr_idmap_get(&t->stacks, id, &i);
            FORWARD_IF_ERROR(validate_stack(t, e, (size_t)i));
        }
        return GTR_OK;
    }
    /* Pairs (id, index) sorted by id. */
    uint64_t *pairs = gtr_mem_calloc(m, n, 2 * sizeof *pairs);
    if (pairs == NULL) {
        return gtr_err_mem(e, m, "stack validation");
    }
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = t->stk[i].id;
        pairs[2 * i + 1] = i;
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_u64);
    int rc = GTR_OK;
    for (size_t k = 0; k < n && rc == GTR_OK; k++) {
        rc = validate_stack(t, e, (size_t)pairs[2 * k + 1]);
    }
    gtr_mem_free(m, pairs);
    return rc;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

/* Task names carried from a TaskBegin to its TaskEnd, possibly across
 * generations. Deduplicated by content (Go does the same) so that a trace
 * cannot multiply one long name by its number of tasks. */
int gtr_tables_add_extra(gtr_tables_t *t, gtr_mem_t *m, const uint8_t *p, size_t n,
                         uint64_t *id)
{
    *id = 0;
    if (n == 0) {
        return GTR_OK;
    }
    uint64_t h = fnv1a(p, n), i;
    if (gtr_hmap_get(&t->extra_ids, h, &i) && t->extra[i].len == n &&
        memcmp(t->bytes + t->extra[i].off, p, n) == 0) {
        *id = i + 1;
        return GTR_OK;
    }
    gtr_err_t dummy;
    if (GROW(t, m, extra, extra_cap, t->nextra + 1) != GTR_OK) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    uint64_t off;
    int rc = append_bytes(t, m, &dummy, p, n, &off);
    if (rc != GTR_OK) {
        return rc;
    }
    if (gtr_hmap_put(&t->extra_ids, m, h, t->nextra) != GTR_OK) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    t->extra[t->nextra] = (gtr_span_t){off, n, t->nextra + 1};
    t->nextra++;
    *id = t->nextra;
    return GTR_OK;
}

gtr_str_t gtr_tables_extra(const gtr_tables_t *t, uint64_t id)
{
    gtr_str_t s = {(const uint8_t *)"", 0};
    if (id != 0 && id <= t->nextra) {
        s.ptr = t->bytes + t->extra[id - 1].off;
        s.len = (size_t)t->extra[id - 1].len;
    }
    return s;
}
