local total, n = 0, 0
for _, v in ipairs({ 100, 95, 105, 100 }) do total = total + v; n = n + 1 end
print("avg " .. total / n)
print("avg " .. 100 / 4, "half " .. 3 / 2)
local uptime = 93784
print(string.format("%d days", uptime / 86400), string.format("%d h", uptime % 86400 / 3600))
print("up " .. math.floor(uptime / 3600) .. "h " .. math.floor(uptime % 3600 / 60) .. "m")
