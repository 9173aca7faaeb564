name = "${var.prefix}-cluster"
