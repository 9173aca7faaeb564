subnets = [
  "10.0.1.0/24",
  "10.0.2.0/24"
]
comma_first = [
  "a"
  , "b"
  , "c"
]
blank_lines = [

  1,

  2

]
with_comments = [
  1, # one
  2, // two
  /* three */ 3,
]
