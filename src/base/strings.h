// Small string helpers shared by every layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drydock {

// Levenshtein distance, used for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when none is close enough to be a
// plausible typo (distance <= max(1, len/3)).
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// Joins items with a separator.
std::string Join(const std::vector<std::string>& items, std::string_view separator);

bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

// A whole decimal number (digits only, no sign, no spaces) that fits in
// 64 bits; nullopt otherwise. Never throws, unlike std::stoull.
std::optional<uint64_t> ParseUint(std::string_view text);

// Formats a number the way HCL/JSON users write it: integers without a
// fraction, others with up to 17 significant digits.
std::string FormatNumber(double value);

// FNV-1a 64 of `text` as 16 lowercase hex digits: a stable fingerprint for
// ids and change detection (not a cryptographic hash).
std::string Fnv1a64Hex(std::string_view text);

// "<what>: <strerror(errno)>", for a system call that just failed. Reads errno
// first, so call it before anything else can change errno.
std::string ErrnoMessage(std::string_view what);

}  // namespace drydock
