-- Reboot and wait: reboots the device this run is for and waits until it informs again with
-- "1 BOOT", then reports how long it was away. Gives up after 5 minutes.

local serial = DEVICE or error("run this script on a device")
local started = os.time()

local ok, err = reboot(serial, { command_key = "reboot-and-wait" })
if not ok then error("reboot refused: " .. err) end
log("info", "reboot sent to " .. serial .. ", waiting for it to come back")

local event, waitErr = listen_to_cwmp_event("1", serial, 5 * 60 * 1000)
if not event then error(serial .. " did not come back within 5 minutes: " .. waitErr) end
print(("%s is back after %d s (event %s)"):format(serial, os.time() - started, event.code))
