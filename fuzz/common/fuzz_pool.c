/* fuzz_pool.c: the pool allocator of fuzz_pool.h. */
#include "fuzz_pool.h"

#include <stdlib.h>
#include <string.h>

/* Every block starts with its size, rounded so that what the reader gets
 * stays max-aligned; blocks start on 16 bytes. */
#define HDR 16u
#define ALIGN 16u

static size_t block_size(const void *ptr)
{
    size_t n;
    memcpy(&n, (const uint8_t *)ptr - HDR, sizeof n);
    return n;
}

static bool in_pool(const fuzz_pool_t *p, const void *ptr)
{
    return p->base != NULL && (const uint8_t *)ptr >= p->base &&
           (const uint8_t *)ptr < p->base + p->cap;
}

/* A block outside the pool, with the same header. */
static void *heap_alloc(size_t n)
{
    uint8_t *b = n <= SIZE_MAX - HDR ? malloc(n + HDR) : NULL;
    if (b == NULL) {
        return NULL;
    }
    memcpy(b, &n, sizeof n);
    return b + HDR;
}

/* Bytes a block of n takes in the pool, header included; 0 if too large. */
static size_t span(size_t n)
{
    return n > SIZE_MAX - HDR - ALIGN ? 0 : (HDR + n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void *pool_malloc(void *user, size_t n)
{
    fuzz_pool_t *p = user;
    if (p->base == NULL && p->cap != 0) {
        p->base = malloc(p->cap);
        p->used = 0;
        p->last = NULL;
        if (p->base == NULL) {
            p->cap = 0; /* no pool for this input: its blocks from the heap */
        }
    }
    size_t s = span(n);
    if (s == 0 || s > p->cap - p->used) {
        return heap_alloc(n);
    }
    uint8_t *b = p->base + p->used;
    memcpy(b, &n, sizeof n);
    p->used += s;
    p->last = b + HDR;
    return p->last;
}

static void *pool_realloc(void *user, void *ptr, size_t n)
{
    fuzz_pool_t *p = user;
    if (ptr == NULL) {
        return pool_malloc(p, n);
    }
    size_t old = block_size(ptr);
    if (!in_pool(p, ptr)) {
        uint8_t *b = n <= SIZE_MAX - HDR ? realloc((uint8_t *)ptr - HDR, n + HDR) : NULL;
        if (b == NULL) {
            return NULL;
        }
        memcpy(b, &n, sizeof n);
        return b + HDR;
    }
    if (ptr == p->last) {
        /* The newest block grows or shrinks where it is. */
        size_t start = (size_t)((uint8_t *)ptr - HDR - p->base), s = span(n);
        if (s != 0 && s <= p->cap - start) {
            memcpy((uint8_t *)ptr - HDR, &n, sizeof n);
            p->used = start + s;
            return ptr;
        }
    }
    void *q = pool_malloc(p, n);
    if (q != NULL) {
        memcpy(q, ptr, old < n ? old : n);
    }
    return q;
}

static void pool_free(void *user, void *ptr)
{
    fuzz_pool_t *p = user;
    if (ptr != NULL && !in_pool(p, ptr)) {
        free((uint8_t *)ptr - HDR);
    }
}

gtr_allocator_t fuzz_pool_hook(fuzz_pool_t *p, size_t cap)
{
    if (p->base == NULL) {
        p->cap = cap;
    }
    gtr_allocator_t h = {pool_malloc, pool_realloc, pool_free, p};
    return h;
}

void fuzz_pool_reset(fuzz_pool_t *p)
{
    p->used = 0;
    p->last = NULL;
}

void fuzz_pool_release(fuzz_pool_t *p)
{
    free(p->base);
    memset(p, 0, sizeof *p);
}
