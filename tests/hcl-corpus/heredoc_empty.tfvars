empty = <<EOT
EOT
empty_indented = <<-EOT
  EOT
one_blank_line = <<EOT

EOT
