/* hmap.c: a small open-addressing hash map from uint64 to uint64, the one
 * associative structure of the reader (Go uses maps for tables and
 * scheduler state). Linear probing; deletion by backward shift so lookups
 * never need tombstones. Memory goes through gtr_mem_t. */
#include <string.h>

#include "internal.h"

static size_t slot_of(uint64_t key, size_t cap)
{
    /* splitmix64 finaliser: IDs are often small and dense. */
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return (size_t)key & (cap - 1);
}

bool gtr_hmap_get(const gtr_hmap_t *h, uint64_t key, uint64_t *val)
{
    if (h->cap == 0) {
        return false;
    }
    for (size_t i = slot_of(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
        if (!h->used[i]) {
            return false;
        }
        if (h->keys[i] == key) {
            if (val != NULL) {
                *val = h->vals[i];
            }
            return true;
        }
    }
}

static int rehash(gtr_hmap_t *h, gtr_mem_t *m, size_t ncap)
{
    if (ncap > SIZE_MAX / 17) {
        m->limit_hit = true;
        return GTR_ERR_LIMIT;
    }
    uint64_t *keys = gtr_mem_alloc(m, ncap * sizeof *keys);
    uint64_t *vals = gtr_mem_alloc(m, ncap * sizeof *vals);
    uint8_t *used = gtr_mem_calloc(m, ncap, 1);
    if (keys == NULL || vals == NULL || used == NULL) {
        bool lim = m->limit_hit;
        gtr_mem_free(m, keys);
        gtr_mem_free(m, vals);
        gtr_mem_free(m, used);
        m->limit_hit = lim;
        return lim ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->used[i]) {
            continue;
        }
        size_t j = slot_of(h->keys[i], ncap);
        while (used[j]) {
            j = (j + 1) & (ncap - 1);
        }
        used[j] = 1;
        keys[j] = h->keys[i];
        vals[j] = h->vals[i];
    }
    gtr_mem_free(m, h->keys);
    gtr_mem_free(m, h->vals);
    gtr_mem_free(m, h->used);
    h->keys = keys;
    h->vals = vals;
    h->used = used;
    h->cap = ncap;
    return GTR_OK;
}

int gtr_hmap_put(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, uint64_t val)
{
    if ((h->len + 1) * 4 > h->cap * 3) {
        FORWARD_IF_ERROR(rehash(h, m, h->cap == 0 ? 16 : h->cap * 2));
    }
    size_t i = slot_of(key, h->cap);
    while (h->used[i] && h->keys[i] != key) {
        i = (i + 1) & (h->cap - 1);
    }
    if (!h->used[i]) {
        h->used[i] = 1;
        h->keys[i] = key;
        h->len++;
    }
    h->vals[i] = val;
    return GTR_OK;
}

bool gtr_hmap_del(gtr_hmap_t *h, uint64_t key)
{
    if (h->cap == 0) {
        return false;
    }
    size_t mask = h->cap - 1;
    size_t i = slot_of(key, h->cap);
    while (h->used[i] && h->keys[i] != key) {
        i = (i + 1) & mask;
    }
    if (!h->used[i]) {
        return false;
    }
    /* Shift later members of the probe run back over the hole. */
    size_t hole = i;
    for (size_t j = (i + 1) & mask; h->used[j]; j = (j + 1) & mask) {
        size_t home = slot_of(h->keys[j], h->cap);
        bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
            h->keys[hole] = h->keys[j];
            h->vals[hole] = h->vals[j];
            hole = j;
        }
    }
    h->used[hole] = 0;
    h->len--;
    return true;
}

void gtr_hmap_free(gtr_hmap_t *h, gtr_mem_t *m)
{
    gtr_mem_free(m, h->keys);
    gtr_mem_free(m, h->vals);
    gtr_mem_free(m, h->used);
    memset(h, 0, sizeof *h);
}
