/**
 * Lua run once per state before the script. Its locals (the sentinels, the raw coroutine and load
 * functions) are invisible to the script: there is no debug library to reach upvalues with.
 *
 * Called with (HOST, RAISE, host_names, errmeta); returns set_main(co), which tells
 * it which coroutine runs the script.
 *
 * Host calls yield (HOST, name, args…) to the driver in the worker, which answers by resuming
 * with the results, or with (RAISE, message) to raise an error at the script's call site. A
 * script's own coroutines are wrapped so that a host call made inside one is passed up to the
 * driver and its answer passed back down; the script never sees the difference.
 */
export const PRELUDE_CHUNK_NAME = '=[sandbox]'

export const PRELUDE = String.raw`
local HOST, RAISE, host_names, errmeta = ...
local type, error, select, tostring, rawequal, setmetatable, rawget =
  type, error, select, tostring, rawequal, setmetatable, rawget
local pack, unpack = table.pack, table.unpack
local co_create, co_resume, co_yield, co_status, co_running, co_isyieldable =
  coroutine.create, coroutine.resume, coroutine.yield, coroutine.status, coroutine.running, coroutine.isyieldable
local main_thread

local NOT_HERE = " cannot be called here: host functions wait (for a device, a timer or an event), and Lua " ..
  "cannot wait inside a function called by a library function (a table.sort comparator, a string.gsub " ..
  "callback, __tostring, an xpcall message handler, a load reader)"

local function host_stub(name)
  return function(...)
    if not co_isyieldable() then error(name .. NOT_HERE, 2) end
    local r = pack(co_yield(HOST, name, ...))
    if rawequal(r[1], RAISE) then error(r[2], 2) end
    return unpack(r, 1, r.n)
  end
end
for i = 1, #host_names do
  local name = host_names[i]
  _ENV[name] = host_stub(name)
end

-- A host call made inside the script's own coroutine arrives here as a yield of HOST: pass it up
-- to the driver (or to an outer coroutine, which passes it up in turn) and hand the answer back.
local function forward(co, ok, first, ...)
  if ok and rawequal(first, HOST) and co_status(co) == "suspended" then
    if not co_isyieldable() then
      local msg = "host function" .. NOT_HERE
      co_resume(co, RAISE, msg)
      return false, msg
    end
    return forward(co, co_resume(co, co_yield(HOST, ...)))
  end
  return ok, first, ...
end

coroutine.resume = function(co, ...)
  return forward(co, co_resume(co, ...))
end

local function wrap_result(ok, ...)
  if ok then return ... end
  error((...), 2)
end
coroutine.wrap = function(f)
  local co = co_create(f)
  return function(...)
    return wrap_result(forward(co, co_resume(co, ...)))
  end
end

coroutine.yield = function(...)
  if co_running() == main_thread then error("attempt to yield from outside a coroutine", 2) end
  return co_yield(...)
end
coroutine.isyieldable = function()
  return co_running() ~= main_thread and co_isyieldable()
end
coroutine.running = function()
  local co = co_running()
  return co, co == main_thread
end

-- load: source text only. Bytecode can crash or escape a Lua VM, so binary chunks are refused.
local raw_load = load
load = function(chunk, chunkname, mode, ...)
  if mode ~= nil and mode ~= "t" then
    error("load: binary chunks are disabled in scripts; mode must be \"t\" (source text)", 2)
  end
  if type(chunk) == "string" and chunk:byte(1) == 27 then
    error("load: binary chunks (bytecode) are disabled in scripts; pass Lua source text", 2)
  end
  if select("#", ...) > 0 then return raw_load(chunk, chunkname, "t", (...)) end
  return raw_load(chunk, chunkname, "t")
end

-- What a script must not reach: files, processes, modules, the debug library.
local function blocked(what, why)
  return function() error(what .. " is not available in scripts: " .. why, 2) end
end
local function blocked_lib(name, why)
  return setmetatable({}, {
    __index = function(_, k) error(name .. "." .. tostring(k) .. " is not available in scripts: " .. why, 2) end,
    __newindex = function() error(name .. " is not available in scripts: " .. why, 2) end,
    __metatable = false,
  })
end
io = blocked_lib("io", "scripts cannot read or write files")
debug = blocked_lib("debug", "it can reach outside the sandbox")
package = blocked_lib("package", "scripts cannot load modules; keep shared code in the script itself")
require = blocked("require", "scripts cannot load modules; keep shared code in the script itself")
dofile = blocked("dofile", "scripts cannot read files")
loadfile = blocked("loadfile", "scripts cannot read files")
string.dump = blocked("string.dump", "bytecode is disabled")
local os_time, os_date, os_clock = os.time, os.date, os.clock
os = setmetatable({ time = os_time, date = os_date, clock = os_clock }, {
  __index = function(_, k)
    error("os." .. tostring(k) .. " is not available in scripts: only os.time, os.clock and os.date are", 2)
  end,
  __metatable = false,
})

errmeta.__name = "error"
errmeta.__tostring = function(e) return tostring(rawget(e, "message")) end
errmeta.__concat = function(a, b) return tostring(a) .. tostring(b) end
errmeta.__metatable = false

return function(co) main_thread = co end
`
