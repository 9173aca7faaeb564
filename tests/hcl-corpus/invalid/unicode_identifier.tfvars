région = "x"
