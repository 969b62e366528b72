local a, b = 1, 2
a, b = b, a
print(a, b)
local t = { 1, 2 }
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local function three() return 1, 2, 3 end
local x, y, z, w = three()
print(x, y, z, w)
local p = { three() }
local q = { three(), three() }
local r = { (three()) }
print(#p, #q, #r)
