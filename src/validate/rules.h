// The validation rules, grouped by topic. Each function adds its findings to
// the report; Validate() (validate.cc) runs them all. Rule ids, severities
// and sources: docs/validation.md.
#pragma once

#include <string>

#include "validate/report.h"

namespace drydock::validate {

// region, vpc_cidr, availability_zone_count, network_mode, alb_idle_timeout.
void CheckNetwork(Report& report);

// listen_address (HOST:PORT).
void CheckListenAddress(Report& report);
// What is wrong with a listen address "HOST:PORT" ("" when nothing).
std::string ListenAddressProblem(const std::string& address);

// The HTTPS listeners: https_listen_address, certificates, ssl_policy,
// redirect_http_to_https, additional_certificate_arns without certificate_arn
// (tls_rules.cc).
void CheckHttps(Report& report);

// The shape of the ARNs the AWS target passes through: certificate_arn,
// additional_certificate_arns, alarm_sns_topic_arn (arn_rules.cc).
void CheckArns(Report& report);

// cluster_name and service names, and the load balancer and target group
// names drydock derives from them.
void CheckNames(Report& report);

// Listener rules: priorities, path patterns, shadowed rules.
void CheckListenerRules(Report& report);

// Target groups: health checks, deregistration delay.
void CheckTargetGroups(Report& report);

// Auto Scaling group sizes and purchase mix, instance types, Spot settings,
// capacity provider settings.
void CheckCapacity(Report& report);

// Task CPU and memory: minimums, and whether each task fits the configured
// instance types.
void CheckTaskSizes(Report& report);

// How many tasks the instances hold (CPU, memory, ENIs, host ports), at
// desired capacity, during deployments and at the group's maximum.
void CheckPlacement(Report& report);

// Deployment percentages, stalls, stop timeout, the Spot drain window.
void CheckDeployments(Report& report);

// Service ports, counts, service auto scaling, log retention.
void CheckServices(Report& report);

// Container secrets: variable names, valueFrom syntax, which vault they read.
void CheckSecrets(Report& report);

}  // namespace drydock::validate
