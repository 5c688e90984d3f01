#include "CLuaShim.h"

#include "allocator.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>

// How many instructions run between two looks at the budget. Small enough to
// stop a loop within microseconds, large enough to cost nothing measurable.
#define CLUASHIM_HOOK_STRIDE 1000

CLuaShim_Limits *CLuaShim_limits(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (CLuaShim_Limits *)ud;
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    limits->instructions_left -= lua_gethookcount(L);
    if (limits->instructions_left > 0) return;
    limits->budget_exhausted = 1;
    // Fire on every instruction from now on, so a pcall inside the plugin
    // cannot swallow the error and keep looping (as Redis does).
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "instruction budget exceeded (runaway code stopped)");
}

lua_State *CLuaShim_newState(CLuaShim_Limits *limits) {
    limits->bytes_in_use = 0;
    limits->peak_bytes = 0;
    limits->bytes_allocated = 0;
    limits->cap_enforced = 0;
    limits->budget_exhausted = 0;
    limits->pool = CLuaShim_poolCreate();
    if (limits->pool == NULL) return NULL;
    lua_State *L = lua_newstate(CLuaShim_cappedAlloc, limits);
    if (L == NULL) {
        CLuaShim_poolDestroy(limits->pool);
        limits->pool = NULL;
    }
    return L;
}

void CLuaShim_closeState(lua_State *L) {
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    lua_close(L);
    CLuaShim_poolDestroy(limits->pool);
    limits->pool = NULL;
}

static int host_trampoline(lua_State *L) {
    CLuaShim_HostFunction function = (CLuaShim_HostFunction)lua_touserdata(L, lua_upvalueindex(1));
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    // Swift must never see an allocation failure raise: lift the cap while it runs.
    int enforced = limits->cap_enforced;
    limits->cap_enforced = 0;
    int results = function(L);
    limits->cap_enforced = enforced;
    if (results == CLUASHIM_RAISE) return lua_error(L);
    return results;
}

void CLuaShim_pushHostFunction(lua_State *L, CLuaShim_HostFunction function, int upvalues) {
    lua_pushlightuserdata(L, (void *)function);
    lua_rotate(L, -(upvalues + 1), 1);
    lua_pushcclosure(L, host_trampoline, upvalues + 1);
}

// Modelled on lua.c's msghandler: add a traceback to string messages.
static int traceback_handler(lua_State *L) {
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    int described = 0;
    if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
        // An error object's __tostring is plugin code: it runs under the budget and the cap still in
        // force, or one that loops or allocates without end would hang the worker or exhaust its memory.
        described = luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING;
    }
    limits->cap_enforced = 0;  // building the traceback must not itself run out
    lua_sethook(L, NULL, 0, 0);
    if (described) return 1;
    const char *message = lua_tostring(L, 1);
    if (message == NULL) message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, message, 1);
    return 1;
}

int CLuaShim_pcall(lua_State *L, int nargs, int nresults, int64_t instructions) {
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    int function_index = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback_handler);
    lua_insert(L, function_index);

    int stride = instructions < CLUASHIM_HOOK_STRIDE ? (int)(instructions > 0 ? instructions : 1) : CLUASHIM_HOOK_STRIDE;
    limits->instructions_left = instructions;
    limits->budget_exhausted = 0;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, stride);
    int outer_enforced = limits->cap_enforced;
    limits->cap_enforced = 1;

    int status = lua_pcall(L, nargs, nresults, function_index);

    limits->cap_enforced = outer_enforced;
    lua_sethook(L, NULL, 0, 0);
    lua_remove(L, function_index);
    return status;
}

int CLuaShim_loadText(lua_State *L, const char *source, size_t length, const char *chunkname) {
    CLuaShim_Limits *limits = CLuaShim_limits(L);
    int outer_enforced = limits->cap_enforced;
    limits->cap_enforced = 1;
    int status = luaL_loadbufferx(L, source, length, chunkname, "t");
    limits->cap_enforced = outer_enforced;
    return status;
}

void CLuaShim_storeCounter(uint64_t *counter, uint64_t value) {
    __atomic_store_n(counter, value, __ATOMIC_RELEASE);
}

static int counter_reader(lua_State *L) {
    const uint64_t *counter = (const uint64_t *)lua_touserdata(L, lua_upvalueindex(1));
    lua_pushinteger(L, (lua_Integer)__atomic_load_n(counter, __ATOMIC_ACQUIRE));
    return 1;
}

void CLuaShim_pushCounterReader(lua_State *L, const uint64_t *counter) {
    lua_pushlightuserdata(L, (void *)counter);
    lua_pushcclosure(L, counter_reader, 1);
}
