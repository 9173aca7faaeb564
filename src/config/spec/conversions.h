// Terraform's automatic conversions between primitive types, as applied when a
// value is assigned to a variable of a given type (go-cty's "convert" rules):
//   string -> number  when the whole string is a decimal number ("2", "-1.5", "1e3")
//   string -> bool    for "true"/"1" and "false"/"0" (exactly; "True" is refused)
//   number -> string  shortest decimal form without exponent (2 -> "2", 0.1 -> "0.1")
//   bool   -> string  "true" / "false"
// number <-> bool never converts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace drydock::config {

// The number a string spells, or nullopt. Accepts an optional sign, digits
// with an optional fraction and an optional exponent, nothing else (no spaces,
// hex, "inf" or "nan"); values too large for a double are refused.
std::optional<double> ParseNumberString(std::string_view text);

// The bool a string spells under Terraform's rules, or nullopt.
std::optional<bool> ParseBoolString(std::string_view text);

// A number as Terraform renders it when converting to string.
std::string NumberToString(double value);

}  // namespace drydock::config
