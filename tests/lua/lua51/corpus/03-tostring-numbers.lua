local values = { 0, 1, -1, 0.5, 1e-5, 1e-4, 123.456, 1e14, 1e15, 99999999999999, 999999999999999,
  2^53, 1/3, -2/3, 3.14159265358979, 1e100, 1e-300, 5e-324, 1.7976931348623157e308, 25.0, 100 / 4 }
for i, v in ipairs(values) do print(i, v, tostring(v), "" .. v, #tostring(v)) end
print(math.huge, -math.huge, math.pi, -math.pi)
