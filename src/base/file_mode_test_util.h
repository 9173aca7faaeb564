// Test-only: the permission bits of a file, for the tests that check what
// drydock creates 0600 / 0700 (state dir, store, logs, vault files).
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

namespace drydock::testing {

inline mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

}  // namespace drydock::testing
