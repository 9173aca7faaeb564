half = 0.5
pi = 3.14159
one = 1.0
leading_zeros = 00.25
trailing_zeros = 2.500
