# A parenthesised key is an expression; a literal string inside is allowed.
map = {
  ("quoted") = 1
  ("with space") : 2
  (
    "newlines inside"
  ) = 3
  ( "spaces" ) = 4
}
