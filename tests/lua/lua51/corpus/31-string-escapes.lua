print("tab\tnew\\line", 'single \'quote\'', "dec \65\066\0677", "bell\a" == "bell\7")
print(#"\0abc", ("a\0b"):byte(2), ("\255"):byte(), #"\n\r")
print([[long
string]], [==[with ]] inside]==])
print(("%q"):format("line1\nline2\r\0end"))
