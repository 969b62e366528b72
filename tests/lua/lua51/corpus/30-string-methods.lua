local s = "  Bench ACS  "
print("[" .. s:gsub("^%s+", "") .. "]")
print(("a b c"):len(), ("%d items"):format(3), ("x"):byte(), ("ABC"):lower():upper())
local words = {}
for w in ("the quick brown fox"):gmatch("%S+") do words[#words + 1] = w:sub(1, 1):upper() .. w:sub(2) end
print(table.concat(words, " "))
local function split(str, sep)
  local out = {}
  for piece in (str .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
local parts = split("a.b..c", ".")
print(#parts, table.concat(parts, "|"))
print(("%5.2f"):format(1 / 3), ("CamelCaseName"):gsub("(%u)", " %1"))
