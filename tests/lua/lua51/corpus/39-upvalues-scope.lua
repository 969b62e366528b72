local x = 1
do local x = 2; print(x) end
print(x)
local function outer()
  local y = 10
  local function inner() y = y + 1; return y end
  return inner, function() return y end
end
local inc, get = outer()
inc(); inc()
print(get())
g_value = "global"
print(g_value, _G.g_value, _G["g_value"])
_G.other = 5
print(other)
local a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c)
local d, e = 1
print(d, e)
