backslashes = <<EOT
"\n" is not a newline here \t \\
EOT
template_escapes = <<EOT
$${not_interpolated} %%{not_a_directive}
$ and % alone
EOT
indented_escapes = <<-EOT
    $${x}
  %%{y}
  EOT
