/* leading block */ a = 1 /* trailing block */
b /* between name and equals */ = /* between equals and value */ 2
c = [ # after bracket
  1, /* inside */ 2 // after item
  /* multi
     line */ , 3
]
d = { # after brace
  x = 1 // after value
  /* before key */ y = 2
}
e = /*
spanning lines inside the attribute
*/ "ok"
# comment with "quotes" and ${not interpolation} and /* not a block
// comment with a # hash
