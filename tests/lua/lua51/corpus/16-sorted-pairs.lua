local device = { sn = "HUAW-1", model = "HG8245", vendor = "Huawei", status = 2, uptime = 93784 / 3600 }
local keys = {}
for k in pairs(device) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do print(k .. ": " .. tostring(device[k])) end
local count = 0
for _ in pairs({ a = 1, b = 2, 3, 4 }) do count = count + 1 end
print("count", count)
