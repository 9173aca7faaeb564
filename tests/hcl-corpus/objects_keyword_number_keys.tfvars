# Naked keywords and numbers are turned into string keys by HCL.
keywords = { true = 1, false = 2, null = 3 }
numbers  = { 1 = "one", 1e2 = "hundred", 1.50 = "one and a half", 007 = "bond" }
fractions = { 0.1 = "tenth", 1e20 = "big", 1e-7 = "small" }
