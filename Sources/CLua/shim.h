// Lua 5.4's C API, as Debian's liblua5.4-dev installs it, plus static inline
// re-exports of the function-like macros Swift cannot import.
#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

// Pseudo-indices are macro expressions; Swift needs them as values.
static inline int CLua_registryIndex(void) { return LUA_REGISTRYINDEX; }
static inline int CLua_upvalueIndex(int i) { return lua_upvalueindex(i); }

// Stack manipulation macros.
static inline void CLua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void CLua_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void CLua_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void CLua_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline void CLua_newtable(lua_State *L) { lua_newtable(L); }
static inline void CLua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }

// Conversions whose short forms are macros.
static inline const char *CLua_tostring(lua_State *L, int idx) { return lua_tostring(L, idx); }
static inline lua_Number CLua_tonumber(lua_State *L, int idx) { return lua_tonumber(L, idx); }
static inline lua_Integer CLua_tointeger(lua_State *L, int idx) { return lua_tointeger(L, idx); }

// Calls: the k-variants with no continuation. Only ever used inside a protected call.
static inline int CLua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline int CLua_loadbuffer(lua_State *L, const char *buff, size_t sz, const char *name, const char *mode) {
    return luaL_loadbufferx(L, buff, sz, name, mode);
}

// lua_gc is variadic.
static inline int CLua_gcCollect(lua_State *L) { return lua_gc(L, LUA_GCCOLLECT, 0); }
// Generational mode with Lua's default parameters (0: keep the default).
static inline int CLua_gcGenerational(lua_State *L) { return lua_gc(L, LUA_GCGEN, 0, 0); }
static inline int CLua_gcCountKilobytes(lua_State *L) { return lua_gc(L, LUA_GCCOUNT, 0); }
// One basic step of the collector: in generational mode, a minor (young) collection.
static inline int CLua_gcStep(lua_State *L) { return lua_gc(L, LUA_GCSTEP, 0); }

// The per-state raw memory area (LUA_EXTRASPACE bytes before the state).
static inline void **CLua_extraspace(lua_State *L) { return (void **)lua_getextraspace(L); }

#endif
