#include "alb/wire.h"

#include <cmath>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "aws/ssl_policies.h"

namespace drydock::alb {
namespace {

using nlohmann::json;

// Reads fields of one JSON object; the first problem is kept, named by path.
class Reader {
 public:
  Reader(const json& object, std::string path, Status* error)
      : object_(object), path_(std::move(path)), error_(error) {
    if (!object_.is_object()) Fail(path_.empty() ? "the body" : path_, "is not an object");
  }

  std::string Str(const char* name, bool required = true) {
    const json* value = Find(name, required);
    if (value == nullptr) return {};
    if (!value->is_string()) return Fail(Path(name), "is not a string"), std::string();
    return value->get<std::string>();
  }
  double Number(const char* name, double low, double high, double fallback = 0,
                bool required = true) {
    const json* value = Find(name, required);
    if (value == nullptr) return fallback;
    if (!value->is_number()) return Fail(Path(name), "is not a number"), fallback;
    const double number = value->get<double>();
    if (!std::isfinite(number) || number < low || number > high) {
      Fail(Path(name), "is outside " + Format(low) + ".." + Format(high));
      return fallback;
    }
    return number;
  }
  int Int(const char* name, int low, int high, int fallback = 0, bool required = true) {
    const double number = Number(name, low, high, fallback, required);
    if (number != std::floor(number)) return Fail(Path(name), "is not an integer"), fallback;
    return static_cast<int>(number);
  }
  // The array `name` (empty when absent and not required).
  const json& Array(const char* name, bool required = true) {
    static const json kEmpty = json::array();
    const json* value = Find(name, required);
    if (value == nullptr) return kEmpty;
    if (!value->is_array()) return Fail(Path(name), "is not an array"), kEmpty;
    return *value;
  }
  const json& Object(const char* name) {
    static const json kNull;
    const json* value = Find(name, true);
    return value == nullptr ? kNull : *value;
  }
  std::string Path(const char* name) const { return path_.empty() ? name : path_ + "." + name; }
  void Fail(const std::string& path, const std::string& problem) {
    if (error_->ok()) *error_ = InvalidArgument(path + " " + problem);
  }
  bool ok() const { return error_->ok(); }

 private:
  static std::string Format(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
      return std::to_string(static_cast<long long>(value));
    }
    return std::to_string(value);
  }
  const json* Find(const char* name, bool required) {
    if (!object_.is_object()) return nullptr;
    const auto it = object_.find(name);
    if (it == object_.end()) {
      if (required) Fail(Path(name), "is missing");
      return nullptr;
    }
    return &*it;
  }

  const json& object_;
  std::string path_;
  Status* error_;
};

std::string Indexed(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

double ToSeconds(Duration duration) { return std::chrono::duration<double>(duration).count(); }
Duration FromSeconds(double seconds) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

std::string MatcherText(const std::vector<aws::CodeRange>& ranges) {
  std::string out;
  for (const aws::CodeRange& range : ranges) {
    if (!out.empty()) out += ",";
    out += std::to_string(range.low);
    if (range.high != range.low) {
      out += '-';
      out += std::to_string(range.high);
    }
  }
  return out;
}

json EncodeListener(const Listener& listener) {
  json rules = json::array();
  for (const ListenerRule& rule : listener.rules) {
    rules.push_back({{"priority", rule.priority},
                     {"pathPatterns", rule.path_patterns},
                     {"targetGroup", rule.target_group}});
  }
  return {{"rules", std::move(rules)},
          {"defaultAction",
           {{"statusCode", listener.default_action.status},
            {"contentType", listener.default_action.content_type},
            {"messageBody", listener.default_action.body}}}};
}

Listener DecodeListener(const json& value, Status* error) {
  Listener listener;
  Reader reader(value, "listener", error);
  const json& rules = reader.Array("rules");
  for (size_t i = 0; i < rules.size() && reader.ok(); ++i) {
    Reader rule(rules[i], Indexed("listener.rules", i), error);
    ListenerRule out;
    out.priority = rule.Int("priority", aws::kMinListenerPriority, aws::kMaxListenerPriority);
    out.target_group = rule.Str("targetGroup");
    const json& patterns = rule.Array("pathPatterns");
    for (size_t p = 0; p < patterns.size(); ++p) {
      if (!patterns[p].is_string()) {
        rule.Fail(Indexed(rule.Path("pathPatterns"), p), "is not a string");
        break;
      }
      out.path_patterns.push_back(patterns[p].get<std::string>());
    }
    listener.rules.push_back(std::move(out));
  }
  SortRules(listener.rules);
  Reader action(reader.Object("defaultAction"), "listener.defaultAction", error);
  listener.default_action.status = action.Int("statusCode", 200, 599);
  listener.default_action.content_type = action.Str("contentType", false);
  listener.default_action.body = action.Str("messageBody", false);
  return listener;
}

json EncodeGroup(const TargetGroupSpec& group) {
  const HealthCheckPolicy& check = group.health_check;
  json targets = json::array();
  for (const TargetSpec& target : group.targets) {
    targets.push_back({{"id", target.host}, {"port", target.port}, {"task", target.task}});
  }
  return {{"name", group.name},
          {"algorithm", AlgorithmName(group.algorithm)},
          {"deregistrationDelaySeconds", ToSeconds(group.deregistration_delay)},
          {"healthCheck",
           {{"path", check.path},
            {"intervalSeconds", ToSeconds(check.interval)},
            {"timeoutSeconds", ToSeconds(check.timeout)},
            {"healthyThreshold", check.healthy_threshold},
            {"unhealthyThreshold", check.unhealthy_threshold},
            {"matcher", MatcherText(check.matcher)}}},
          {"targets", std::move(targets)}};
}

TargetGroupSpec DecodeGroup(const json& value, const std::string& path, Status* error) {
  TargetGroupSpec group;
  Reader reader(value, path, error);
  group.name = reader.Str("name");
  if (reader.ok() && group.name.empty()) reader.Fail(reader.Path("name"), "is empty");
  const std::string algorithm = reader.Str("algorithm");
  if (reader.ok()) {
    Result<Algorithm> parsed = ParseAlgorithm(algorithm);
    if (parsed.ok()) {
      group.algorithm = *parsed;
    } else {
      reader.Fail(reader.Path("algorithm"), parsed.status().message());
    }
  }
  group.deregistration_delay =
      FromSeconds(reader.Number("deregistrationDelaySeconds", 0, aws::kMaxDeregistrationDelay));

  Reader check(reader.Object("healthCheck"), reader.Path("healthCheck"), error);
  HealthCheckPolicy& policy = group.health_check;
  policy.path = check.Str("path");
  if (check.ok() && (policy.path.empty() || policy.path.front() != '/' ||
                     policy.path.size() > aws::kMaxHealthCheckPathLength ||
                     policy.path.find_first_of(" \r\n") != std::string::npos)) {
    check.Fail(check.Path("path"), "is not a path of at most 1024 characters starting with /");
  }
  // Scaled time may go below ALB's minimums; only sanity bounds here.
  policy.interval = FromSeconds(check.Number("intervalSeconds", 0.001, 86400));
  policy.timeout = FromSeconds(check.Number("timeoutSeconds", 0.001, 86400));
  policy.healthy_threshold = check.Int("healthyThreshold", 1, aws::kMaxHealthCheckThreshold, 1);
  policy.unhealthy_threshold =
      check.Int("unhealthyThreshold", 1, aws::kMaxHealthCheckThreshold, 1);
  const std::string matcher = check.Str("matcher");
  if (check.ok()) {
    Result<std::vector<aws::CodeRange>> ranges = aws::ParseHealthCheckMatcher(matcher);
    if (ranges.ok()) {
      policy.matcher = std::move(*ranges);
    } else {
      check.Fail(check.Path("matcher"), ranges.status().message());
    }
  }

  const json& targets = reader.Array("targets");
  std::set<std::string> keys;
  for (size_t i = 0; i < targets.size() && reader.ok(); ++i) {
    const std::string target_path = Indexed(reader.Path("targets"), i);
    Reader target(targets[i], target_path, error);
    TargetSpec out;
    out.host = target.Str("id");
    out.port = target.Int("port", 1, 65535);
    out.task = target.Str("task", false);
    if (!target.ok()) break;
    if (!keys.insert(TargetKey(out.host, out.port)).second) {
      target.Fail(target_path, "registers " + TargetKey(out.host, out.port) + " twice");
    }
    group.targets.push_back(std::move(out));
  }
  return group;
}

json EncodeHttps(const HttpsListenerSpec& https) {
  json certificates = json::array();
  for (const CertificateFiles& files : https.certificates) {
    certificates.push_back(
        {{"certificateFile", files.certificate_file}, {"privateKeyFile", files.private_key_file}});
  }
  return {{"address", https.address},
          {"port", https.port},
          {"sslPolicy", https.ssl_policy},
          {"certificates", std::move(certificates)},
          {"redirectHttp", https.redirect_http}};
}

HttpsListenerSpec DecodeHttps(const json& value, Status* error) {
  HttpsListenerSpec https;
  Reader reader(value, "https", error);
  https.address = reader.Str("address");
  https.port = reader.Int("port", 0, 65535);
  https.ssl_policy = reader.Str("sslPolicy");
  if (reader.ok() && aws::FindSslPolicy(https.ssl_policy) == nullptr) {
    reader.Fail(reader.Path("sslPolicy"), "is not a policy drydock serves");
  }
  const json& certificates = reader.Array("certificates");
  if (reader.ok() && certificates.empty()) reader.Fail(reader.Path("certificates"), "is empty");
  for (size_t i = 0; i < certificates.size() && reader.ok(); ++i) {
    Reader files(certificates[i], Indexed("https.certificates", i), error);
    CertificateFiles out;
    out.certificate_file = files.Str("certificateFile");
    out.private_key_file = files.Str("privateKeyFile");
    if (files.ok() && (out.certificate_file.empty() || out.private_key_file.empty())) {
      files.Fail(Indexed("https.certificates", i), "needs certificateFile and privateKeyFile");
    }
    https.certificates.push_back(std::move(out));
  }
  if (reader.ok() && value.contains("redirectHttp")) {
    if (!value["redirectHttp"].is_boolean()) {
      reader.Fail("https.redirectHttp", "is not a boolean");
    } else {
      https.redirect_http = value["redirectHttp"].get<bool>();
    }
  }
  return https;
}

}  // namespace

std::string_view AlgorithmName(Algorithm algorithm) {
  return algorithm == Algorithm::kRoundRobin ? "round_robin" : "least_outstanding_requests";
}

Result<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "round_robin") return Algorithm::kRoundRobin;
  if (name == "least_outstanding_requests") return Algorithm::kLeastOutstandingRequests;
  std::string message = "\"";  // appended piece by piece: GCC 12 -Wrestrict
  message.append(name).append("\" is not round_robin or least_outstanding_requests");
  return InvalidArgument(message);
}

std::string EncodeProxyConfig(const ProxyConfig& config) {
  json groups = json::array();
  for (const TargetGroupSpec& group : config.spec.target_groups) groups.push_back(EncodeGroup(group));
  json document = {{"timeScale", config.time_scale},
                   {"listener", EncodeListener(config.spec.listener)},
                   {"targetGroups", std::move(groups)}};
  if (config.spec.https) document["https"] = EncodeHttps(*config.spec.https);
  return document.dump();
}

Result<ProxyConfig> DecodeProxyConfig(std::string_view text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return InvalidArgument("the body is not valid JSON");
  Status error = Status::Ok();
  Reader reader(document, "", &error);
  ProxyConfig config;
  config.time_scale = reader.Number("timeScale", 0.001, 100000, 1, /*required=*/false);
  if (!error.ok()) return error;
  config.spec.listener = DecodeListener(reader.Object("listener"), &error);
  if (!error.ok()) return error;
  const json& groups = reader.Array("targetGroups");
  std::set<std::string> names;
  for (size_t i = 0; i < groups.size() && error.ok(); ++i) {
    TargetGroupSpec group = DecodeGroup(groups[i], Indexed("targetGroups", i), &error);
    if (error.ok() && !names.insert(group.name).second) {
      return InvalidArgument(Indexed("targetGroups", i) + " repeats the name \"" + group.name +
                             "\"");
    }
    config.spec.target_groups.push_back(std::move(group));
  }
  if (!error.ok()) return error;
  if (document.contains("https") && !document["https"].is_null()) {
    config.spec.https = DecodeHttps(document["https"], &error);
    if (!error.ok()) return error;
  }
  return config;
}

LoadBalancerSpec ScaledSpec(LoadBalancerSpec spec, double time_scale) {
  auto scale = [time_scale](Duration duration) {
    return std::chrono::duration_cast<Duration>(
        std::chrono::duration<double, Duration::period>(duration.count() / time_scale));
  };
  for (TargetGroupSpec& group : spec.target_groups) {
    group.deregistration_delay = scale(group.deregistration_delay);
    group.health_check.interval = scale(group.health_check.interval);
    group.health_check.timeout = scale(group.health_check.timeout);
  }
  spec.listener.idle_timeout = scale(spec.listener.idle_timeout);
  return spec;
}

std::string EncodeTargets(const std::vector<TargetGroupReport>& groups) {
  json out = json::array();
  for (const TargetGroupReport& group : groups) {
    json descriptions = json::array();
    for (const TargetReport& target : group.targets) {
      json health = {{"state", TargetStateName(target.health.state)}};
      if (!target.health.reason.empty()) health["reason"] = target.health.reason;
      if (!target.health.description.empty()) health["description"] = target.health.description;
      descriptions.push_back({{"target", {{"id", target.target.host}, {"port", target.target.port}}},
                              {"task", target.target.task},
                              {"inFlightRequests", target.in_flight},
                              {"targetHealth", std::move(health)}});
    }
    out.push_back({{"targetGroupName", group.name},
                   {"targetHealthDescriptions", std::move(descriptions)}});
  }
  return json{{"targetGroups", std::move(out)}}.dump(2) + "\n";
}

Result<std::vector<TargetGroupReport>> DecodeTargets(std::string_view text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return InvalidArgument("the target report is not valid JSON");
  Status error = Status::Ok();
  Reader reader(document, "", &error);
  std::vector<TargetGroupReport> groups;
  const json& list = reader.Array("targetGroups");
  for (size_t i = 0; i < list.size() && error.ok(); ++i) {
    Reader group(list[i], Indexed("targetGroups", i), &error);
    TargetGroupReport out;
    out.name = group.Str("targetGroupName");
    const json& descriptions = group.Array("targetHealthDescriptions");
    for (size_t t = 0; t < descriptions.size() && error.ok(); ++t) {
      Reader description(descriptions[t], Indexed(group.Path("targetHealthDescriptions"), t),
                         &error);
      TargetReport target;
      Reader id(description.Object("target"), description.Path("target"), &error);
      target.target.host = id.Str("id");
      target.target.port = id.Int("port", 1, 65535);
      target.target.task = description.Str("task", false);
      target.in_flight = description.Int("inFlightRequests", 0, 1 << 30, 0, false);
      Reader health(description.Object("targetHealth"), description.Path("targetHealth"), &error);
      const std::string state = health.Str("state");
      bool known = false;
      for (TargetState candidate : {TargetState::kInitial, TargetState::kHealthy,
                                    TargetState::kUnhealthy, TargetState::kDraining,
                                    TargetState::kUnused}) {
        if (TargetStateName(candidate) == state) {
          target.health.state = candidate;
          known = true;
        }
      }
      if (error.ok() && !known) health.Fail(health.Path("state"), "is not a target state");
      target.health.reason = health.Str("reason", false);
      target.health.description = health.Str("description", false);
      out.targets.push_back(std::move(target));
    }
    groups.push_back(std::move(out));
  }
  if (!error.ok()) return error;
  return groups;
}

}  // namespace drydock::alb
