#include "iam/policy.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace drydock::iam {
namespace {

using nlohmann::json;

// Far above IAM's own quotas; bounds what the parser is asked to hold.
constexpr size_t kMaxDocumentBytes = 128 * 1024;

Status Bad(const std::string& message) { return InvalidArgument("policy document: " + message); }

std::string Quoted(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses `text`, refusing an object with a repeated key (nlohmann would keep
// the last one silently; IAM refuses the document).
Result<json> ParseStrictJson(std::string_view text) {
  std::vector<std::set<std::string>> keys;
  std::string repeated;
  auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty() && parsed.is_string()) {
      if (!keys.back().insert(parsed.get<std::string>()).second && repeated.empty()) {
        repeated = parsed.get<std::string>();
      }
    }
    return true;
  };
  json parsed = json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Bad("not valid JSON");
  if (!repeated.empty()) return Bad("the element \"" + repeated + "\" appears twice in one object");
  return parsed;
}

// A string or a non-empty list of strings.
Result<std::vector<std::string>> StringList(const json& value, const std::string& where) {
  std::vector<std::string> items;
  if (value.is_string()) {
    items.push_back(value.get<std::string>());
    return items;
  }
  if (!value.is_array() || value.empty()) {
    return Bad(where + " must be a string or a non-empty list of strings, not " + Quoted(value));
  }
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return Bad(where + "[" + std::to_string(i) + "] must be a string, not " + Quoted(value[i]));
    }
    items.push_back(value[i].get<std::string>());
  }
  return items;
}

bool ServiceChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }
bool ActionChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '*' || c == '?' || c == '-' ||
         c == '_';
}

Status CheckAction(const std::string& action, const std::string& where) {
  if (action == "*") return Status::Ok();
  const size_t colon = action.find(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < action.size();
  for (size_t i = 0; ok && i < action.size(); ++i) {
    if (i == colon) continue;
    ok = i < colon ? ServiceChar(action[i]) : ActionChar(action[i]);
  }
  if (ok) return Status::Ok();
  return Bad(where + " \"" + action +
             "\" is not an action: write service:Action (secretsmanager:GetSecretValue, "
             "ecr:*) or \"*\"");
}

Status CheckResource(const std::string& resource, const std::string& where) {
  if (resource == "*") return Status::Ok();
  size_t colons = 0;
  for (char c : resource) colons += c == ':' ? 1 : 0;
  if (resource.rfind("arn:", 0) == 0 && colons >= 5) return Status::Ok();
  return Bad(where + " \"" + resource +
             "\" must be in ARN format (arn:aws:service:region:account:resource) or \"*\"");
}

// Action/NotAction or Resource/NotResource: exactly one of the pair.
Status ReadPair(const json& statement, const std::string& where, const char* name,
                const char* not_name, bool* negated, std::vector<std::string>* items) {
  const bool has = statement.contains(name), has_not = statement.contains(not_name);
  if (has && has_not) {
    return Bad(where + " has both " + name + " and " + not_name + "; keep one");
  }
  if (!has && !has_not) return Bad(where + " needs " + name + " or " + not_name);
  *negated = has_not;
  const std::string element = where + "." + (has ? name : not_name);
  Result<std::vector<std::string>> list = StringList(statement[has ? name : not_name], element);
  if (!list.ok()) return list.status();
  *items = std::move(*list);
  const bool actions = std::string_view(name) == "Action";
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string item_where = element + (items->size() > 1 ? "[" + std::to_string(i) + "]" : "");
    DRYDOCK_RETURN_IF_ERROR(actions ? CheckAction((*items)[i], item_where)
                                    : CheckResource((*items)[i], item_where));
  }
  return Status::Ok();
}

Status CheckStatementElements(const json& statement, const std::string& where) {
  static const std::set<std::string> kKnown = {"Sid",       "Effect",   "Action",
                                               "NotAction", "Resource", "NotResource"};
  for (const auto& [key, value] : statement.items()) {
    if (key == "Condition") {
      return Bad(where + ".Condition: conditions are not modelled by drydock; remove the "
                         "Condition element (docs/iam.md)");
    }
    if (key == "Principal" || key == "NotPrincipal") {
      return Bad(where + "." + key +
                 ": an identity-based policy may not name a principal; the role it is attached "
                 "to is the principal");
    }
    if (kKnown.count(key) == 0) {
      return Bad(where + ": unknown element \"" + key +
                 "\" (elements: Sid, Effect, Action, NotAction, Resource, NotResource)");
    }
  }
  return Status::Ok();
}

Result<Statement> ParseStatement(const json& value, const std::string& where) {
  if (!value.is_object()) return Bad(where + " must be an object, not " + Quoted(value));
  DRYDOCK_RETURN_IF_ERROR(CheckStatementElements(value, where));
  Statement statement;
  if (value.contains("Sid")) {
    const json& sid = value["Sid"];
    if (!sid.is_string()) return Bad(where + ".Sid must be a string, not " + Quoted(sid));
    statement.sid = sid.get<std::string>();
    for (char c : statement.sid) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        return Bad(where + ".Sid \"" + statement.sid + "\" may hold only letters and digits");
      }
    }
  }
  if (!value.contains("Effect")) return Bad(where + " needs an Effect: \"Allow\" or \"Deny\"");
  const json& effect = value["Effect"];
  if (effect == "Allow") {
    statement.effect = Effect::kAllow;
  } else if (effect == "Deny") {
    statement.effect = Effect::kDeny;
  } else {
    return Bad(where + ".Effect must be \"Allow\" or \"Deny\", not " + Quoted(effect));
  }
  DRYDOCK_RETURN_IF_ERROR(ReadPair(value, where, "Action", "NotAction", &statement.not_action,
                                   &statement.actions));
  DRYDOCK_RETURN_IF_ERROR(ReadPair(value, where, "Resource", "NotResource",
                                   &statement.not_resource, &statement.resources));
  return statement;
}

Status ReadHeader(const json& root, PolicyDocument* document) {
  for (const auto& [key, value] : root.items()) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      return Bad("unknown top-level element \"" + key + "\" (elements: Version, Id, Statement)");
    }
  }
  if (root.contains("Version")) {
    const json& version = root["Version"];
    if (version != "2012-10-17" && version != "2008-10-17") {
      return Bad("Version must be \"2012-10-17\" (or the older \"2008-10-17\"), not " +
                 Quoted(version));
    }
    document->version = version.get<std::string>();
  } else {
    document->version = "2008-10-17";  // IAM's default when Version is absent
  }
  if (root.contains("Id")) {
    if (!root["Id"].is_string()) return Bad("Id must be a string, not " + Quoted(root["Id"]));
    document->id = root["Id"].get<std::string>();
  }
  return Status::Ok();
}

}  // namespace

Result<PolicyDocument> ParsePolicyDocument(std::string_view json_text) {
  if (json_text.size() > kMaxDocumentBytes) {
    return Bad("larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
  }
  Result<json> root = ParseStrictJson(json_text);
  if (!root.ok()) return root.status();
  if (!root->is_object()) return Bad("must be a JSON object, not " + Quoted(*root));
  PolicyDocument document;
  DRYDOCK_RETURN_IF_ERROR(ReadHeader(*root, &document));
  if (!root->contains("Statement")) return Bad("needs a Statement element");
  const json& statements = (*root)["Statement"];
  if (statements.is_object()) {
    Result<Statement> statement = ParseStatement(statements, "Statement");
    if (!statement.ok()) return statement.status();
    document.statements.push_back(std::move(*statement));
  } else if (statements.is_array() && !statements.empty()) {
    for (size_t i = 0; i < statements.size(); ++i) {
      Result<Statement> statement =
          ParseStatement(statements[i], "Statement[" + std::to_string(i) + "]");
      if (!statement.ok()) return statement.status();
      document.statements.push_back(std::move(*statement));
    }
  } else {
    return Bad("Statement must be an object or a non-empty list of objects, not " +
               Quoted(statements));
  }
  std::set<std::string> sids;
  for (const Statement& statement : document.statements) {
    if (!statement.sid.empty() && !sids.insert(statement.sid).second) {
      return Bad("the Sid \"" + statement.sid + "\" is used by two statements; Sids must be unique");
    }
  }
  return document;
}

std::string ToJson(const PolicyDocument& document) {
  json root = json::object();
  root["Version"] = document.version;
  if (!document.id.empty()) root["Id"] = document.id;
  json statements = json::array();
  for (const Statement& s : document.statements) {
    json item = json::object();
    if (!s.sid.empty()) item["Sid"] = s.sid;
    item["Effect"] = s.effect == Effect::kAllow ? "Allow" : "Deny";
    auto list = [](const std::vector<std::string>& v) {
      return v.size() == 1 ? json(v[0]) : json(v);
    };
    item[s.not_action ? "NotAction" : "Action"] = list(s.actions);
    item[s.not_resource ? "NotResource" : "Resource"] = list(s.resources);
    statements.push_back(std::move(item));
  }
  root["Statement"] = std::move(statements);
  // nlohmann orders object keys alphabetically: Action < Effect < Resource < Sid,
  // and Statement < Version. That is stable, which is what matters here.
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto same = [ignore_case](char p, char t) {
    if (!ignore_case) return p == t;
    return std::tolower(static_cast<unsigned char>(p)) == std::tolower(static_cast<unsigned char>(t));
  };
  // Greedy with one backtrack point (the last `*`): linear in practice,
  // O(|pattern| * |text|) at worst, never exponential.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

size_t PolicyLengthWithoutWhitespace(std::string_view json_text) {
  size_t length = 0;
  bool in_string = false, escaped = false;
  for (char c : json_text) {
    if (in_string) {
      ++length;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      ++length;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      ++length;
    }
  }
  return length;
}

}  // namespace drydock::iam
