1region = "x"
