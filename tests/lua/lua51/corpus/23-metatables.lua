local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({ x = a.x + b.x, y = a.y + b.y }, V) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__tostring = function(v) return "(" .. v.x .. ", " .. v.y .. ")" end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__call = function(v, k) return v.x * k end
V.__unm = function(v) return setmetatable({ x = -v.x, y = -v.y }, V) end
V.__concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end
function V.new(x, y) return setmetatable({ x = x, y = y }, V) end
function V:len() return math.sqrt(self.x ^ 2 + self.y ^ 2) end
local a, b = V.new(1, 2), V.new(3.5, 4)
print(tostring(a + b), a == V.new(1, 2), a < b, a <= b, a(10), tostring(-a), a .. b, V.new(3, 4):len())
local defaults = setmetatable({}, { __index = function(t, k) return k .. "?" end })
print(defaults.foo, rawget(defaults, "foo"))
local log = {}
local proxy = setmetatable({}, { __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end })
proxy.a = 1; proxy.b = 2; proxy.a = 3
print(table.concat(log, ","), proxy.a)
print(getmetatable("x").__index == string, getmetatable({}), pcall(setmetatable, 1, {}))
local locked = setmetatable({}, { __metatable = "locked" })
print(getmetatable(locked), pcall(setmetatable, locked, {}))
