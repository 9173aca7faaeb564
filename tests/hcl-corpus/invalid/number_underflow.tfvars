# Not zero, yet too small for a double: drydock refuses to turn it into 0.
a = 1e-400
