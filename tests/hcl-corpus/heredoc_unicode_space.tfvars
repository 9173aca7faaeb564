nbsp = <<-EOT
  x
 y
EOT
ideographic = <<-EOT
　　a
　b
EOT
