region = "us-east-1"
count = 1
region = "eu-west-1"
