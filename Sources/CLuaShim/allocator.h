#ifndef CLUASHIM_ALLOCATOR_H
#define CLUASHIM_ALLOCATOR_H

#include "CLuaShim.h"

/// The free lists and slabs of one state's small blocks. Used by one thread at a time, as the state is.
struct CLuaShim_Pool *CLuaShim_poolCreate(void);

/// Frees the slabs; every block taken from them must be dead (the state closed).
void CLuaShim_poolDestroy(struct CLuaShim_Pool *pool);

/// The state's lua_Alloc; `ud` is its CLuaShim_Limits.
void *CLuaShim_cappedAlloc(void *ud, void *ptr, size_t osize, size_t nsize);

#endif
