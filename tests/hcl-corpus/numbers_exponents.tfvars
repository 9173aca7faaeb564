thousand = 1e3
small = 1.5E-2
plus = 2e+2
upper = 1E3
fraction = 0.1e1
negative_exponent = 25e-1
