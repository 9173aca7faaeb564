// The names drydock gives a service's IAM resources, shared by the plan (the
// AWS target), `drydock up` (which creates them locally) and the task
// definitions that reference them. Both targets name them alike so a role
// named in a log or an error is the same role in either.
#pragma once

#include <string>

namespace drydock::aws {

// "<cluster>-<service>": the prefix of a service's roles and security groups.
std::string ServiceResourcePrefix(const std::string& cluster, const std::string& service);
// The task execution role: "<cluster>-<service>-execution".
std::string ExecutionRoleName(const std::string& cluster, const std::string& service);
// The customer-managed policy that lets the execution role read the
// service's own secret: "<cluster>-<service>-secrets".
std::string SecretsPolicyName(const std::string& cluster, const std::string& service);
// "arn:aws:iam::<account>:role/<name>", "arn:aws:iam::<account>:policy/<name>".
std::string IamRoleArn(const std::string& account, const std::string& role);
std::string IamPolicyArn(const std::string& account, const std::string& policy);

}  // namespace drydock::aws
