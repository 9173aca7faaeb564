// Decoder tests on hand-built value trees (parser-independent): the origin
// decodes exactly, defaults fill in, conversions follow Terraform, and every
// error kind carries its position, setting path, rule and fix.
#include "config/spec/decoder.h"

#include <gtest/gtest.h>

#include "config/spec/test_values.h"

namespace drydock::config {
namespace {

using testing::Bool;
using testing::Doc;
using testing::Entry;
using testing::List;
using testing::Null;
using testing::Num;
using testing::Obj;
using testing::Str;

// A service as the origin writes it: `{` at (line, brace_column), then the
// six required attributes on the next lines with values at column 22.
Value OriginService(int line, int brace_column, const std::string& pattern, double priority) {
  return Obj(line, brace_column, Entry("desired_count", line + 1, 5, Num(2, line + 1, 22)),
             Entry("path_pattern", line + 2, 5, List(line + 2, 22, {Str(pattern, line + 2, 23)})),
             Entry("priority", line + 3, 5, Num(priority, line + 3, 22)),
             Entry("container_port", line + 4, 5, Num(80, line + 4, 22)),
             Entry("cpu", line + 5, 5, Num(256, line + 5, 22)),
             Entry("memory", line + 6, 5, Num(512, line + 6, 22)));
}

// examples/origin/terraform.tfvars, with the positions its text has.
Document OriginDocument() {
  return Doc("terraform.tfvars", Entry("region", 1, 1, Str("us-east-1", 1, 15)),
             Entry("environment", 2, 1, Str("production", 2, 15)),
             Entry("vpc_cidr", 3, 1, Str("10.0.0.0/16", 3, 15)),
             Entry("cluster_name", 5, 1, Str("production-cluster", 5, 24)),
             Entry("instance_type", 6, 1, Str("t3.medium", 6, 24)),
             Entry("asg_min_size", 7, 1, Num(2, 7, 24)),
             Entry("asg_max_size", 8, 1, Num(10, 8, 24)),
             Entry("asg_desired_capacity", 9, 1, Num(2, 9, 24)),
             Entry("on_demand_base_capacity", 12, 1, Num(1, 12, 35)),
             Entry("on_demand_percentage_above_base", 13, 1, Num(20, 13, 35)),
             Entry("services", 15, 1,
                   Obj(15, 12, Entry("nginx", 16, 3, OriginService(16, 11, "/nginx*", 100)),
                       Entry("api", 24, 3, OriginService(24, 9, "/api*", 110)))));
}

// The required attributes of a service `api` whose key is at line 2:
// desired_count at line 3 ... memory at line 8, values at column 22.
std::vector<ObjectEntry> ApiRequired() {
  std::vector<ObjectEntry> entries;
  entries.push_back(Entry("desired_count", 3, 5, Num(2, 3, 22)));
  entries.push_back(Entry("path_pattern", 4, 5, List(4, 22, {Str("/api*", 4, 23)})));
  entries.push_back(Entry("priority", 5, 5, Num(110, 5, 22)));
  entries.push_back(Entry("container_port", 6, 5, Num(80, 6, 22)));
  entries.push_back(Entry("cpu", 7, 5, Num(256, 7, 22)));
  entries.push_back(Entry("memory", 8, 5, Num(512, 8, 22)));
  return entries;
}

// Replaces the value of `key` in `entries`.
void Set(std::vector<ObjectEntry>* entries, const std::string& key, Value value) {
  for (ObjectEntry& entry : *entries) {
    if (entry.key == key) entry.value = std::make_unique<Value>(std::move(value));
  }
}

void Drop(std::vector<ObjectEntry>* entries, const std::string& key) {
  std::erase_if(*entries, [&](const ObjectEntry& e) { return e.key == key; });
}

// `services = { api = { <service_entries> } }` at lines 1-2, then `top`
// (top-level entries, conventionally written at lines 20 and later).
Document ApiDocument(std::vector<ObjectEntry> service_entries, std::vector<ObjectEntry> top = {},
                     const std::string& file = "terraform.tfvars") {
  std::vector<ObjectEntry> api;
  api.push_back(Entry("api", 2, 3, Value::Object(std::move(service_entries), testing::At(2, 9))));
  std::vector<ObjectEntry> root;
  root.push_back(Entry("services", 1, 1, Value::Object(std::move(api), testing::At(1, 12))));
  for (ObjectEntry& entry : top) root.push_back(std::move(entry));
  Document document;
  document.file = file;
  document.root = Value::Object(std::move(root), testing::At(1, 1));
  return document;
}

std::vector<ObjectEntry> With(std::vector<ObjectEntry> entries, ObjectEntry extra) {
  entries.push_back(std::move(extra));
  return entries;
}

std::vector<ObjectEntry> One(ObjectEntry entry) {
  std::vector<ObjectEntry> entries;
  entries.push_back(std::move(entry));
  return entries;
}

// Decodes and requires exactly one diagnostic.
Diagnostic DecodeOneError(const Document& document) {
  Config config;
  Diagnostics diagnostics = Decode(document, &config);
  if (diagnostics.size() != 1) {
    ADD_FAILURE() << "expected one diagnostic, got " << diagnostics.size();
    for (const Diagnostic& d : diagnostics) ADD_FAILURE() << FormatDiagnostic(d, false);
  }
  return diagnostics.empty() ? Diagnostic{} : diagnostics.front();
}

Config DecodeClean(const Document& document) {
  Config config;
  Diagnostics diagnostics = Decode(document, &config);
  for (const Diagnostic& d : diagnostics) ADD_FAILURE() << FormatDiagnostic(d, false);
  return config;
}

void ExpectAt(const Diagnostic& d, int line, int column, const std::string& setting,
              const std::string& rule) {
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.file, "terraform.tfvars");
  EXPECT_EQ(d.pos.line, line) << d.message;
  EXPECT_EQ(d.pos.column, column) << d.message;
  EXPECT_EQ(d.setting, setting);
  EXPECT_EQ(d.rule, rule);
  EXPECT_FALSE(d.fix.empty());
}

TEST(DecoderTest, OriginDecodesExactly) {
  Config config = DecodeClean(OriginDocument());
  const Settings& s = config.settings;
  EXPECT_EQ(config.file, "terraform.tfvars");
  EXPECT_EQ(s.region, "us-east-1");
  EXPECT_EQ(s.environment, "production");
  EXPECT_EQ(s.vpc_cidr, "10.0.0.0/16");
  EXPECT_EQ(s.cluster_name, "production-cluster");
  EXPECT_EQ(s.instance_type, "t3.medium");
  EXPECT_EQ(s.asg_min_size, 2);
  EXPECT_EQ(s.asg_max_size, 10);
  EXPECT_EQ(s.asg_desired_capacity, 2);
  EXPECT_EQ(s.on_demand_base_capacity, 1);
  EXPECT_EQ(s.on_demand_percentage_above_base, 20);
  ASSERT_EQ(s.services.size(), 2u);
  const ServiceSettings& nginx = s.services[0];
  EXPECT_EQ(nginx.name, "nginx");
  EXPECT_EQ(nginx.desired_count, 2);
  EXPECT_EQ(nginx.path_pattern, std::vector<std::string>{"/nginx*"});
  EXPECT_EQ(nginx.priority, 100);
  EXPECT_EQ(nginx.container_port, 80);
  EXPECT_EQ(nginx.cpu, 256);
  EXPECT_EQ(nginx.memory, 512);
  const ServiceSettings& api = s.services[1];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.path_pattern, std::vector<std::string>{"/api*"});
  EXPECT_EQ(api.priority, 110);
}

TEST(DecoderTest, DefaultsAreTheOriginsHardCodedValues) {
  Config config = DecodeClean(OriginDocument());
  const Settings& s = config.settings;
  EXPECT_EQ(s.service_cpu_target, 70);
  EXPECT_EQ(s.service_memory_target, 80);
  EXPECT_EQ(s.alb_requests_per_target, 1000);
  EXPECT_EQ(s.availability_zone_count, 2);
  EXPECT_EQ(s.spot_instance_types,
            (std::vector<std::string>{"t3.medium", "t3a.medium", "t2.medium"}));
  EXPECT_EQ(s.spot_allocation_strategy, "price-capacity-optimized");
  EXPECT_EQ(s.capacity_provider_target_capacity, 100);
  EXPECT_EQ(s.capacity_provider_minimum_scaling_step_size, 1);
  EXPECT_EQ(s.capacity_provider_maximum_scaling_step_size, 10);
  EXPECT_EQ(s.capacity_provider_instance_warmup_period, 300);
  EXPECT_EQ(s.service_scale_out_cooldown, 60);
  EXPECT_EQ(s.service_scale_in_cooldown, 300);
  EXPECT_EQ(s.log_retention_in_days, 14);
  EXPECT_EQ(s.listen_address, "127.0.0.1:8080");
  const ServiceSettings& api = s.services[1];
  EXPECT_EQ(api.image, "nginx:latest");
  EXPECT_EQ(api.health_check.path, "/");
  EXPECT_EQ(api.health_check.interval_seconds, 30);
  EXPECT_EQ(api.health_check.timeout_seconds, 5);
  EXPECT_EQ(api.health_check.healthy_threshold, 2);
  EXPECT_EQ(api.health_check.unhealthy_threshold, 2);
  EXPECT_EQ(api.health_check.matcher, "200");
  EXPECT_EQ(api.deregistration_delay, 30);
  EXPECT_EQ(api.deployment_maximum_percent, 200);
  EXPECT_EQ(api.deployment_minimum_healthy_percent, 100);
  EXPECT_TRUE(api.deployment_circuit_breaker.enable);
  EXPECT_TRUE(api.deployment_circuit_breaker.rollback);
  EXPECT_EQ(api.stop_timeout, 30);
  EXPECT_EQ(api.autoscaling_min_capacity, 2);  // = desired_count
  EXPECT_EQ(api.autoscaling_max_capacity, 20);
  EXPECT_TRUE(api.command.empty());
  EXPECT_TRUE(api.environment.empty());
}

TEST(DecoderTest, RecordsWhereEachSettingWasWritten) {
  Config config = DecodeClean(OriginDocument());
  const SourceMap& sources = config.sources;
  EXPECT_EQ(sources.PositionOf("region").line, 1);
  EXPECT_EQ(sources.PositionOf("region").column, 15);  // the value
  EXPECT_EQ(sources.PositionOf("on_demand_percentage_above_base").column, 35);
  EXPECT_EQ(sources.PositionOf("services").line, 15);
  EXPECT_EQ(sources.PositionOf("services").column, 1);  // the key
  EXPECT_EQ(sources.PositionOf("services.api").line, 24);
  EXPECT_EQ(sources.PositionOf("services.api").column, 3);  // the key
  EXPECT_EQ(sources.PositionOf("services.api.priority").line, 27);
  EXPECT_EQ(sources.PositionOf("services.api.priority").column, 22);
  EXPECT_EQ(sources.PositionOf("services.api.path_pattern").column, 22);
  EXPECT_EQ(sources.PositionOf("services.api.path_pattern.0").column, 23);
  // Defaults are not recorded; their position falls back to the parent.
  EXPECT_FALSE(sources.Has("services.api.stop_timeout"));
  EXPECT_EQ(sources.PositionOf("services.api.stop_timeout").line, 24);
  EXPECT_FALSE(sources.Has("log_retention_in_days"));
}

TEST(DecoderTest, ServicesKeepSourceOrder) {
  std::vector<ObjectEntry> services;
  int line = 2;
  for (const char* name : {"zeta", "alpha", "mid"}) {
    services.push_back(Entry(name, line, 3, OriginService(line, 9, "/x*", line)));
    line += 8;
  }
  Document document;
  document.file = "terraform.tfvars";
  document.root = Obj(1, 1, Entry("services", 1, 1, Value::Object(std::move(services), {})));
  Config config = DecodeClean(document);
  ASSERT_EQ(config.settings.services.size(), 3u);
  EXPECT_EQ(config.settings.services[0].name, "zeta");
  EXPECT_EQ(config.settings.services[1].name, "alpha");
  EXPECT_EQ(config.settings.services[2].name, "mid");
}

TEST(DecoderTest, DecodesOptionalServiceSettings) {
  std::vector<ObjectEntry> entries = ApiRequired();
  entries.push_back(Entry("image", 9, 5, Str("api:1.2", 9, 22)));
  entries.push_back(Entry(
      "health_check", 10, 5,
      Obj(10, 22, Entry("path", 11, 7, Str("/healthz", 11, 29)),
          Entry("interval_seconds", 12, 7, Num(10, 12, 29)),
          Entry("timeout_seconds", 13, 7, Str("3", 13, 29)),
          Entry("healthy_threshold", 14, 7, Num(3, 14, 29)),
          Entry("unhealthy_threshold", 15, 7, Num(4, 15, 29)),
          Entry("matcher", 16, 7, Str("200-299", 16, 29)))));
  entries.push_back(Entry("deployment_circuit_breaker", 18, 5,
                          Obj(18, 34, Entry("enable", 18, 36, Bool(true, 18, 45)),
                              Entry("rollback", 18, 51, Str("false", 18, 62)))));
  entries.push_back(Entry("autoscaling_min_capacity", 19, 5, Num(0, 19, 32)));
  entries.push_back(Entry("autoscaling_max_capacity", 20, 5, Num(4, 20, 32)));
  entries.push_back(Entry("command", 21, 5, List(21, 22, {Str("python3", 21, 23),
                                                          Str("-m", 21, 34), Num(8, 21, 40)})));
  entries.push_back(Entry("environment", 22, 5,
                          Obj(22, 22, Entry("PORT", 22, 24, Num(8080, 22, 31)),
                              Entry("DEBUG", 22, 37, Bool(false, 22, 45)))));
  Config config = DecodeClean(ApiDocument(std::move(entries)));
  const ServiceSettings& api = config.settings.services.at(0);
  EXPECT_EQ(api.image, "api:1.2");
  EXPECT_EQ(api.health_check.path, "/healthz");
  EXPECT_EQ(api.health_check.interval_seconds, 10);
  EXPECT_EQ(api.health_check.timeout_seconds, 3);
  EXPECT_EQ(api.health_check.healthy_threshold, 3);
  EXPECT_EQ(api.health_check.unhealthy_threshold, 4);
  EXPECT_EQ(api.health_check.matcher, "200-299");
  EXPECT_TRUE(api.deployment_circuit_breaker.enable);
  EXPECT_FALSE(api.deployment_circuit_breaker.rollback);
  EXPECT_EQ(api.autoscaling_min_capacity, 0);  // written, so not desired_count
  EXPECT_EQ(api.autoscaling_max_capacity, 4);
  EXPECT_EQ(api.command, (std::vector<std::string>{"python3", "-m", "8"}));
  EXPECT_EQ(api.environment, (std::map<std::string, std::string>{{"PORT", "8080"},
                                                                  {"DEBUG", "false"}}));
  EXPECT_EQ(config.sources.PositionOf("services.api.health_check").line, 10);
  EXPECT_EQ(config.sources.PositionOf("services.api.health_check").column, 5);
  EXPECT_EQ(config.sources.PositionOf("services.api.health_check.matcher").column, 29);
  EXPECT_EQ(config.sources.PositionOf("services.api.environment.PORT").column, 31);
}

TEST(DecoderTest, CommandStringRunsThroughTheShell) {
  Config config = DecodeClean(ApiDocument(
      With(ApiRequired(), Entry("command", 9, 5, Str("exec ./server --port $PORT", 9, 22)))));
  EXPECT_EQ(config.settings.services.at(0).command,
            (std::vector<std::string>{"/bin/sh", "-c", "exec ./server --port $PORT"}));
}

TEST(DecoderTest, ConvertsLikeTerraform) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "desired_count", Str("3", 3, 22));
  Set(&service, "path_pattern", List(4, 22, {Num(7, 4, 23)}));
  std::vector<ObjectEntry> top;
  top.push_back(Entry("asg_max_size", 20, 1, Str("12", 20, 16)));
  top.push_back(Entry("service_cpu_target", 21, 1, Str("65.5", 21, 22)));
  top.push_back(Entry("alb_requests_per_target", 22, 1, Num(1e3, 22, 27)));
  top.push_back(Entry("environment", 23, 1, Num(2, 23, 15)));
  top.push_back(Entry("region", 24, 1, Num(0.1, 24, 15)));
  top.push_back(Entry("container_insights", 25, 1, Str("false", 25, 22)));
  top.push_back(Entry("managed_draining", 26, 1, Str("0", 26, 22)));
  top.push_back(Entry("nat_gateway_per_az", 27, 1, Str("1", 27, 22)));
  top.push_back(Entry("spot_instance_types", 28, 1, List(28, 23, {Bool(true, 28, 24)})));
  Config config = DecodeClean(ApiDocument(std::move(service), std::move(top)));
  const Settings& s = config.settings;
  EXPECT_EQ(s.services.at(0).desired_count, 3);
  EXPECT_EQ(s.services.at(0).autoscaling_min_capacity, 3);
  EXPECT_EQ(s.services.at(0).path_pattern, std::vector<std::string>{"7"});
  EXPECT_EQ(s.asg_max_size, 12);
  EXPECT_EQ(s.service_cpu_target, 65.5);
  EXPECT_EQ(s.alb_requests_per_target, 1000);
  EXPECT_EQ(s.environment, "2");
  EXPECT_EQ(s.region, "0.1");
  EXPECT_FALSE(s.container_insights);
  EXPECT_FALSE(s.managed_draining);
  EXPECT_TRUE(s.nat_gateway_per_az);
  EXPECT_EQ(s.spot_instance_types, std::vector<std::string>{"true"});
}

TEST(DecoderTest, NullMeansDefaultForOptionalSettings) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(Entry("stop_timeout", 9, 5, Null(9, 22)));
  service.push_back(Entry("health_check", 10, 5, Null(10, 22)));
  service.push_back(Entry("autoscaling_min_capacity", 11, 5, Null(11, 32)));
  Config config = DecodeClean(
      ApiDocument(std::move(service), One(Entry("instance_type", 20, 1, Null(20, 17)))));
  const ServiceSettings& api = config.settings.services.at(0);
  EXPECT_EQ(api.stop_timeout, 30);
  EXPECT_EQ(api.health_check.interval_seconds, 30);
  EXPECT_EQ(api.autoscaling_min_capacity, 2);
  EXPECT_EQ(config.settings.instance_type, "t3.medium");
  EXPECT_FALSE(config.sources.Has("instance_type"));
  EXPECT_FALSE(config.sources.Has("services.api.stop_timeout"));
}

TEST(DecoderTest, NullForARequiredSettingIsAnError) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "cpu", Null(7, 22));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 7, 22, "services.api.cpu", "missing-setting");
  EXPECT_EQ(d.message, "`cpu` is required in service `api` and cannot be null");
  EXPECT_EQ(d.fix, "set it, e.g. cpu = 256");
}

TEST(DecoderTest, MissingRequiredServiceSettingPointsAtTheService) {
  std::vector<ObjectEntry> service = ApiRequired();
  Drop(&service, "memory");
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 2, 3, "services.api.memory", "missing-setting");
  EXPECT_EQ(d.message, "required setting `memory` is missing in service `api`");
  EXPECT_EQ(d.fix, "add `memory = 512` to service `api`");
}

TEST(DecoderTest, MissingServicesIsAnError) {
  Diagnostic d = DecodeOneError(Doc("terraform.tfvars", Entry("region", 1, 1, Str("x", 1, 10))));
  ExpectAt(d, 1, 1, "services", "missing-setting");
  EXPECT_EQ(d.message, "required setting `services` is missing");
}

TEST(DecoderTest, EmptyServicesIsWellFormed) {
  Config config = DecodeClean(Doc("terraform.tfvars", Entry("services", 1, 1, Obj(1, 12))));
  EXPECT_TRUE(config.settings.services.empty());
}

TEST(DecoderTest, WrongTypeNamesExpectedAndFound) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "cpu", Str("lots", 7, 22));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 7, 22, "services.api.cpu", "type-mismatch");
  EXPECT_EQ(d.message, "expected whole number, found string \"lots\"");
}

TEST(DecoderTest, NumbersAndBoolsDoNotConvertIntoEachOther) {
  Diagnostic d = DecodeOneError(
      ApiDocument(ApiRequired(), One(Entry("container_insights", 20, 1, Num(1, 20, 22)))));
  ExpectAt(d, 20, 22, "container_insights", "type-mismatch");
  EXPECT_EQ(d.message, "expected bool, found number 1");
  d = DecodeOneError(
      ApiDocument(ApiRequired(), One(Entry("asg_max_size", 20, 1, Bool(true, 20, 16)))));
  EXPECT_EQ(d.message, "expected whole number, found bool true");
}

TEST(DecoderTest, CapitalisedBoolStringIsRefused) {
  Diagnostic d = DecodeOneError(
      ApiDocument(ApiRequired(), One(Entry("managed_draining", 20, 1, Str("True", 20, 20)))));
  ExpectAt(d, 20, 20, "managed_draining", "type-mismatch");
  EXPECT_EQ(d.message, "expected bool, found string \"True\"");
}

TEST(DecoderTest, ListWhereStringExpected) {
  Diagnostic d = DecodeOneError(ApiDocument(
      ApiRequired(), One(Entry("region", 20, 1, List(20, 10, {Str("us-east-1", 20, 11)})))));
  ExpectAt(d, 20, 10, "region", "type-mismatch");
  EXPECT_EQ(d.message, "expected string, found list");
}

TEST(DecoderTest, SinglePathPatternStringSuggestsAList) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "path_pattern", Str("/api*", 4, 22));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 4, 22, "services.api.path_pattern", "type-mismatch");
  EXPECT_EQ(d.message, "expected list of string, found string \"/api*\"");
  EXPECT_EQ(d.fix, "write a list: path_pattern = [\"/api*\"]");
}

TEST(DecoderTest, FixesUseJsonSyntaxInJsonFiles) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "path_pattern", Str("/api*", 4, 22));
  Config config;
  Diagnostics diagnostics = Decode(ApiDocument(std::move(service), {}, "a.tfvars.json"), &config);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].file, "a.tfvars.json");
  EXPECT_EQ(diagnostics[0].fix, "write a list: \"path_pattern\": [\"/api*\"]");
}

TEST(DecoderTest, NullListElementIsAnError) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "path_pattern", List(4, 22, {Str("/a*", 4, 23), Null(4, 30)}));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 4, 30, "services.api.path_pattern.1", "type-mismatch");
  EXPECT_EQ(d.message, "expected string, found null");
}

TEST(DecoderTest, FractionForAWholeNumberSetting) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "desired_count", Num(2.5, 3, 22));
  Set(&service, "priority", Str("110.5", 5, 22));
  Config config;
  Diagnostics diagnostics = Decode(ApiDocument(std::move(service)), &config);
  ASSERT_EQ(diagnostics.size(), 2u);
  ExpectAt(diagnostics[0], 3, 22, "services.api.desired_count", "not-whole-number");
  EXPECT_EQ(diagnostics[0].message, "2.5 is not a whole number");
  EXPECT_EQ(diagnostics[0].fix, "use a whole number, e.g. 2 or 3");
  ExpectAt(diagnostics[1], 5, 22, "services.api.priority", "not-whole-number");
}

TEST(DecoderTest, HugeNumberForAWholeNumberSetting) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "memory", Num(1e12, 8, 22));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 8, 22, "services.api.memory", "number-too-large");
}

TEST(DecoderTest, UnknownServiceSettingSuggestsTheClosest) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(Entry("desried_count", 9, 5, Num(3, 9, 22)));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 9, 5, "services.api.desried_count", "unknown-setting");
  EXPECT_EQ(d.message,
            "unknown setting `desried_count` in service `api`; did you mean `desired_count`?");
  EXPECT_EQ(d.fix, "rename `desried_count` to `desired_count`");
}

TEST(DecoderTest, MisspeltRequiredSettingIsReportedOnce) {
  std::vector<ObjectEntry> service = ApiRequired();
  Drop(&service, "desired_count");
  service.push_back(Entry("desried_count", 9, 5, Num(3, 9, 22)));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 9, 5, "services.api.desried_count", "unknown-setting");
}

TEST(DecoderTest, LongSharedPrefixSuggests) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(
      Entry("health_check", 9, 5, Obj(9, 20, Entry("intervall", 9, 22, Num(5, 9, 34)))));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  EXPECT_EQ(d.message,
            "unknown setting `intervall` in `services.api.health_check`; did you mean "
            "`interval_seconds`?");
  d = DecodeOneError(ApiDocument(With(ApiRequired(), Entry("stop", 9, 5, Num(5, 9, 22)))));
  EXPECT_EQ(d.message, "unknown setting `stop` in service `api`");  // prefix too short
}

TEST(DecoderTest, UnknownSettingWithNoCloseMatchPointsAtTheDocs) {
  Diagnostic d = DecodeOneError(
      ApiDocument(ApiRequired(), One(Entry("flux_capacitor", 20, 1, Num(1, 20, 18)))));
  ExpectAt(d, 20, 1, "flux_capacitor", "unknown-setting");
  EXPECT_EQ(d.message, "unknown setting `flux_capacitor`");
  EXPECT_EQ(d.fix, "remove `flux_capacitor`; docs/configuration.md lists every setting");
}

TEST(DecoderTest, SettingAtTheWrongLevelSaysWhereItBelongs) {
  Diagnostic d =
      DecodeOneError(ApiDocument(ApiRequired(), One(Entry("cpu", 20, 1, Num(256, 20, 7)))));
  ExpectAt(d, 20, 1, "cpu", "unknown-setting");
  EXPECT_EQ(d.message, "unknown setting `cpu`; `cpu` is a setting of a service in `services`");
  d = DecodeOneError(
      ApiDocument(With(ApiRequired(), Entry("instance_type", 9, 5, Str("t3.large", 9, 22)))));
  EXPECT_EQ(d.fix, "move `instance_type` into the top level of the file");
  d = DecodeOneError(ApiDocument(With(ApiRequired(), Entry("matcher", 9, 5, Str("200", 9, 22)))));
  EXPECT_EQ(d.fix, "move `matcher` into a service's `health_check`");
}

TEST(DecoderTest, UnknownNestedSettings) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(Entry("health_check", 9, 5,
                          Obj(9, 20, Entry("intervall_seconds", 10, 7, Num(10, 10, 27)))));
  service.push_back(Entry("deployment_circuit_breaker", 12, 5,
                          Obj(12, 34, Entry("rollbak", 12, 36, Bool(false, 12, 46)))));
  Config config;
  Diagnostics diagnostics = Decode(ApiDocument(std::move(service)), &config);
  ASSERT_EQ(diagnostics.size(), 2u);
  ExpectAt(diagnostics[0], 10, 7, "services.api.health_check.intervall_seconds",
           "unknown-setting");
  EXPECT_EQ(diagnostics[0].message,
            "unknown setting `intervall_seconds` in `services.api.health_check`; did you mean "
            "`interval_seconds`?");
  ExpectAt(diagnostics[1], 12, 36, "services.api.deployment_circuit_breaker.rollbak",
           "unknown-setting");
}

TEST(DecoderTest, NonObjectWhereObjectExpected) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(Entry("health_check", 9, 5, Str("/health", 9, 20)));
  service.push_back(Entry("environment", 10, 5, List(10, 19, {})));
  Config config;
  Diagnostics diagnostics = Decode(ApiDocument(std::move(service)), &config);
  ASSERT_EQ(diagnostics.size(), 2u);
  ExpectAt(diagnostics[0], 9, 20, "services.api.health_check", "type-mismatch");
  EXPECT_EQ(diagnostics[0].message, "expected object, found string \"/health\"");
  ExpectAt(diagnostics[1], 10, 19, "services.api.environment", "type-mismatch");
  EXPECT_EQ(diagnostics[1].message, "expected map of string, found list");
}

TEST(DecoderTest, ServicesAndServiceMustBeObjects) {
  Diagnostic d = DecodeOneError(
      Doc("terraform.tfvars", Entry("services", 1, 1, List(1, 12, {Str("api", 1, 13)}))));
  ExpectAt(d, 1, 12, "services", "type-mismatch");
  EXPECT_EQ(d.message, "expected map of service objects, found list");
  d = DecodeOneError(Doc("terraform.tfvars",
                         Entry("services", 1, 1, Obj(1, 12, Entry("api", 2, 3, Num(1, 2, 9))))));
  ExpectAt(d, 2, 9, "services.api", "type-mismatch");
  EXPECT_EQ(d.message, "expected service object, found number 1");
}

TEST(DecoderTest, DuplicateSettingsAreReported) {
  std::vector<ObjectEntry> service = ApiRequired();
  service.push_back(Entry("cpu", 9, 5, Num(512, 9, 22)));
  Diagnostic d = DecodeOneError(ApiDocument(std::move(service)));
  ExpectAt(d, 9, 5, "services.api.cpu", "duplicate-setting");
  EXPECT_EQ(d.message, "`cpu` is set more than once in service `api` (first at line 7)");
}

TEST(DecoderTest, ReportsEveryProblemInFileOrder) {
  std::vector<ObjectEntry> service = ApiRequired();
  Set(&service, "priority", Str("high", 5, 22));
  Drop(&service, "cpu");
  service.push_back(Entry("memroy", 9, 5, Num(1, 9, 22)));
  std::vector<ObjectEntry> top;
  top.push_back(Entry("asg_min_size", 20, 1, Num(1.5, 20, 16)));
  top.push_back(Entry("regoin", 21, 1, Str("eu-west-1", 21, 10)));
  Config config;
  Diagnostics diagnostics = Decode(ApiDocument(std::move(service), std::move(top)), &config);
  ASSERT_EQ(diagnostics.size(), 5u);
  EXPECT_EQ(diagnostics[0].rule, "missing-setting");   // 2:3 services.api.cpu
  EXPECT_EQ(diagnostics[1].rule, "type-mismatch");     // 5:22
  EXPECT_EQ(diagnostics[2].rule, "unknown-setting");   // 9:5 memroy
  EXPECT_EQ(diagnostics[3].rule, "not-whole-number");  // 20:16
  EXPECT_EQ(diagnostics[4].rule, "unknown-setting");   // 21:1 regoin
  EXPECT_EQ(diagnostics[4].message, "unknown setting `regoin`; did you mean `region`?");
}

TEST(DecoderTest, DecodeStartsFromDefaults) {
  Config config;
  config.settings.region = "stale";
  config.sources.Record("stale", SourcePos{9, 9, 0});
  Diagnostics diagnostics = Decode(OriginDocument(), &config);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(config.settings.region, "us-east-1");
  EXPECT_FALSE(config.sources.Has("stale"));
  EXPECT_EQ(config.settings.services.size(), 2u);
}

}  // namespace
}  // namespace drydock::config
