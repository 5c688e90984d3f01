// The allocator every state is made with: it counts bytes, refuses past the cap, and keeps Lua's small
// blocks off the C heap.
//
// A worker's Lua makes and drops thousands of small objects per message (the msg table, its strings,
// closures). Through malloc they filled glibc's fast bins, and each larger request the worker's Swift
// code made (≥ 1 KB) then paid for consolidating them: malloc was about 12% of a worker's time in
// `warden bench`. Small blocks now come from per-state free lists, one per size class, carved out of
// slabs the state keeps until it closes. Lua passes a block's size when it frees or resizes it, so the
// blocks need no header; a block is the pool's exactly when its size is at most POOL_LARGEST.
#include "allocator.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POOL_GRAIN 16  // what malloc aligns to; Lua needs 8
#define POOL_LARGEST 512
#define POOL_CLASSES (POOL_LARGEST / POOL_GRAIN)
#define POOL_SLAB_BYTES (64 * 1024)
// A slab starts with the link to the slab before it, padded so blocks stay aligned.
#define POOL_SLAB_HEADER POOL_GRAIN

struct CLuaShim_Pool {
    void *free_blocks[POOL_CLASSES];  // a free block's first word links to the next
    void *slabs;                      // newest first
    char *unused;                     // the newest slab's part never handed out
    char *unused_end;
};

static size_t class_of(size_t size) { return (size - 1) / POOL_GRAIN; }

struct CLuaShim_Pool *CLuaShim_poolCreate(void) { return calloc(1, sizeof(struct CLuaShim_Pool)); }

void CLuaShim_poolDestroy(struct CLuaShim_Pool *pool) {
    if (pool == NULL) return;
    void *slab = pool->slabs;
    while (slab != NULL) {
        void *older = *(void **)slab;
        free(slab);
        slab = older;
    }
    free(pool);
}

// Makes `block`, a malloc'd block of `bytes`, the pool's newest slab.
static void adopt_slab(struct CLuaShim_Pool *pool, char *block, size_t bytes) {
    *(void **)block = pool->slabs;
    pool->slabs = block;
    pool->unused = block + POOL_SLAB_HEADER;
    pool->unused_end = block + bytes;
}

static void *pool_take(struct CLuaShim_Pool *pool, size_t size) {
    size_t class = class_of(size);
    void *block = pool->free_blocks[class];
    if (block != NULL) {
        pool->free_blocks[class] = *(void **)block;
        return block;
    }
    size_t rounded = (class + 1) * POOL_GRAIN;
    if ((size_t)(pool->unused_end - pool->unused) < rounded) {
        // What is left of the old slab (less than one block) is given up.
        char *slab = malloc(POOL_SLAB_BYTES);
        if (slab == NULL) return NULL;
        adopt_slab(pool, slab, POOL_SLAB_BYTES);
    }
    block = pool->unused;
    pool->unused += rounded;
    return block;
}

static void pool_give_back(struct CLuaShim_Pool *pool, void *block, size_t size) {
    size_t class = class_of(size);
    *(void **)block = pool->free_blocks[class];
    pool->free_blocks[class] = block;
}

// Lua assumes that shrinking never fails. A large block shrunk to a small one when no slab can be had
// becomes a slab itself, and the small block is carved from it: large blocks carry POOL_SLAB_HEADER bytes
// of slack so that the header and the largest small block always fit.
static void *large_resize(void *ptr, size_t size) {
    if (size > SIZE_MAX - POOL_SLAB_HEADER) return NULL;
    return realloc(ptr, size + POOL_SLAB_HEADER);
}

static void *shrink_into_pool(struct CLuaShim_Pool *pool, char *ptr, size_t osize, size_t nsize) {
    void *block = pool_take(pool, nsize);
    if (block != NULL) {
        memcpy(block, ptr, nsize);
        free(ptr);
        return block;
    }
    memmove(ptr + POOL_SLAB_HEADER, ptr, nsize);
    adopt_slab(pool, ptr, osize + POOL_SLAB_HEADER);
    return pool_take(pool, nsize);
}

static void *resize(struct CLuaShim_Pool *pool, void *ptr, size_t osize, size_t nsize) {
    int is_small = nsize <= POOL_LARGEST;
    if (ptr == NULL) return is_small ? pool_take(pool, nsize) : large_resize(NULL, nsize);
    int was_small = osize <= POOL_LARGEST;
    if (!was_small && !is_small) return large_resize(ptr, nsize);
    if (was_small && is_small && class_of(osize) == class_of(nsize)) return ptr;
    if (!was_small) return shrink_into_pool(pool, ptr, osize, nsize);
    void *block = is_small ? pool_take(pool, nsize) : large_resize(NULL, nsize);
    if (block == NULL) return NULL;  // a failed grow leaves the old block to Lua, as realloc does
    memcpy(block, ptr, osize < nsize ? osize : nsize);
    pool_give_back(pool, ptr, osize);
    return block;
}

void *CLuaShim_cappedAlloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    CLuaShim_Limits *limits = (CLuaShim_Limits *)ud;
    // When ptr is NULL, osize encodes the object type rather than a size.
    size_t old_size = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr != NULL) {
            if (osize <= POOL_LARGEST) pool_give_back(limits->pool, ptr, osize);
            else free(ptr);
        }
        limits->bytes_in_use -= old_size;
        return NULL;
    }
    if (nsize > old_size && limits->cap_enforced && limits->byte_cap != 0
        && limits->bytes_in_use - old_size + nsize > limits->byte_cap) {
        return NULL;  // Lua turns this into a "not enough memory" error.
    }
    void *block = resize(limits->pool, ptr, old_size, nsize);
    if (block == NULL) return NULL;
    limits->bytes_in_use = limits->bytes_in_use - old_size + nsize;
    if (nsize > old_size) limits->bytes_allocated += nsize - old_size;
    if (limits->bytes_in_use > limits->peak_bytes) limits->peak_bytes = limits->bytes_in_use;
    return block;
}
