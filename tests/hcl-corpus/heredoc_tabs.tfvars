tabs = <<-EOT
		x
			y
	EOT
mixed = <<-EOT
  	  x
 	 y
  EOT
tab_vs_spaces = <<-EOT
	x
    y
  EOT
