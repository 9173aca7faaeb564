region = "us-west-2"
count = 3
