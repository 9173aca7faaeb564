empty = []
numbers = [1, 2, 3]
strings = ["a", "b"]
mixed = [1, "two", true, null, 4.5]
