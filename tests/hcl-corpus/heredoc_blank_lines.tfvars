empty_line = <<-EOT
    x

      y
    EOT
spaces_line = <<-EOT
    x
  
      y
    EOT
only_blank = <<-EOT
  
  EOT
leading_blank = <<-EOT

  x
  EOT
