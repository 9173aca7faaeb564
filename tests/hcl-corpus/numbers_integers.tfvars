zero = 0
small = 7
leading_zeros = 007
big = 4294967296
port = 65535
