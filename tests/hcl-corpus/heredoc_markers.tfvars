indented_close = <<EOT
x
    EOT
trailing_spaces = <<EOT
x
EOT   
lookalikes = <<EOT
EOTEOT
EOT x
 EOTx
EOT
dash_marker = <<E-1
x
E-1
lower = <<eot
y
eot
long_marker = <<END_OF_TEXT
EOT
END_OF_TEXT
unicode_space_around_marker = <<EOT
x
　 EOT　
not_a_space = <<EOT
​EOT
EOT
