local parts = {}
for i = 1, 5 do parts[#parts + 1] = i * 1.5 end
print(table.concat(parts, ", "), table.concat(parts), table.concat(parts, "-", 2, 4))
print(table.concat({}, "x"), table.concat({ "a" }, "x"), table.concat({ 1, 2, 3 }, 0))
print(1 .. 2, 1.5 .. "", 2^53 .. "", -0.25 .. "|")
print(pcall(table.concat, { 1, {}, 3 }))
print(pcall(function() return "a" .. {} end))
