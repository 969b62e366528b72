local t = {}
print(pcall(function() return t.a.b end))
print(pcall(function() t.x.y = 1 end))
print(pcall(function() local s = "x"; return s:nomethod() end))
print(pcall(function() return missing.field end))
local up = nil
print(pcall(function() return up.field end))
print(pcall(function() return -{} end))
print(pcall(function() return ("x")() end))
print(pcall(function() local a; a() end))
print(pcall(function() t.method() end))
print(pcall(function() return t < 1 end))
print(pcall(function() return 2 ^ {} end))
print(pcall(function() for i = 1, "x" do end end))
