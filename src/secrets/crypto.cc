#include "secrets/crypto.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/scoped_fd.h"

namespace drydock::secrets {
namespace {

constexpr std::string_view kWrapContext = "drydock-data-key-v1";

std::string Errno(int error) { return std::strerror(error); }

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

Status OpenSslError(std::string_view doing) {
  return Internal("OpenSSL failed while " + std::string(doing) + " (AES-256-GCM)");
}

Status WriteAll(int fd, const unsigned char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return IoError("cannot write " + path + ": " + Errno(errno));
    data += written;
    size -= static_cast<size_t>(written);
  }
  return Status::Ok();
}

Result<Key> ReadMasterKey(const std::string& path) {
  DRYDOCK_RETURN_IF_ERROR(CheckPrivate(path, /*is_directory=*/false));
  ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return IoError("cannot open master key " + path + ": " + Errno(errno));
  Key key;
  unsigned char extra = 0;
  size_t got = 0;
  while (got < Key::size()) {
    ssize_t n = read(fd.get(), key.data() + got, Key::size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read master key " + path + ": " + Errno(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != Key::size() || read(fd.get(), &extra, 1) != 0) {
    return Status(StatusCode::kFailedPrecondition,
                  "master key " + path + " is not 32 bytes: it was damaged or replaced; " +
                      "restore it from a backup (without it the secrets cannot be decrypted)");
  }
  return key;
}

Result<Key> CreateMasterKey(const std::string& path) {
  Result<Key> key = NewKey();
  if (!key.ok()) return key.status();
  const std::string temporary = path + ".new." + std::to_string(getpid());
  unlink(temporary.c_str());  // a leftover of a crashed run of this pid
  {
    ScopedFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return IoError("cannot create " + temporary + ": " + Errno(errno));
    Status written = fchmod(fd.get(), 0600) == 0
                         ? WriteAll(fd.get(), key->data(), Key::size(), temporary)
                         : IoError("cannot set mode 0600 on " + temporary + ": " + Errno(errno));
    if (written.ok() && fsync(fd.get()) != 0) {
      written = IoError("cannot sync " + temporary + ": " + Errno(errno));
    }
    if (!written.ok()) {
      unlink(temporary.c_str());
      return written;
    }
  }
  // link() fails with EEXIST when another process won the race: use its key.
  const bool linked = link(temporary.c_str(), path.c_str()) == 0;
  const int error = errno;
  unlink(temporary.c_str());
  if (linked) return key;
  if (error == EEXIST) return ReadMasterKey(path);
  return IoError("cannot create master key " + path + ": " + Errno(error));
}

}  // namespace

Key::Key(Key&& other) noexcept : bytes_(other.bytes_) {
  OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

Key& Key::operator=(Key&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

Key::~Key() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

void Wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

Result<std::string> RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (count > static_cast<size_t>(INT_MAX) ||
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    return Internal("OpenSSL's random generator (RAND_bytes) failed");
  }
  return bytes;
}

Result<Key> NewKey() {
  Key key;
  if (RAND_bytes(key.data(), static_cast<int>(Key::size())) != 1) {
    return Internal("OpenSSL's random generator (RAND_bytes) failed");
  }
  return key;
}

Result<std::string> NewVersionId() {
  Result<std::string> bytes = RandomBytes(16);
  if (!bytes.ok()) return bytes.status();
  std::string& b = *bytes;
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    const auto byte = static_cast<unsigned char>(b[i]);
    id += kHex[byte >> 4];
    id += kHex[byte & 0x0f];
  }
  return id;
}

Result<std::string> RandomAlphanumeric(size_t count) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string text;
  while (text.size() < count) {
    Result<std::string> bytes = RandomBytes(count * 2);
    if (!bytes.ok()) return bytes.status();
    for (char c : *bytes) {
      // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 248 && text.size() < count) text += kAlphabet[byte % kAlphabet.size()];
    }
  }
  return text;
}

Result<std::string> Encrypt(const Key& key, std::string_view plaintext, std::string_view aad) {
  Result<std::string> nonce = RandomBytes(kNonceBytes);
  if (!nonce.ok()) return nonce.status();
  if (plaintext.size() > static_cast<size_t>(INT_MAX / 2) || aad.size() > INT_MAX / 2) {
    return InvalidArgument("value too large to encrypt");
  }
  CipherContext context(EVP_CIPHER_CTX_new());
  std::string sealed = *nonce;
  sealed.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* out = reinterpret_cast<unsigned char*>(sealed.data()) + kNonceBytes;
  int length = 0, final_length = 0;
  if (!context ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(context.get(), nullptr, nullptr, key.data(), Bytes(*nonce)) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &length, Bytes(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), out, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), out + length, &final_length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out + plaintext.size()) !=
          1) {
    return OpenSslError("encrypting");
  }
  return sealed;
}

Result<std::string> Decrypt(const Key& key, std::string_view sealed, std::string_view aad,
                            std::string_view what) {
  const Status tampered(StatusCode::kFailedPrecondition,
                        "cannot decrypt " + std::string(what) +
                            ": the stored ciphertext failed authentication (the database was "
                            "modified, the row was moved, or master.key is not the key it was "
                            "encrypted with)");
  if (sealed.size() < kNonceBytes + kTagBytes || sealed.size() > INT_MAX / 2 ||
      aad.size() > INT_MAX / 2) {
    return tampered;
  }
  const size_t body_size = sealed.size() - kNonceBytes - kTagBytes;
  std::string plaintext(body_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  std::string tag(sealed.substr(kNonceBytes + body_size));
  CipherContext context(EVP_CIPHER_CTX_new());
  int length = 0, final_length = 0;
  if (!context ||
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(context.get(), nullptr, nullptr, key.data(), Bytes(sealed)) != 1 ||
      EVP_DecryptUpdate(context.get(), nullptr, &length, Bytes(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(context.get(), out, &length, Bytes(sealed) + kNonceBytes,
                        static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1) {
    Wipe(plaintext);
    return OpenSslError("decrypting");
  }
  if (EVP_DecryptFinal_ex(context.get(), out + length, &final_length) != 1) {
    Wipe(plaintext);  // unauthenticated bytes never leave this function
    return tampered;
  }
  return plaintext;
}

Result<std::string> WrapKey(const Key& master, const Key& data_key, std::string_view arn) {
  const std::string aad = std::string(kWrapContext) + '\0' + std::string(arn);
  return Encrypt(
      master, std::string_view(reinterpret_cast<const char*>(data_key.data()), Key::size()), aad);
}

Result<Key> UnwrapKey(const Key& master, std::string_view wrapped, std::string_view arn) {
  const std::string aad = std::string(kWrapContext) + '\0' + std::string(arn);
  Result<std::string> bytes = Decrypt(master, wrapped, aad, "the data key of " + std::string(arn));
  if (!bytes.ok()) return bytes.status();
  Key key;
  const bool right_size = bytes->size() == Key::size();
  if (right_size) std::memcpy(key.data(), bytes->data(), Key::size());
  Wipe(*bytes);
  if (!right_size) return Internal("the data key of " + std::string(arn) + " is not 32 bytes");
  return key;
}

Status CheckPrivate(const std::string& path, bool is_directory) {
  struct stat info;
  if (lstat(path.c_str(), &info) != 0) return IoError("cannot stat " + path + ": " + Errno(errno));
  const bool right_type = is_directory ? S_ISDIR(info.st_mode) : S_ISREG(info.st_mode);
  if (!right_type) {
    return Status(StatusCode::kFailedPrecondition,
                  path + " is not a " + (is_directory ? "directory" : "regular file"));
  }
  if (info.st_uid != geteuid()) {
    return Status(StatusCode::kFailedPrecondition,
                  path + " belongs to uid " + std::to_string(info.st_uid) + ", not to you (uid " +
                      std::to_string(geteuid()) + "); secrets must be private to their owner");
  }
  if ((info.st_mode & 077) != 0) {
    const char* mode = is_directory ? "700" : "600";
    return Status(StatusCode::kFailedPrecondition,
                  path + " is open to other users (mode " + Octal(info.st_mode) +
                      "); drydock refuses to use it for secrets: run `chmod " + mode + " " + path +
                      "`");
  }
  return Status::Ok();
}

Result<Key> LoadOrCreateMasterKey(const std::string& path) {
  struct stat info;
  if (lstat(path.c_str(), &info) == 0) return ReadMasterKey(path);
  if (errno != ENOENT) return IoError("cannot stat " + path + ": " + Errno(errno));
  return CreateMasterKey(path);
}

}  // namespace drydock::secrets
