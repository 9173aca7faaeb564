eq = { a = 1, b = 2 }
colon = { a : 1, b : 2 }
mixed = {
  a = 1
  b : 2
  "c" : 3
  "d" = 4
}
compact = {a=1,b:2}
