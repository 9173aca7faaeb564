// Envelope encryption for the secrets store (docs/secrets.md, "Envelope
// encryption"): AES-256-GCM through OpenSSL's EVP interface.
//
//   master key (32 bytes, <secrets dir>/master.key, 0600)
//     └─ wraps each secret's data key (32 random bytes, stored only wrapped)
//          └─ encrypts each version's SecretString
//
// Every ciphertext is nonce (12 bytes) || ciphertext || tag (16 bytes), and
// its additional authenticated data binds it to where it belongs (the
// secret's ARN, and the version id for values), so a ciphertext copied to
// another row fails to decrypt instead of yielding another secret's value.
//
// Randomness: keys, nonces, ARN suffixes and version ids come from OpenSSL's
// RAND_bytes, the one source of randomness in drydock outside its seeded
// Random (base/random.h). Random is a replayable PRNG for simulations; keys
// and nonces must be unpredictable and must never repeat across runs, which
// is exactly what a replayable seed cannot give.
//
// openssl headers stay in crypto.cc.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace drydock::secrets {

inline constexpr size_t kKeyBytes = 32;    // AES-256
inline constexpr size_t kNonceBytes = 12;  // GCM's recommended IV size
inline constexpr size_t kTagBytes = 16;

// 32 bytes of key material, wiped (OPENSSL_cleanse) when destroyed or moved
// from. Not copyable, so that key material is not duplicated by accident.
class Key {
 public:
  Key() { bytes_.fill(0); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  Key(Key&& other) noexcept;
  Key& operator=(Key&& other) noexcept;
  ~Key();

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  static constexpr size_t size() { return kKeyBytes; }

 private:
  std::array<unsigned char, kKeyBytes> bytes_;
};

// Overwrites `text`'s bytes with zeros (OPENSSL_cleanse), then clears it.
void Wipe(std::string& text);

// `count` bytes from RAND_bytes.
Result<std::string> RandomBytes(size_t count);
// A fresh random key.
Result<Key> NewKey();
// A random UUID version 4 in lowercase 8-4-4-4-12 form (a version id).
Result<std::string> NewVersionId();
// `count` random characters from [A-Za-z0-9] (the ARN suffix of a secret).
Result<std::string> RandomAlphanumeric(size_t count);

// AES-256-GCM with a fresh random nonce. Returns nonce || ciphertext || tag.
Result<std::string> Encrypt(const Key& key, std::string_view plaintext, std::string_view aad);
// The inverse. A wrong key, a wrong `aad` or any changed byte is a
// kFailedPrecondition error saying the data failed authentication; never
// garbage. `what` names the thing for the message ("version 3f2a… of db").
Result<std::string> Decrypt(const Key& key, std::string_view sealed, std::string_view aad,
                            std::string_view what);

// A data key wrapped (encrypted) by the master key, bound to `arn`.
Result<std::string> WrapKey(const Key& master, const Key& data_key, std::string_view arn);
Result<Key> UnwrapKey(const Key& master, std::string_view wrapped, std::string_view arn);

// Checks that `path` is a directory (is_directory) or a regular file owned
// by the effective user and closed to group and others; the error says
// which `chmod` fixes it.
Status CheckPrivate(const std::string& path, bool is_directory);

// The master key at `path` (<secrets dir>/master.key): read it, or, when
// missing, create it with 32 random bytes, mode 0600, atomically (written to
// a temporary file opened with O_EXCL, then link()ed into place, so that two
// processes creating it at once agree on one key and nobody reads a
// half-written one). A key file open to group/others, of another owner or of
// the wrong size is refused.
Result<Key> LoadOrCreateMasterKey(const std::string& path);

}  // namespace drydock::secrets
