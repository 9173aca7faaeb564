list = [<<EOT
first
EOT
, <<-EOT
  second
  EOT
]
object = {
  a = <<EOT
value a
EOT
  b = 2
  c = <<-EOT
    value c
    EOT
}
