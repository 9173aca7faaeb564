a = True
