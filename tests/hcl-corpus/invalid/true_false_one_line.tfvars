a = true false
