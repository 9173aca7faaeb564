// drydock's own seeded PRNG. std:: distributions are implementation-defined,
// so a simulation that must replay from a seed uses only this.
#pragma once

#include <cstdint>
#include <string_view>

namespace drydock {

// xoshiro256** seeded through splitmix64. Not for cryptography.
class Random {
 public:
  explicit Random(uint64_t seed);

  // A generator for one component, derived from this one's seed and a stable
  // name, so adding draws in one component never shifts another's sequence.
  Random Stream(std::string_view name) const;

  uint64_t Next();
  // Uniform in [0, bound). REQUIRES: bound > 0.
  uint64_t Below(uint64_t bound);
  // Uniform in [0, 1).
  double NextDouble();
  // True with probability p.
  bool Chance(double p) { return NextDouble() < p; }
  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  uint64_t state_[4];
};

}  // namespace drydock
