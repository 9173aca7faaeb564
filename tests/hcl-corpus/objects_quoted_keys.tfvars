tags = {
  "Name"              = "web"
  "kubernetes.io/role" = "elb"
  "with space"        = 1
  "with\nescape"      = 2
  ""                  = 3
  "caf\u00e9"         = 4
  "ünïcode"           = 5
  "a.b.c"             = 6
}
