region = "eu-west-1"
# comment
list = [
  1,
  2,
]
obj = {
  a = 1
  b = 2
}
heredoc = <<EOT
line
EOT
indented = <<-EOT
  x
   
    y
  EOT
