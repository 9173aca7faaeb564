commas = { a = 1, b = 2, c = 3 }
trailing = { a = 1, }
newlines = {
  a = 1
  b = 2
}
comma_then_newline = {
  a = 1,
  b = 2,
}
blank_lines = {

  a = 1


  b = 2

}
empty = {}
empty_multiline = {
}
