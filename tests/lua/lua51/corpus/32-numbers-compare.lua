print(1 == 1.0, "1" == 1, 0.1 + 0.2 > 0.3, 1 < 2, "a" < "b", "Z" < "a", "10" < "9")
print(math.huge > 1e308, -math.huge < -1e308, 2^53 == 2^53 + 1, 1/0 == math.huge)
local nan = 0 / 0
print(nan == nan, nan ~= nan, nan < 1, nan > 1)
local t = {}
t[1] = "int"; t[1.0] = "float"; t[2^53] = "big"
print(t[1], #t, t[2^53])
print(pcall(function() t[nan] = 1 end))
print(pcall(function() t[nil] = 1 end))
