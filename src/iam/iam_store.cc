// Placeholder until the IAM layer lands.
