#include "aws/iam_names.h"

namespace drydock::aws {

std::string ServiceResourcePrefix(const std::string& cluster, const std::string& service) {
  return cluster + "-" + service;
}

std::string ExecutionRoleName(const std::string& cluster, const std::string& service) {
  return ServiceResourcePrefix(cluster, service) + "-execution";
}

std::string SecretsPolicyName(const std::string& cluster, const std::string& service) {
  return ServiceResourcePrefix(cluster, service) + "-secrets";
}

std::string IamRoleArn(const std::string& account, const std::string& role) {
  return "arn:aws:iam::" + account + ":role/" + role;
}

std::string IamPolicyArn(const std::string& account, const std::string& policy) {
  return "arn:aws:iam::" + account + ":policy/" + policy;
}

}  // namespace drydock::aws
