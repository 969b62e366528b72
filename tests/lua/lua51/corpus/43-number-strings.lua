print(10 == "10", 10 .. "" == "10", tostring(10) == "10", tostring(10.0) == "10", 2^31 .. "")
print(string.rep("=", 3) .. 4 .. string.rep("=", 3), #tostring(1/3), #tostring(100/4))
print(("x"):rep(3, nil), tostring(nil), tostring(false), tostring("s"))
print(math.floor(-0.5), math.ceil(-0.5), 3 % -2, -3 % 2, 3.5 % 2, -3.5 % 2)
