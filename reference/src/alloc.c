/* alloc.c: the allocator hook and the accounting that keeps a reader under
 * max_total_memory. Each block carries its size in a small header so that
 * frees and reallocs keep the live total exact without asking the user's
 * allocator anything. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Room for the size, rounded so the user's block stays max-aligned. */
#define HDR 16u

static void *libc_malloc(void *u, size_t n) { (void)u; return malloc(n); }
static void *libc_realloc(void *u, void *p, size_t n) { (void)u; return realloc(p, n); }
static void libc_free(void *u, void *p) { (void)u; free(p); }

void gtr_mem_init(gtr_mem_t *m, const gtr_allocator_t *a, size_t limit)
{
    memset(m, 0, sizeof *m);
    if (a != NULL && a->malloc_fn != NULL && a->free_fn != NULL) {
        m->a = *a;
    } else {
        m->a.malloc_fn = libc_malloc;
        m->a.realloc_fn = libc_realloc;
        m->a.free_fn = libc_free;
        m->a.user = NULL;
    }
    m->limit = limit;
}

/* Checks the limit before asking the allocator, so a hostile size never
 * reaches it. */
static bool fits(gtr_mem_t *m, size_t old, size_t n)
{
    if (n > SIZE_MAX - HDR || n + HDR > m->limit || m->live - old > m->limit - (n + HDR)) {
        m->limit_hit = true;
        return false;
    }
    return true;
}

static void account(gtr_mem_t *m, size_t old, size_t n)
{
    m->live = m->live - old + n;
    if (m->live > m->peak) {
        m->peak = m->live;
    }
}

void *gtr_mem_alloc(gtr_mem_t *m, size_t n)
{
    if (!fits(m, 0, n)) {
        return NULL;
    }
    uint8_t *p = m->a.malloc_fn(m->a.user, n + HDR);
    if (p == NULL) {
        m->limit_hit = false;
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    account(m, 0, n + HDR);
    return p + HDR;
}

void *gtr_mem_calloc(gtr_mem_t *m, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        m->limit_hit = true;
        return NULL;
    }
    void *p = gtr_mem_alloc(m, count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

static size_t block_size(const void *p)
{
    size_t n;
    memcpy(&n, (const uint8_t *)p - HDR, sizeof n);
    return n;
}

void *gtr_mem_realloc(gtr_mem_t *m, void *p, size_t n)
{
    if (p == NULL) {
        return gtr_mem_alloc(m, n);
    }
    size_t old = block_size(p);
    if (!fits(m, old + HDR, n)) {
        return NULL;
    }
    uint8_t *q;
    if (m->a.realloc_fn != NULL) {
        q = m->a.realloc_fn(m->a.user, (uint8_t *)p - HDR, n + HDR);
        if (q == NULL) {
            m->limit_hit = false;
            return NULL;
        }
    } else {
        q = m->a.malloc_fn(m->a.user, n + HDR);
        if (q == NULL) {
            m->limit_hit = false;
            return NULL;
        }
        memcpy(q + HDR, p, old < n ? old : n);
        m->a.free_fn(m->a.user, (uint8_t *)p - HDR);
    }
    memcpy(q, &n, sizeof n);
    account(m, old + HDR, n + HDR);
    return q + HDR;
}

void gtr_mem_free(gtr_mem_t *m, void *p)
{
    if (p == NULL) {
        return;
    }
    size_t n = block_size(p);
    m->live -= n + HDR;
    m->a.free_fn(m->a.user, (uint8_t *)p - HDR);
}

int gtr_mem_grow_to(gtr_mem_t *m, void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap < 8 ? 8 : *cap;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            m->limit_hit = true;
            return GTR_ERR_LIMIT;
        }
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem) {
        m->limit_hit = true;
        return GTR_ERR_LIMIT;
    }
    void *p = gtr_mem_realloc(m, *arr, ncap * elem);
    if (p == NULL) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    *arr = p;
    *cap = ncap;
    return GTR_OK;
}
