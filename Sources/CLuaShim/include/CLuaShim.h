// The C that must be C: Lua raises errors with longjmp, which must never cross
// a Swift frame. Everything here runs between Lua and Swift so that Swift code
// only ever sees return codes. Besides that, one reader Lua calls on its hot path
// without entering Swift at all (CLuaShim_pushCounterReader).
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct lua_State lua_State;

/// Returned by a host function to ask the trampoline to raise the value on
/// top of the stack as a Lua error (after the Swift frame has returned).
#define CLUASHIM_RAISE (-1)

/// Per-state budgets, shared with the allocator (as its `ud`) and the count hook.
typedef struct CLuaShim_Limits {
    size_t bytes_in_use;
    size_t peak_bytes;
    /// Bytes handed out since the state was made (growth only, frees not subtracted):
    /// the garbage a piece of work makes, for figures.
    uint64_t bytes_allocated;
    /// 0 means no cap.
    size_t byte_cap;
    /// The cap only applies while plugin code runs: the host itself never
    /// gets a raising allocation failure outside a protected call.
    int cap_enforced;
    /// Instructions left for the current protected call.
    int64_t instructions_left;
    /// Set once the budget has run out; cleared by CLuaShim_pcall.
    int budget_exhausted;
    /// The allocator's free lists of small blocks (private to it).
    struct CLuaShim_Pool *pool;
} CLuaShim_Limits;

/// A Swift function callable from Lua. It returns the number of results, or
/// CLUASHIM_RAISE with the error value pushed on the stack.
typedef int (*CLuaShim_HostFunction)(lua_State *L);

/// A new state whose allocator counts bytes in `limits` and refuses past its cap.
/// `limits` must outlive the state. Returns NULL when malloc fails.
lua_State *CLuaShim_newState(CLuaShim_Limits *limits);

/// Closes a state made by CLuaShim_newState and frees what its allocator kept. `limits` stays the caller's.
void CLuaShim_closeState(lua_State *L);

/// The limits a state was created with.
CLuaShim_Limits *CLuaShim_limits(lua_State *L);

/// Pushes a C closure that calls `function` with `upvalues` extra upvalues,
/// taken from the top of the stack (available as upvalue 2, 3, … to Swift).
void CLuaShim_pushHostFunction(lua_State *L, CLuaShim_HostFunction function, int upvalues);

/// lua_pcall with a traceback message handler, an instruction budget and the
/// memory cap enforced. Stack: function and `nargs` arguments on top. On error
/// the message (with traceback where Lua gives one) is left on top.
int CLuaShim_pcall(lua_State *L, int nargs, int nresults, int64_t instructions);

/// luaL_loadbufferx in text mode only (binary chunks are refused), with the
/// memory cap enforced.
int CLuaShim_loadText(lua_State *L, const char *source, size_t length, const char *chunkname);

/// Sets a counter that Lua reads through CLuaShim_pushCounterReader (atomically: other threads read it).
void CLuaShim_storeCounter(uint64_t *counter, uint64_t value);

/// Pushes a Lua function of no arguments that returns `counter`'s value as an integer. It reads the
/// counter without calling Swift: what a state keeps of something Swift owns can be checked against it
/// before every use at the cost of a C call, where a host call costs about a microsecond. `counter`
/// must outlive the state.
void CLuaShim_pushCounterReader(lua_State *L, const uint64_t *counter);

#endif
