local samples = { 12.5, 13, 11.75, 14.2, 12.9, 13.3, 10.1 }
local sum, min, max = 0, math.huge, -math.huge
for _, v in ipairs(samples) do sum = sum + v; min = math.min(min, v); max = math.max(max, v) end
local mean = sum / #samples
local var = 0
for _, v in ipairs(samples) do var = var + (v - mean) ^ 2 end
var = var / (#samples - 1)
print("n", #samples, "sum", sum, "mean", mean, "min", min, "max", max)
print("stddev", math.sqrt(var), string.format("%.3f", math.sqrt(var)))
table.sort(samples)
print("median", samples[math.ceil(#samples / 2)], table.concat(samples, " "))
