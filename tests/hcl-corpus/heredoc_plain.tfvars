script = <<EOT
#!/bin/bash
echo "hello"
  indented line
EOT
after = 1
