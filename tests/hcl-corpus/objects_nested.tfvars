services = {
  api = {
    desired_count = 2
    path_pattern  = ["/api*", "/v1/*"]
    health = {
      path     = "/health"
      interval = 30
      matcher  = { codes = "200-299" }
    }
    environment = {}
  }
  worker = { desired_count = 0, path_pattern = [], secrets = { DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" } }
}
