-- What a script for Oktopus prints: numbers from values read as strings.
local values = {
  ["InternetGatewayDevice.DeviceInfo.UpTime"] = "93784",
  ["InternetGatewayDevice.WANDevice.1.WANCommonInterfaceConfig.TotalBytesReceived"] = "3000000000",
  ["InternetGatewayDevice.WANDevice.1.WANCommonInterfaceConfig.TotalBytesSent"] = "2500000000",
}
local up = tonumber(values["InternetGatewayDevice.DeviceInfo.UpTime"])
print("uptime: " .. up / 3600 .. " h", string.format("%d days", up / 86400))
local rx = tonumber(values["InternetGatewayDevice.WANDevice.1.WANCommonInterfaceConfig.TotalBytesReceived"])
local tx = tonumber(values["InternetGatewayDevice.WANDevice.1.WANCommonInterfaceConfig.TotalBytesSent"])
print("total: " .. (rx + tx) .. " bytes", "ratio " .. rx / tx, "avg " .. (rx + tx) / 2)
print(#values, table.getn({ "a", "b" }), unpack({ up, rx }))
