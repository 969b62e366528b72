local f = string.format
for _, v in ipairs({ 0, 1, -1.5, 3.14159265, 1e-5, 123456.789, 1e20, 2/3, 0.5, 2.5, 1e-10, 99.995 }) do
  print(f("%f|%.2f|%10.3f|%-10.1f|%e|%.3e|%E|%g|%.3g|%G|%.10g|%#g|%+.1f", v, v, v, v, v, v, v, v, v, v, v, v, v))
end
print(f("%.14g|%.0f|%.0e|%#.0f|%5.1f%%", 0.1, 2.5, 12345, 3, 99.44))
print(f("%5.1f|%05.1f|% .3f", -0.05, 2.25, math.pi))
