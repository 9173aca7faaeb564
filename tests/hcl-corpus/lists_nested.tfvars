matrix = [[1, 2], [3, 4], []]
deep = [[[["x"]]]]
objects = [{a = 1}, {b = [2, {c = 3}]}]
