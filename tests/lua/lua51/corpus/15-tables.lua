local t = { 10, 20, 30 }
table.insert(t, 40)
table.insert(t, 1, 5)
print(#t, table.concat(t, " "))
print(table.remove(t), table.remove(t, 1), #t, table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local names = { "wifi", "lan", "WAN", "dhcp", "Lan" }
table.sort(names)
print(table.concat(names, ","))
print(#{}, #{ nil }, #{ 1, 2, 3, nil }, #"abc", table.getn({ 1, 2 }), table.maxn({ 1, 2, [7] = 1 }))
print(select("#", unpack({ 1, 2, 3 })), unpack({ 1, 2, 3 }, 2), unpack({ 1, 2, 3 }, 2, 3))
