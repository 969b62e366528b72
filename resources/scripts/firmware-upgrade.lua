-- Firmware upgrade: tells the device this run is for to download a firmware image, waits for its
-- TransferComplete, and prints the software version it reports afterwards.
-- Put the image on an HTTP server the device can reach and set FIRMWARE_URL.

local FIRMWARE_URL = "http://192.168.1.10:8000/firmware.bin"

local serial = DEVICE or error("run this script on a device")
local before = get_device(serial)

local ok, result = download(serial, {
  url = FIRMWARE_URL,
  file_type = "firmware",
  wait = true,                -- wait for TransferComplete
  timeout_ms = 15 * 60 * 1000,
})
if not ok then error("the upgrade failed: " .. result) end
if type(result) == "table" then
  print("transfer finished at " .. result.complete_time)
end

-- The device reboots into the new image and informs "1 BOOT"; wait for it.
local back = listen_to_cwmp_event("1", serial, 10 * 60 * 1000)
if not back then error(serial .. " did not come back after the upgrade") end
local after = get_device(serial)
print(("%s: %s -> %s"):format(serial, before and before.version or "?", after.version))
