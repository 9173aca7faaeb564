// Placeholder until the secrets layer lands.
