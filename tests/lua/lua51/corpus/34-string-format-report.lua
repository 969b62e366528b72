local devices = {
  { sn = "HUAW-001", model = "HG8245H", uptime = 93784, rx = 1234567890, tx = 98765.4321 },
  { sn = "ZTE-0002", model = "F660", uptime = 3601, rx = 0, tx = 1e10 },
}
print(string.format("%-10s %-8s %8s %12s %14s", "serial", "model", "uptime", "rx MiB", "tx"))
for _, d in ipairs(devices) do
  print(string.format("%-10s %-8s %7dh %12.2f %14g", d.sn, d.model, d.uptime / 3600, d.rx / 1048576, d.tx))
end
print(string.format("total %d devices, mean uptime %.1f h", #devices, (93784 + 3601) / 2 / 3600))
