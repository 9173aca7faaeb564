#include "live/load_balancer_link.h"

#include <gtest/gtest.h>

#include "config/spec/origin_fixture.h"

namespace drydock::live {
namespace {

using state::TaskStatus;

state::Task Task(const std::string& id, const std::string& service, TaskStatus last,
                 TaskStatus desired, int port) {
  state::Task task;
  task.task_id = id;
  task.service = service;
  task.last_status = last;
  task.desired_status = desired;
  task.host_port = port;
  return task;
}

TEST(LoadBalancerLinkTest, SpecFollowsTheSettings) {
  config::Settings settings = config::testing::OriginConfig("origin.tfvars").settings;
  settings.services[0].load_balancing_algorithm = "least_outstanding_requests";
  Result<alb::LoadBalancerSpec> spec = LoadBalancerSpecFor(settings);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  ASSERT_EQ(spec->target_groups.size(), settings.services.size());
  EXPECT_EQ(spec->target_groups[0].name, settings.services[0].name + "-tg");
  EXPECT_EQ(spec->target_groups[0].algorithm, alb::Algorithm::kLeastOutstandingRequests);
  EXPECT_EQ(spec->target_groups[0].deregistration_delay,
            Seconds(settings.services[0].deregistration_delay));
  EXPECT_EQ(spec->listener.rules.size(), settings.services.size());
  EXPECT_EQ(spec->listener.port, 8080);

  settings.services[1].load_balancing_algorithm = "random";
  EXPECT_FALSE(LoadBalancerSpecFor(settings).ok());
}

TEST(LoadBalancerLinkTest, TargetsAreTheTasksThatServe) {
  config::Settings settings = config::testing::OriginConfig("origin.tfvars").settings;
  Result<alb::LoadBalancerSpec> base = LoadBalancerSpecFor(settings);
  ASSERT_TRUE(base.ok());
  state::Snapshot snapshot;
  const std::string service = settings.services[0].name;
  snapshot.tasks = {
      Task("activating", service, TaskStatus::kActivating, TaskStatus::kRunning, 50001),
      Task("running", service, TaskStatus::kRunning, TaskStatus::kRunning, 50002),
      Task("pending", service, TaskStatus::kPending, TaskStatus::kRunning, 50003),
      Task("stopping", service, TaskStatus::kRunning, TaskStatus::kStopped, 50004),
      Task("deactivating", service, TaskStatus::kDeactivating, TaskStatus::kStopped, 50005),
      Task("no-port", service, TaskStatus::kRunning, TaskStatus::kRunning, 0),
      Task("gone-service", "removed", TaskStatus::kRunning, TaskStatus::kRunning, 50006),
  };
  const alb::LoadBalancerSpec spec = WithTargets(*base, snapshot);
  EXPECT_EQ(spec.target_groups[0].targets,
            (std::vector<alb::TargetSpec>{{"127.0.0.1", 50001, "activating"},
                                          {"127.0.0.1", 50002, "running"}}));
  EXPECT_TRUE(spec.target_groups[1].targets.empty());
}

TEST(LoadBalancerLinkTest, ViewFromTheReport) {
  config::Settings settings = config::testing::OriginConfig("origin.tfvars").settings;
  auto target = [](const std::string& task, alb::TargetState state) {
    alb::TargetReport report;
    report.target = {"127.0.0.1", 1, task};
    report.health.state = state;
    if (state == alb::TargetState::kUnhealthy) {
      report.health.description = "Health checks failed with these codes: [500]";
    }
    return report;
  };
  state::ClusterIdentity identity{"c", "us-east-1", "000000000000"};
  const control::TargetView view = TargetViewOf(
      {{"api-tg",
        {target("initial", alb::TargetState::kInitial), target("healthy", alb::TargetState::kHealthy),
         target("unhealthy", alb::TargetState::kUnhealthy),
         target("draining", alb::TargetState::kDraining), target("unused", alb::TargetState::kUnused)}}},
      settings, identity, Seconds(10));
  EXPECT_TRUE(view.enabled);
  EXPECT_TRUE(view.reported);
  EXPECT_EQ(view.registered, (std::set<std::string>{"initial", "healthy", "unhealthy"}));
  EXPECT_EQ(view.known, (std::set<std::string>{"initial", "healthy", "unhealthy", "draining"}));
  EXPECT_EQ(view.healthy, (std::set<std::string>{"healthy"}));
  ASSERT_EQ(view.unhealthy.size(), 1u);
  EXPECT_EQ(view.unhealthy.at("unhealthy").port, 1);
  EXPECT_EQ(view.unhealthy.at("unhealthy").target_group_arn, identity.TargetGroupArn("api-tg"));
  EXPECT_EQ(view.unhealthy.at("unhealthy").reason, "Health checks failed with these codes: [500]");
  EXPECT_EQ(view.drain_bound.at(settings.services[0].name),
            Seconds(settings.services[0].deregistration_delay) + Seconds(10));
}

}  // namespace
}  // namespace drydock::live
