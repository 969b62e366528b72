local function checksum(s)
  local h = 0
  for i = 1, #s do h = (h * 31 + s:byte(i)) % 4294967296 end
  return h
end
print(checksum("InternetGatewayDevice"), checksum(""), checksum("a"))
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex("Bench\0\255"))
local function tobin(n) local out = "" repeat out = (n % 2) .. out; n = math.floor(n / 2) until n == 0 return out end
print(tobin(10), tobin(255), tobin(0), tobin(2^33))
