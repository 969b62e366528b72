-- Wi-Fi setup: sets the first Wi-Fi network's name and passphrase on the device this run is for,
-- then reads them back. Change the two values below before running it.

local SSID = "Bench-Test"
local PASSPHRASE = "change-me-please"

local serial = DEVICE or error("run this script on a device")

local igd = get_parameter_names(serial, "InternetGatewayDevice.", true)
local values
if igd then
  local wlan = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1."
  values = {
    [wlan .. "SSID"] = SSID,
    [wlan .. "PreSharedKey.1.PreSharedKey"] = PASSPHRASE,
    [wlan .. "Enable"] = true,
  }
else
  values = {
    ["Device.WiFi.SSID.1.SSID"] = SSID,
    ["Device.WiFi.AccessPoint.1.Security.KeyPassphrase"] = PASSPHRASE,
    ["Device.WiFi.SSID.1.Enable"] = true,
  }
end

local ok, err = set_parameter_values(serial, values, { parameter_key = "wifi-setup" })
if not ok then
  -- err.parameters lists which parameter the device refused, and why.
  for _, p in ipairs(err.parameters or {}) do log("error", p.name, p.code, p.message) end
  error("the device refused the settings: " .. err)
end

for name in pairs(values) do
  if not name:find("Pass") and not name:find("PreSharedKey") then
    local now = get_parameter_values(serial, name)
    print(name .. " = " .. (now and now[name] or "?"))
  end
end
print("Wi-Fi set on " .. serial)
