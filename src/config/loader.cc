#include "config/loader.h"

#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "config/hcl/hcl_parser.h"
#include "config/json/json_parser.h"
#include "config/spec/decoder.h"

namespace drydock::config {

LoadResult LoadConfigText(const std::string& text, const std::string& file) {
  LoadResult result;
  result.text = text;
  Document document;
  result.diagnostics = EndsWith(file, ".json") ? ParseJson(text, file, &document)
                                               : ParseHcl(text, file, &document);
  if (HasErrors(result.diagnostics)) return result;
  Config config;
  Diagnostics decoded = Decode(document, &config);
  result.diagnostics.insert(result.diagnostics.end(), decoded.begin(), decoded.end());
  if (!HasErrors(result.diagnostics)) result.config = std::move(config);
  return result;
}

LoadResult LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.diagnostics.push_back(Diagnostic{Severity::kError, path, SourcePos{0, 0, 0}, "",
                                            "file-unreadable", "cannot read the file",
                                            "check the path and the file's permissions"});
    return result;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return LoadConfigText(contents.str(), path);
}

}  // namespace drydock::config
