local s = "Hello, Bench"
print(#s, s:len(), s:upper(), s:lower(), s:reverse())
print(s:sub(1, 5), s:sub(-5), s:sub(8), s:sub(0), s:sub(5, 3), s:sub(-100, 2))
print(s:byte(1), s:byte(-1), s:byte(1, 3))
print(string.char(72, 105, 33), ("ab"):rep(3), ("x"):rep(0), ("-"):rep(5))
print(s:sub(2.7, 4.2), ("abc"):rep(2.9))
