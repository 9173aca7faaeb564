user_data = <<-EOT
    #!/bin/bash
    echo "ECS_CLUSTER=prod" >> /etc/ecs/ecs.config
      nested
    EOT
less = <<-EOT
    four
  two
      six
    EOT
