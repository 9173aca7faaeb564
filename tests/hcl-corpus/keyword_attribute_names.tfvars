# Keywords of HCL expressions are ordinary names for attributes and keys.
true = 1
false = 2
null = 3
for = 4
if = 5
in = 6
obj = { if = "y", for = "x", endif = "z" }
quoted_first = { "for" = 1 }
