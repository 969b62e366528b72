local t = {}
t[1.5] = "a"; t["1.5"] = "b"; t[true] = "c"; t[-1] = "d"; t[0] = "e"
print(t[1.5], t["1.5"], t[true], t[-1], t[0], t[3 / 2])
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "))
local nested = { a = { b = { c = 42 } } }
print(nested.a.b.c, nested["a"]["b"]["c"], rawequal(nested, nested))
