#include "runtime/real/control_token.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"

namespace drydock::runtime {
namespace {

bool IsToken(std::string_view text) {
  if (text.size() != 2 * kControlTokenBytes) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<std::string> FreshToken() {
  unsigned char bytes[kControlTokenBytes];
  size_t filled = 0;
  while (filled < sizeof bytes) {
    const ssize_t got = getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return IoError(ErrnoMessage("getrandom"));
    filled += static_cast<size_t>(got);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

Status WriteAll(int fd, const std::string& text, const std::string& path) {
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(ErrnoMessage("cannot write " + path));
    written += static_cast<size_t>(n);
  }
  return fsync(fd) == 0 ? Status::Ok() : IoError(ErrnoMessage("cannot sync " + path));
}

}  // namespace

Result<std::string> ReadControlToken(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) {
      return NotFound(path + " does not exist: `drydock up` creates it when it starts the cluster");
    }
    return IoError(ErrnoMessage("cannot open " + path));
  }
  struct stat info {};
  std::string text;
  Status status;
  if (fstat(fd, &info) != 0) {
    status = IoError(ErrnoMessage("cannot stat " + path));
  } else if (info.st_uid != geteuid() || !S_ISREG(info.st_mode)) {
    status = Status(StatusCode::kFailedPrecondition,
                    path + " is not a file of yours; remove it and run `drydock up` again");
  } else if ((info.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) {
    status = IoError(ErrnoMessage("cannot set the mode of " + path + " to 0600"));
  } else {
    char buffer[2 * kControlTokenBytes + 2];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) status = IoError(ErrnoMessage("cannot read " + path));
    if (n > 0) text.assign(buffer, static_cast<size_t>(n));
  }
  close(fd);
  if (!status.ok()) return status;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!IsToken(text)) {
    return Status(StatusCode::kFailedPrecondition,
                  path + " does not hold a drydock token (64 hex digits); remove it and run "
                         "`drydock up` again to create a new one");
  }
  return text;
}

Result<std::string> EnsureControlToken(const std::string& path) {
  Result<std::string> existing = ReadControlToken(path);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;
  Result<std::string> token = FreshToken();
  if (!token.ok()) return token.status();
  // Written whole under a private name, then linked into place: link() fails
  // with EEXIST when another process won the race, and then its token is
  // the one everybody uses. Nobody ever reads a half-written token.
  // mkostemp: a fresh name (O_EXCL, mode 0600) per creator, thread or process.
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return IoError(ErrnoMessage("cannot create " + temp));
  Status status = fchmod(fd, 0600) == 0 ? WriteAll(fd, *token + "\n", temp)
                                        : IoError(ErrnoMessage("cannot set the mode of " + temp));
  close(fd);
  if (status.ok() && link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    status = IoError(ErrnoMessage("cannot create " + path));
  }
  unlink(temp.c_str());
  if (!status.ok()) return status;
  return ReadControlToken(path);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference = difference | static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

bool HasBearerToken(const HttpRequest& request, std::string_view token) {
  const std::string* value = nullptr;
  for (const auto& [name, header_value] : request.headers) {
    if (name.size() != 13) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) == "authorization"[i];
    }
    if (!same) continue;
    if (value != nullptr) return false;  // two Authorization headers: refuse
    value = &header_value;
  }
  if (value == nullptr || value->size() < 7) return false;
  std::string scheme = value->substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return false;
  std::string_view presented = std::string_view(*value).substr(7);
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  return !token.empty() && ConstantTimeEquals(presented, token);
}

}  // namespace drydock::runtime
