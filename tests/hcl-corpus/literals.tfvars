enabled = true
disabled = false
nothing = null
list = [true, false, null]
