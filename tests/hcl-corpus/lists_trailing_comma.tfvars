a = [1, 2,]
b = ["x",]
c = [
  "one",
  "two",
]
