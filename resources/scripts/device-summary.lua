-- Device summary: identity, firmware, uptime, WAN address and Wi-Fi of the device this run is
-- for (DEVICE). Works with TR-098 (InternetGatewayDevice.) and TR-181 (Device.) data models.

local serial = DEVICE
if not serial then
  error("run this script on a device (choose one when you run it, or pass --device SN)")
end

local info = get_device(serial)
if not info then error("device " .. serial .. " is not known to this ACS") end
print(("%s  %s %s  firmware %s"):format(info.sn, info.vendor, info.model, info.version))

local PATHS = {
  InternetGatewayDevice = {
    { "Uptime (s)", "InternetGatewayDevice.DeviceInfo.UpTime" },
    { "WAN IP", "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress" },
    { "Wi-Fi SSID", "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID" },
    { "Inform interval (s)", "InternetGatewayDevice.ManagementServer.PeriodicInformInterval" },
  },
  Device = {
    { "Uptime (s)", "Device.DeviceInfo.UpTime" },
    { "WAN IP", "Device.IP.Interface.1.IPv4Address.1.IPAddress" },
    { "Wi-Fi SSID", "Device.WiFi.SSID.1.SSID" },
    { "Inform interval (s)", "Device.ManagementServer.PeriodicInformInterval" },
  },
}

-- Which tree does it have? Ask for one level of each root; the wrong one answers a fault.
local rows
for root, list in pairs(PATHS) do
  if get_parameter_names(serial, root .. ".", true) then rows = list break end
end
if not rows then error("the device answers neither InternetGatewayDevice. nor Device.") end

-- One read per value, so a parameter this model lacks shows as "n/a" instead of failing all.
for _, row in ipairs(rows) do
  local label, name = row[1], row[2]
  local values, err = get_parameter_values(serial, name)
  print(("  %-20s %s"):format(label, values and values[name] or ("n/a (" .. tostring(err) .. ")")))
end
