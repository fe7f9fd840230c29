/* map.c: the checker's memory accounting and its one map type (uint64 keys
 * to fixed-size values). Every piece of per-resource state lives in such a
 * map, so bounding memory is a matter of deleting entries when resources
 * die and clearing the per-generation maps at each Sync. */
#include <stdlib.h>
#include <string.h>

#include "gtc_internal.h"

/* ------------------------------------------------------------- memory */

void *gtc_mem_alloc(gtc_mem_t *m, size_t n)
{
    return gtc_mem_realloc(m, NULL, 0, n);
}

void *gtc_mem_realloc(gtc_mem_t *m, void *p, size_t old_n, size_t new_n)
{
    if (new_n > old_n && new_n - old_n > m->limit - m->live) {
        m->failed = GTC_ERR_LIMIT;
        return NULL;
    }
    void *q;
    if (m->a.realloc_fn != NULL) {
        q = m->a.realloc_fn(m->a.user, p, new_n);
    } else if (m->a.malloc_fn != NULL) {
        /* No realloc hook: copy, as the reader does. */
        q = m->a.malloc_fn(m->a.user, new_n);
        if (q != NULL && p != NULL) {
            memcpy(q, p, old_n < new_n ? old_n : new_n);
            m->a.free_fn(m->a.user, p);
        }
    } else {
        q = realloc(p, new_n);
    }
    if (q == NULL) {
        m->failed = GTC_ERR_NOMEM;
        return NULL;
    }
    m->live = m->live - old_n + new_n;
    if (m->live > m->peak) {
        m->peak = m->live;
    }
    return q;
}

void gtc_mem_free(gtc_mem_t *m, void *p, size_t n)
{
    if (p == NULL) {
        return;
    }
    if (m->a.free_fn != NULL) {
        m->a.free_fn(m->a.user, p);
    } else {
        free(p);
    }
    m->live -= n;
}

/* --------------------------------------------------------------- maps */

/* Slot layout: key, a used flag (a whole word, to keep values aligned),
 * then the value. */
#define SLOT_HDR (2 * sizeof(uint64_t))
#define MIN_CAP 16

static uint64_t mix(uint64_t x)
{
    /* splitmix64's finalizer: IDs are often small and sequential. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint8_t *slot(const gtc_map_t *m, size_t i) { return m->slots + i * m->stride; }
static uint64_t *slot_key(uint8_t *s) { return (uint64_t *)(void *)s; }
static uint64_t *slot_used(uint8_t *s) { return (uint64_t *)(void *)(s + sizeof(uint64_t)); }

void gtc_map_init(gtc_map_t *m, gtc_mem_t *mem, size_t vsize)
{
    memset(m, 0, sizeof *m);
    m->mem = mem;
    m->vsize = vsize;
    m->stride = SLOT_HDR + ((vsize + 7) & ~(size_t)7);
}

void gtc_map_free(gtc_map_t *m)
{
    gtc_mem_free(m->mem, m->slots, m->cap * m->stride);
    m->slots = NULL;
    m->cap = m->len = 0;
    m->hit = NULL;
}

static size_t find(const gtc_map_t *m, uint64_t key, bool *found)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)mix(key) & mask;
    for (;;) {
        uint8_t *s = slot(m, i);
        if (!*slot_used(s)) {
            *found = false;
            return i;
        }
        if (*slot_key(s) == key) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

void *gtc_map_get(const gtc_map_t *m, uint64_t key)
{
    bool found;
    if (m->hit != NULL && m->hit_key == key) {
        return m->hit;
    }
    if (m->cap == 0) {
        return NULL;
    }
    size_t i = find(m, key, &found);
    return found ? slot(m, i) + SLOT_HDR : NULL;
}

static bool grow(gtc_map_t *m)
{
    size_t ncap = m->cap == 0 ? MIN_CAP : m->cap * 2;
    if (ncap > SIZE_MAX / m->stride) {
        m->mem->failed = GTC_ERR_LIMIT;
        return false;
    }
    uint8_t *ns = gtc_mem_alloc(m->mem, ncap * m->stride);
    if (ns == NULL) {
        return false;
    }
    memset(ns, 0, ncap * m->stride);
    gtc_map_t old = *m;
    m->slots = ns;
    m->cap = ncap;
    m->hit = NULL;
    for (size_t i = 0; i < old.cap; i++) {
        uint8_t *s = slot(&old, i);
        if (*slot_used(s)) {
            bool found;
            size_t j = find(m, *slot_key(s), &found);
            memcpy(slot(m, j), s, m->stride);
        }
    }
    gtc_mem_free(m->mem, old.slots, old.cap * old.stride);
    return true;
}

void *gtc_map_put(gtc_map_t *m, uint64_t key, bool *created)
{
    bool found = false;
    size_t i = 0;
    if (m->hit != NULL && m->hit_key == key) {
        if (created != NULL) {
            *created = false;
        }
        return m->hit;
    }
    if (m->cap != 0) {
        i = find(m, key, &found);
    }
    if (!found && (m->len + 1) * 2 > m->cap) {
        if (!grow(m)) {
            return NULL;
        }
        i = find(m, key, &found);
    }
    uint8_t *s = slot(m, i);
    if (!found) {
        memset(s, 0, m->stride);
        *slot_key(s) = key;
        *slot_used(s) = 1;
        m->len++;
    }
    if (created != NULL) {
        *created = !found;
    }
    m->hit = s + SLOT_HDR;
    m->hit_key = key;
    return m->hit;
}

void gtc_map_del(gtc_map_t *m, uint64_t key)
{
    bool found;
    if (m->cap == 0) {
        return;
    }
    size_t mask = m->cap - 1;
    size_t i = find(m, key, &found);
    if (!found) {
        return;
    }
    m->hit = NULL;
    /* Backward shift: move later members of the probe run into the hole
     * whenever their home slot does not lie between the hole and them. */
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        uint8_t *sj = slot(m, j);
        if (!*slot_used(sj)) {
            break;
        }
        size_t home = (size_t)mix(*slot_key(sj)) & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            memcpy(slot(m, i), sj, m->stride);
            i = j;
        }
    }
    memset(slot(m, i), 0, m->stride);
    m->len--;
}

void *gtc_map_slot(const gtc_map_t *m, size_t i, uint64_t *key)
{
    uint8_t *s = slot(m, i);
    if (!*slot_used(s)) {
        return NULL;
    }
    if (key != NULL) {
        *key = *slot_key(s);
    }
    return s + SLOT_HDR;
}

void gtc_map_clear(gtc_map_t *m)
{
    /* Clearing, and iterating afterwards, cost what the map held, not what
     * it once grew to: a run of tiny generations after a large one must
     * not walk the large table each time. */
    if (m->cap > MIN_CAP && m->len * 8 < m->cap) {
        gtc_map_free(m);
        return;
    }
    if (m->len > 0) {
        memset(m->slots, 0, m->cap * m->stride);
        m->len = 0;
    }
    m->hit = NULL;
}
