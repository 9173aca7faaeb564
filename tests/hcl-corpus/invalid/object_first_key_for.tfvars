# HCL reads "{ for" as a for expression, so for cannot be the first naked key.
settings = {
  for = "x"
}
