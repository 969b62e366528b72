-- Inventory: every device this ACS knows, as JSON (copy it into a ticket or a spreadsheet).
-- Returns the list too, so it is kept with the run's record.

local STATUS = { [0] = "offline", [1] = "in session", [2] = "online" }
local rows = {}
for _, d in ipairs(list_devices()) do
  rows[#rows + 1] = {
    serial = d.sn,
    vendor = d.vendor,
    model = d.model,
    firmware = d.version,
    alias = d.alias,
    status = STATUS[d.status],
  }
end
print(json.encode(rows, true))
print(#rows .. " device(s)")
return rows
