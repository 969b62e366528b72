local function f(...)
  local n = select("#", ...)
  return n, ...
end
print(f())
print(f(nil, nil))
print(f(1, nil, 3))
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
local function g(...) local a, b = ... return a, b, arg end
print(g(1, 2, 3))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3.5), sum())
print((f(1, 2, 3)))
