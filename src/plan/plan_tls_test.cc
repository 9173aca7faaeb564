// The HTTPS listener in the plan: only when https_listen_address is given,
// so the origin's plan (tests/golden) is unchanged.
#include <gtest/gtest.h>

#include <string>

#include "plan/plan.h"
#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::AttributeText;
using testing::FindResource;
using testing::OriginConfig;

TEST(PlanTls, TheOriginHasNoHttpsListener) {
  const Plan plan = BuildPlan(OriginConfig());
  EXPECT_EQ(FindResource(plan, "alb", "aws_lb_listener.https"), nullptr);
  const Resource* http = FindResource(plan, "alb", "aws_lb_listener.http");
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(AttributeText(*http, "default_action.type"), "fixed-response");
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  EXPECT_EQ(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https"), nullptr);
}

TEST(PlanTls, HttpsListenerWithPolicyCertificateVariableAndExtraCertificates) {
  config::Config config = OriginConfig();
  config.settings.https_listen_address = "127.0.0.1:8443";
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  config.settings.additional_certificates = {{"b.pem", "b.key"}};
  const Plan plan = BuildPlan(config);
  const Resource* https = FindResource(plan, "alb", "aws_lb_listener.https");
  ASSERT_NE(https, nullptr);
  EXPECT_EQ(AttributeText(*https, "port"), "443");
  EXPECT_EQ(AttributeText(*https, "protocol"), "HTTPS");
  EXPECT_EQ(AttributeText(*https, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-3-2021-06");
  EXPECT_EQ(AttributeText(*https, "certificate_arn"), "var.certificate_arn");
  EXPECT_EQ(AttributeText(*https, "default_action.type"), "fixed-response");
  const Resource* extra = FindResource(plan, "alb", "aws_lb_listener_certificate.additional_0");
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(AttributeText(*extra, "listener_arn"), "aws_lb_listener.https.arn");
  // Without the redirect both listeners route.
  EXPECT_EQ(AttributeText(*FindResource(plan, "alb", "aws_lb_listener.http"), "default_action.type"), "fixed-response");
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  const Resource* rule = FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(AttributeText(*rule, "listener_arn"), "module.alb.aws_lb_listener.https.arn");
  EXPECT_NE(AttributeText(*FindResource(plan, "alb", "aws_security_group.alb"), "ingress").find("tcp 443"), std::string::npos);
}

TEST(PlanTls, RedirectMakesTheHttpListenerOnlyRedirect) {
  config::Config config = OriginConfig();
  config.settings.https_listen_address = "127.0.0.1:8443";
  config.settings.redirect_http_to_https = true;
  const Plan plan = BuildPlan(config);
  const Resource* http = FindResource(plan, "alb", "aws_lb_listener.http");
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(AttributeText(*http, "default_action.type"), "redirect");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.port"), "443");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.protocol"), "HTTPS");
  EXPECT_EQ(AttributeText(*http, "default_action.redirect.status_code"), "HTTP_301");
  EXPECT_EQ(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service"), nullptr);
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_lb_listener_rule.service_https"), nullptr);
}

}  // namespace
}  // namespace drydock::plan
