local list = { "b10", "b2", "a", "B", "", "b1", "ab", "a b" }
table.sort(list)
print(table.concat(list, ","))
table.sort(list, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(list, ","))
local nums = { 3, 1.5, -2, 10, 2^31, -0.5 }
table.sort(nums)
print(table.concat(nums, " "))
print(pcall(table.sort, { 1, "x" }))
