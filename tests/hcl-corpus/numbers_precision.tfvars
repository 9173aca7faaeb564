# HCL keeps arbitrary precision; drydock and hcl2json's JSON both end in doubles.
beyond_2_53 = 9007199254740993
long_pi     = 3.14159265358979323846264338327950288
huge        = 1e308
tiny        = 4.9e-324
zero_exp    = 0e-999
subnormal   = 5e-324
many_digits = 12345678901234567890123
tenth       = 0.1
