local csv = "1,22,333,4444"
local sum = 0
for n in csv:gmatch("%d+") do sum = sum + n; print(n, #n) end
print("sum", sum)
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print(k, v) end
for w in string.gfind("one two three", "%a+") do io_write = nil; print(w) end
