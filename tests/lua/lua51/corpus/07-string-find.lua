local s = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.SSID"
print(s:find("LANDevice"), s:find("%.(%d+)%."), s:find(".", 1, true), s:find("nope"))
print(s:find("Device", 20), s:find("Device", -10), s:find("", 100), s:find("", 3))
print(s:match("WLANConfiguration%.(%d+)"), s:match("^(%w+)%."), s:match("(%a+)$"))
print(s:match("(%d+)%.(%w+)$"))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
