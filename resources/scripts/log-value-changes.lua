-- Value change watcher: logs every "4 VALUE CHANGE" inform from any device, with the time, until
-- you stop it. Pair it with SetParameterAttributes (notification) on the parameters you watch.

while true do
  local e = listen_to_cwmp_event("4")
  log("info", os.date("%H:%M:%S") .. " value change on " .. e.serial_number)
end
