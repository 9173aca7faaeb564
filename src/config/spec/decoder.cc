// PLACEHOLDER: being replaced by the real decoder.
#include "config/spec/decoder.h"
namespace drydock::config {
Diagnostics Decode(const Document& document, Config* config) {
  config->file = document.file;
  return {};
}
}  // namespace drydock::config
