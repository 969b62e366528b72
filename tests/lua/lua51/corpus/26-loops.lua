for i = 1, 3 do io_w = i end
for i = 10, 1, -3 do print(i) end
for i = 0, 1, 0.25 do print(i) end
for i = 1, 0 do print("never") end
local n = 0
while true do n = n + 1; if n >= 5 then break end end
repeat n = n - 2 until n < 0
print(n)
for i = 1.5, 4 do print(i) end
local t = { "a", "b", nil, "d" }
for i, v in ipairs(t) do print(i, v) end
