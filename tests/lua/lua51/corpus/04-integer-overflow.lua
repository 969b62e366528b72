local t = 1700000000
print(t * 1000, t * 1000 + 999, (t * 1000) % 1000)
local bytes = 0
for _, v in ipairs({ "2000000000", "2000000000", "3000000000" }) do bytes = bytes + tonumber(v) end
print(bytes, bytes / 1024 / 1024, string.format("%.2f MiB", bytes / 1048576))
local x = 1
for i = 1, 40 do x = x * 2 end
print(x, x + 1, x - 1, -x)
print(0x7fffffff + 1, 0xffffffff, 0xff, 0x10 * 0x10)
