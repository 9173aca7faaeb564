a = <<EOT text
EOT
