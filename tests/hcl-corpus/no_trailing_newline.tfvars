a = 1
b = "last line has no newline"