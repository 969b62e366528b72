local tests = {
  { "hello123", "%a+" }, { "hello123", "%d+" }, { "  trim  ", "^%s*(.-)%s*$" },
  { "2024-05-17", "(%d+)-(%d+)-(%d+)" }, { "[tag]", "%[(.-)%]" }, { "aaa", "a-" },
  { "aaa", "a*" }, { "f(a(b)c)", "%b()" }, { "THE (quick) fox", "%f[%a]%a+" },
  { "x.y.z", "[^.]+$" }, { "abc", "[a-b]+" }, { "A1b2", "%u%d%l" }, { "tab\there", "%c" },
  { "hello", "(h)(e)" }, { "hello", "()ll()" },
}
for _, t in ipairs(tests) do print(t[1], t[2], string.match(t[1], t[2])) end
print(pcall(string.match, "x", "%"))
print(pcall(string.match, "x", "[a"))
print(pcall(string.match, "x", "(()"))
