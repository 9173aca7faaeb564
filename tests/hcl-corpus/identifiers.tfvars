# Identifier spellings HCL allows: letters, digits, '_' and '-'.
region            = "us-east-1"
_leading          = 1
with-dash         = 2
trailing-         = 3
mixed_Case-09_x   = 4
a                 = 5
UPPER             = 6
