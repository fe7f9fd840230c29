/* idmap.c: the map from a table's IDs to its entries. The runtime numbers
 * a generation's strings and stacks 1..n, so while every ID stays within a
 * few times the number of entries the IDs index an array directly (no
 * hashing, no probing, and an array that grows by doubling). The first ID
 * too large for that moves every entry into a hash map, which serves from
 * then on; either way the memory stays proportional to the entries, so a
 * hostile ID costs no more than any other. */
#include <string.h>

#include "internal.h"

static int move_to_hash(gtr_idmap_t *im, gtr_mem_t *m)
{
    for (size_t id = 0; id < im->cap; id++) {
        if (im->dir[id] != 0) {
            FORWARD_IF_ERROR(gtr_hmap_put(&im->h, m, id, im->dir[id] - 1));
        }
    }
    gtr_mem_free(m, im->dir);
    im->dir = NULL;
    im->cap = 0;
    im->hashed = true;
    return GTR_OK;
}

static int grow_dir(gtr_idmap_t *im, gtr_mem_t *m, uint64_t id)
{
    size_t ncap = im->cap < 32 ? 32 : im->cap;
    while (ncap <= id) {
        ncap *= 2;
    }
    uint32_t *dir = gtr_mem_realloc(m, im->dir, ncap * sizeof *dir);
    if (dir == NULL) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    memset(dir + im->cap, 0, (ncap - im->cap) * sizeof *dir);
    im->dir = dir;
    im->cap = ncap;
    return GTR_OK;
}

int gtr_idmap_put(gtr_idmap_t *im, gtr_mem_t *m, uint64_t id, uint64_t val)
{
    if (!im->hashed) {
        bool direct = val < UINT32_MAX &&
                      id <= (uint64_t)im->len * GTR_IDMAP_SPREAD + GTR_IDMAP_SLACK;
        if (direct && id >= im->cap) {
            FORWARD_IF_ERROR(grow_dir(im, m, id));
        }
        if (direct) {
            im->len += im->dir[id] == 0;
            im->dir[id] = (uint32_t)val + 1;
            return GTR_OK;
        }
        FORWARD_IF_ERROR(move_to_hash(im, m));
    }
    FORWARD_IF_ERROR(gtr_hmap_put(&im->h, m, id, val));
    im->len = im->h.len;
    return GTR_OK;
}

void gtr_idmap_free(gtr_idmap_t *im, gtr_mem_t *m)
{
    gtr_mem_free(m, im->dir);
    gtr_hmap_free(&im->h, m);
    memset(im, 0, sizeof *im);
}
