a = file("x.txt")
