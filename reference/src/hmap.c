/* hmap.c: a small open-addressing hash map from uint64 to uint64, the one
 * associative structure of the reader (Go uses maps for tables and
 * scheduler state). Linear probing; deletion by backward shift so lookups
 * never need tombstones. Memory goes through gtr_mem_t. Lookup is inline in
 * internal.h. */
#include <string.h>

#include "internal.h"

static int rehash(gtr_hmap_t *h, gtr_mem_t *m, size_t ncap)
{
    if (ncap > SIZE_MAX / sizeof(gtr_hslot_t) / 2) {
        m->limit_hit = true;
        return GTR_ERR_LIMIT;
    }
    gtr_hslot_t *slot = gtr_mem_calloc(m, ncap, sizeof *slot);
    if (slot == NULL) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->slot[i].used) {
            continue;
        }
        size_t j = gtr_hmap_slot_of(h->slot[i].key, ncap);
        while (slot[j].used) {
            j = (j + 1) & (ncap - 1);
        }
        slot[j] = h->slot[i];
    }
    gtr_mem_free(m, h->slot);
    h->slot = slot;
    h->cap = ncap;
    return GTR_OK;
}

/* The slot holding key, or the free slot that ends its probe run
 * (h->cap != 0). */
static size_t probe(const gtr_hmap_t *h, uint64_t key)
{
    size_t i = gtr_hmap_slot_of(key, h->cap);
    while (h->slot[i].used && h->slot[i].key != key) {
        i = (i + 1) & (h->cap - 1);
    }
    return i;
}

/* The slot of key, claimed for it if it was free (*added says which). The
 * map grows only for a key it does not hold. */
static int claim(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, bool *added, gtr_hslot_t **slot)
{
    size_t i = h->cap != 0 ? probe(h, key) : 0;
    *added = h->cap == 0 || !h->slot[i].used;
    if (*added && (h->len + 1) * 4 > h->cap * 3) {
        FORWARD_IF_ERROR(rehash(h, m, h->cap == 0 ? 16 : h->cap * 2));
        i = probe(h, key);
    }
    if (*added) {
        h->slot[i].used = 1;
        h->slot[i].key = key;
        h->len++;
    }
    *slot = &h->slot[i];
    return GTR_OK;
}

int gtr_hmap_put(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, uint64_t val)
{
    bool added;
    gtr_hslot_t *s;
    FORWARD_IF_ERROR(claim(h, m, key, &added, &s));
    s->val = val;
    return GTR_OK;
}

int gtr_hmap_put_new(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, uint64_t val, bool *added)
{
    gtr_hslot_t *s;
    FORWARD_IF_ERROR(claim(h, m, key, added, &s));
    if (*added) {
        s->val = val;
    }
    return GTR_OK;
}

bool gtr_hmap_del(gtr_hmap_t *h, uint64_t key)
{
    if (h->cap == 0) {
        return false;
    }
    size_t mask = h->cap - 1;
    size_t i = probe(h, key);
    if (!h->slot[i].used) {
        return false;
    }
    /* Shift later members of the probe run back over the hole. */
    size_t hole = i;
    for (size_t j = (i + 1) & mask; h->slot[j].used; j = (j + 1) & mask) {
        size_t home = gtr_hmap_slot_of(h->slot[j].key, h->cap);
        bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
            h->slot[hole] = h->slot[j];
            hole = j;
        }
    }
    h->slot[hole].used = 0;
    h->len--;
    return true;
}

void gtr_hmap_clear(gtr_hmap_t *h)
{
    if (h->len != 0) {
        memset(h->slot, 0, h->cap * sizeof *h->slot);
        h->len = 0;
    }
}

void gtr_hmap_free(gtr_hmap_t *h, gtr_mem_t *m)
{
    gtr_mem_free(m, h->slot);
    memset(h, 0, sizeof *h);
}
