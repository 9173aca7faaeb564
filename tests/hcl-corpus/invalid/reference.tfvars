region = var.region
