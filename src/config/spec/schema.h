// The configuration schema: one table per object level (top level, service,
// health_check, deployment_circuit_breaker) naming each setting, where it is
// stored in the typed Settings, whether it is required and what it looks like.
// The decoder walks these tables; docs/configuration.md documents every entry
// (a unit test keeps the two in sync).
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "config/spec/settings.h"

namespace drydock::config {

// Where a setting lives in the struct S; the alternative also gives its type:
//   int         whole number (Terraform `number`, fractions rejected)
//   double      number
//   bool        bool
//   string      string
//   vector      list(string)
//   map         map(string)
//   HealthCheckSettings / CircuitBreakerSettings   nested object
//   vector<ServiceSettings>                        map of service objects
//   vector<CertificateSettings>                    list of certificate objects
template <typename S>
using FieldMember =
    std::variant<int S::*, double S::*, bool S::*, std::string S::*, std::vector<std::string> S::*,
                 std::map<std::string, std::string> S::*, HealthCheckSettings S::*,
                 CircuitBreakerSettings S::*, std::vector<ServiceSettings> S::*,
                 std::vector<CertificateSettings> S::*>;

template <typename S>
struct Field {
  const char* name;
  FieldMember<S> member;
  // Required settings must be written and must not be null. `example` is the
  // value (in HCL) suggested by the fix of a `missing-setting` error.
  bool required = false;
  const char* example = "";
  // A list(string) that also accepts one string, stored as
  // ["/bin/sh", "-c", <string>] (used by `command`).
  bool shell_string = false;
};

const std::vector<Field<Settings>>& TopLevelFields();
const std::vector<Field<ServiceSettings>>& ServiceFields();
const std::vector<Field<HealthCheckSettings>>& HealthCheckFields();
const std::vector<Field<CircuitBreakerSettings>>& CircuitBreakerFields();
const std::vector<Field<CertificateSettings>>& CertificateFields();

// The names of the fields of a table, in table order.
template <typename S>
std::vector<std::string> FieldNames(const std::vector<Field<S>>& fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const Field<S>& field : fields) names.emplace_back(field.name);
  return names;
}

// Every leaf and object setting as a dotted path, per-service ones written
// "services.<name>.<setting>", e.g. "services.<name>.health_check.matcher".
std::vector<std::string> AllSettingPaths();

}  // namespace drydock::config
