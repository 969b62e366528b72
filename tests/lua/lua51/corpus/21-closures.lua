local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(), c1())
local fs = {}
for i = 1, 3 do fs[i] = function() return i * 10 end end
print(fs[1](), fs[2](), fs[3]())
local function memo(f)
  local cache = {}
  return function(x) local v = cache[x]; if not v then v = f(x); cache[x] = v end; return v end
end
local calls = 0
local sq = memo(function(x) calls = calls + 1; return x * x end)
print(sq(4), sq(4), sq(5), calls)
