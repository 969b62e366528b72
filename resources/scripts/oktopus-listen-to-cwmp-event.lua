while true do
  local cwmp_event = listen_to_cwmp_event("2")
  print("CWMP event " .. cwmp_event.event .. ", triggered by device: " .. cwmp_event.serial_number)
end
