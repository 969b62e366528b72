local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() error("boom") end, handler))
print(xpcall(function() return 1, 2 end, handler))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(pcall(pcall, error, "x"))
print(pcall(assert, false, "assert message"))
print(pcall(assert, nil))
print(pcall(assert, 1, 2, 3))
print(assert(1 == 1, "fine"))
