// The AWS HTTPS listener in the plan: only when certificate_arn is given
// (https_listen_address is the local listener), so the origin's plan
// (tests/golden) has none.
#include <gtest/gtest.h>

#include <string>

#include "plan/plan.h"
#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::AttributeText;
using testing::FindResource;
using testing::OriginConfig;

constexpr const char* kCertificate =
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001";

bool HasNote(const Plan& plan, const std::string& part) {
  for (const std::string& note : plan.notes) {
    if (note.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(PlanTls, TheOriginHasNoHttpsListener) {
  const Plan plan = BuildPlan(OriginConfig());
  EXPECT_EQ(FindResource(plan, "alb", "aws_lb_listener.https"), nullptr);
  const Resource* http = FindResource(plan, "alb", "aws_lb_listener.http");
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(AttributeText(*http, "default_action.type"), "fixed-response");
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  EXPECT_EQ(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https"),
            nullptr);
  EXPECT_FALSE(HasNote(plan, "certificate_arn"));
}

TEST(PlanTls, HttpsListenerWithPolicyCertificateArnAndExtraCertificates) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = kCertificate;
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  config.settings.additional_certificate_arns = {"arn:aws:acm:us-east-1:123456789012:certificate/b",
                                                 "arn:aws:iam::123456789012:server-certificate/c"};
  const Plan plan = BuildPlan(config);
  const Resource* https = FindResource(plan, "alb", "aws_lb_listener.https");
  ASSERT_NE(https, nullptr);
  EXPECT_EQ(AttributeText(*https, "port"), "443");
  EXPECT_EQ(AttributeText(*https, "protocol"), "HTTPS");
  EXPECT_EQ(AttributeText(*https, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-3-2021-06");
  EXPECT_EQ(AttributeText(*https, "certificate_arn"), kCertificate);
  EXPECT_EQ(AttributeText(*https, "default_action.type"), "fixed-response");
  for (int i = 0; i < 2; ++i) {
    const Resource* extra = FindResource(
        plan, "alb", "aws_lb_listener_certificate.additional[" + std::to_string(i) + "]");
    ASSERT_NE(extra, nullptr) << i;
    EXPECT_EQ(AttributeText(*extra, "listener_arn"), "aws_lb_listener.https.arn");
    EXPECT_EQ(AttributeText(*extra, "certificate_arn"),
              config.settings.additional_certificate_arns[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(FindResource(plan, "alb", "aws_lb_listener_certificate.additional[2]"), nullptr);
  // Without the redirect both listeners route.
  EXPECT_EQ(
      AttributeText(*FindResource(plan, "alb", "aws_lb_listener.http"), "default_action.type"),
      "fixed-response");
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  const Resource* rule =
      FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(AttributeText(*rule, "listener_arn"), "module.alb.aws_lb_listener.https.arn");
  EXPECT_NE(AttributeText(*FindResource(plan, "alb", "aws_security_group.alb"), "ingress")
                .find("tcp 443"),
            std::string::npos);
}

TEST(PlanTls, RedirectMakesTheHttpListenerOnlyRedirect) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = kCertificate;
  config.settings.redirect_http_to_https = true;
  const Plan plan = BuildPlan(config);
  const Resource* http = FindResource(plan, "alb", "aws_lb_listener.http");
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(AttributeText(*http, "default_action.type"), "redirect");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.port"), "443");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.protocol"), "HTTPS");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.status_code"), "HTTP_301");
  EXPECT_EQ(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https"),
            nullptr);
}

// https_listen_address and the local certificate files are the local
// listener's: on AWS they change nothing, and a note says so.
TEST(PlanTls, LocalHttpsAloneAddsNoAwsListener) {
  config::Config config = OriginConfig();
  config.settings.https_listen_address = "127.0.0.1:8443";
  config.settings.additional_certificates = {{"b.pem", "b.key"}};
  config.settings.redirect_http_to_https = true;
  const Plan plan = BuildPlan(config);
  const Plan origin = BuildPlan(OriginConfig());
  EXPECT_EQ(plan.resources.size(), origin.resources.size());
  EXPECT_EQ(FindResource(plan, "alb", "aws_lb_listener.https"), nullptr);
  EXPECT_EQ(
      AttributeText(*FindResource(plan, "alb", "aws_lb_listener.http"), "default_action.type"),
      "fixed-response");
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  EXPECT_EQ(AttributeText(*FindResource(plan, "alb", "aws_security_group.alb"), "ingress"),
            "tcp 80 from 0.0.0.0/0");
  EXPECT_TRUE(HasNote(plan, "the AWS target gets no HTTPS listener until certificate_arn"));
  config.settings.certificate_arn = kCertificate;
  EXPECT_FALSE(HasNote(BuildPlan(config), "certificate_arn"));
}

TEST(PlanTls, ExtraCertificateArnsNeedTheListener) {
  config::Config config = OriginConfig();
  config.settings.additional_certificate_arns = {
      "arn:aws:acm:us-east-1:123456789012:certificate/b"};
  const Plan plan = BuildPlan(config);
  EXPECT_EQ(FindResource(plan, "alb", "aws_lb_listener_certificate.additional[0]"), nullptr);
}

}  // namespace
}  // namespace drydock::plan
