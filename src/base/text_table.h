// Column-aligned plain-text tables for text output (plan, status).
#pragma once

#include <string>
#include <vector>

namespace drydock {

class TextTable {
 public:
  // `right_aligned[i]` right-aligns column i (numbers); missing entries are left.
  explicit TextTable(std::vector<bool> right_aligned = {}) : right_(std::move(right_aligned)) {}

  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

  // Every row prefixed by `indent`, columns separated by two spaces, no
  // trailing blanks, each row ending in '\n'.
  std::string Render(const std::string& indent) const;

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace drydock
