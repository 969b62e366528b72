local f = string.format
print(f("%s|%10s|%-10s|%.2s|%5.1s|", "abc", "abc", "abc", "abc", "abc"))
print(f("%s %s %s", 1, 2.5, 100 / 4))
print(f("%q", 'he said "hi"\n\tand left\\'), f("%q", "a\0b"), f("%q", 1 / 4))
print(f("[%s] [%s]", "", "x"))
print(pcall(f, "%d", "x"))
print(pcall(f, "%d"))
print(pcall(f, "%y", 1))
print(pcall(f, "%100d", 1))
