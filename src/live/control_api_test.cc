// The control API: strict decoding of the deploy and rollback bodies, and the
// endpoints against a control plane under the deterministic runtime.
#include "live/control_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include <filesystem>

#include "config/spec/origin_fixture.h"
#include "control/harness/sim_cluster.h"
#include "runtime/sim/sim_clock.h"
#include "runtime/sim/sim_event_loop.h"
#include "runtime/sim/sim_process_launcher.h"
#include "state/sqlite/sqlite_store.h"

namespace drydock::live {
namespace {

using nlohmann::json;

// The message of a refused body, "" when it was accepted.
std::string DeployError(const std::string& body) {
  Result<control::UpdateServiceRequest> decoded = DecodeDeployRequest(body);
  EXPECT_FALSE(decoded.ok()) << body;
  if (decoded.ok()) return "";
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << body;
  return decoded.status().message();
}

TEST(DecodeDeployRequestTest, TakesEveryField) {
  Result<control::UpdateServiceRequest> decoded = DecodeDeployRequest(R"({
    "service": "api", "command": ["sh", "-c", "exit 1"], "environment": {"VERSION": "2", "E": ""},
    "cpu": 512, "memory": 1024, "image": "api:v2", "forceNewDeployment": true})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->service, "api");
  EXPECT_EQ(decoded->command, (std::vector<std::string>{"sh", "-c", "exit 1"}));
  EXPECT_EQ(decoded->environment, (std::map<std::string, std::string>{{"VERSION", "2"}, {"E", ""}}));
  EXPECT_EQ(decoded->cpu_units, 512);
  EXPECT_EQ(decoded->memory_mib, 1024);
  EXPECT_EQ(decoded->image, "api:v2");
  EXPECT_FALSE(decoded->task_definition.has_value());
  EXPECT_TRUE(decoded->force_new_deployment);
}

TEST(DecodeDeployRequestTest, OnlyTheServiceIsRequired) {
  Result<control::UpdateServiceRequest> decoded =
      DecodeDeployRequest(R"({"service": "api", "taskDefinition": "api:3"})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->task_definition, "api:3");
  EXPECT_FALSE(decoded->command.has_value());
  EXPECT_TRUE(decoded->environment.empty());
  EXPECT_FALSE(decoded->cpu_units.has_value());
  EXPECT_FALSE(decoded->force_new_deployment);
}

TEST(DecodeDeployRequestTest, RefusesWhatIsNotAnObject) {
  EXPECT_NE(DeployError("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(DeployError("{\"service\": ").find("not valid JSON"), std::string::npos);
  EXPECT_NE(DeployError("[\"api\"]").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(DeployError("\"api\"").find("must be a JSON object"), std::string::npos);
}

TEST(DecodeDeployRequestTest, NamesTheFieldOfEveryWrongType) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({})", "\"service\" is required"},
      {R"({"service": 3})", "\"service\" must be"},
      {R"({"service": ""})", "\"service\" must be"},
      {R"({"service": "api", "command": "sh -c true"})", "\"command\" must be"},
      {R"({"service": "api", "command": []})", "\"command\" must be"},
      {R"({"service": "api", "command": ["sh", 1]})", "\"command\" must be"},
      {R"({"service": "api", "command": [""]})", "\"command\" must be"},
      {R"({"service": "api", "environment": ["A=1"]})", "\"environment\" must be"},
      {R"({"service": "api", "environment": {"A": 1}})", "\"environment.A\" must be a string"},
      {R"({"service": "api", "environment": {"A=B": "1"}})", "\"A=B\" is not a variable name"},
      {R"({"service": "api", "environment": {"": "1"}})", "is not a variable name"},
      {R"({"service": "api", "cpu": "256"})", "\"cpu\" must be a positive integer"},
      {R"({"service": "api", "cpu": 256.5})", "\"cpu\" must be a positive integer"},
      {R"({"service": "api", "cpu": 0})", "\"cpu\" must be a positive integer"},
      {R"({"service": "api", "cpu": -256})", "\"cpu\" must be a positive integer"},
      {R"({"service": "api", "cpu": 4294967296})", "\"cpu\" must be a positive integer"},
      {R"({"service": "api", "memory": true})", "\"memory\" must be a positive integer"},
      {R"({"service": "api", "image": null})", "\"image\" must be"},
      {R"({"service": "api", "taskDefinition": 3})", "\"taskDefinition\" must be"},
      {R"({"service": "api", "forceNewDeployment": "yes"})", "\"forceNewDeployment\" must be a boolean"},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_NE(DeployError(body).find(expected), std::string::npos) << body << " -> "
                                                                    << DeployError(body);
  }
}

TEST(DecodeDeployRequestTest, RefusesUnknownFields) {
  const std::string error = DeployError(R"({"service": "api", "env": {"A": "1"}})");
  EXPECT_NE(error.find("unknown field \"env\""), std::string::npos) << error;
  EXPECT_NE(error.find("environment"), std::string::npos) << error;  // lists the fields
}

TEST(DecodeRollbackRequestTest, TakesOnlyTheService) {
  Result<std::string> service = DecodeRollbackRequest(R"({"service": "api"})");
  ASSERT_TRUE(service.ok());
  EXPECT_EQ(*service, "api");
  EXPECT_FALSE(DecodeRollbackRequest(R"({})").ok());
  EXPECT_FALSE(DecodeRollbackRequest(R"({"service": ["api"]})").ok());
  Result<std::string> extra = DecodeRollbackRequest(R"({"service": "api", "to": "api:1"})");
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("unknown field \"to\""), std::string::npos);
}

TEST(HttpStatusForTest, MapsStatusCodes) {
  EXPECT_EQ(HttpStatusFor(InvalidArgument("x")), 400);
  EXPECT_EQ(HttpStatusFor(NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kFailedPrecondition, "x")), 409);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kInternal, "x")), 500);
}

// The load balancer in simulated time: the real alb::LoadBalancer, whose
// health checks all pass at once (so deployments complete).
class PassingLoadBalancer final : public LoadBalancerLink {
 public:
  explicit PassingLoadBalancer(runtime::Clock& clock) : clock_(clock) {}
  Status Push(const alb::ProxyConfig& config) override {
    balancer_.Apply(alb::ScaledSpec(config.spec, config.time_scale), clock_.Now());
    return Status::Ok();
  }
  Result<std::vector<alb::TargetGroupReport>> Targets() override {
    const TimePoint now = clock_.Now();
    for (const alb::HealthCheckRequest& check : balancer_.DueChecks(now)) {
      balancer_.CheckDone(check, alb::CheckFromStatus({}, 200), now);
    }
    balancer_.Sweep(now);
    return balancer_.Report();
  }
  void Stop() override {}

 private:
  runtime::Clock& clock_;
  alb::LoadBalancer balancer_;
};

// The origin's cluster under the simulated runtime, its API in front.
class ControlApiTest : public ::testing::Test {
 protected:
  ControlApiTest() {
    char pattern[] = "/tmp/drydock-api-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::filesystem::create_directories(dir_ + "/tasks");
    std::filesystem::create_directories(dir_ + "/logs");
    auto opened = state::SqliteStore::OpenInMemory();
    store_ = std::move(*opened);
    auto account = AccountServices::Open(dir_);
    account_ = std::move(*account);
    ControlPlaneOptions options = ControlPlane::DefaultOptions(settings_);
    options.tasks_dir = dir_ + "/tasks";
    options.logs_dir = dir_ + "/logs";
    options.config_dir = dir_;
    options.stand_in_command = {"/bin/drydock", "stand-in"};
    options.seed = 7;
    ControlPlaneRuntime runtime{&clock_, &loop_, &launcher_, store_.get(),
                                [this] { return clock_.Now(); }, [](int) { return true; },
                                &load_balancer_, account_.get()};
    plane_ = std::make_unique<ControlPlane>(runtime, options);
    api_ = std::make_unique<ControlApi>(
        plane_.get(), 4242, "/etc/origin.tfvars", "original text", [] {},
        [this](const std::string& path, const std::string& text) -> Result<config::Settings> {
          loaded_path_ = path;
          if (text == "invalid") {
            return InvalidArgument("bad.tfvars:5:22: error: services.api.priority: out of range");
          }
          config::Settings settings = settings_;
          settings.services[1].desired_count = 3;  // api
          return settings;
        });
  }
  ~ControlApiTest() override { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    ASSERT_TRUE(plane_->Start().ok());
    loop_.RunFor(Seconds(180));
  }

  struct Answer {
    int status;
    json body;
  };
  Answer Call(const std::string& method, const std::string& target, const std::string& body) {
    runtime::HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    runtime::HttpResponse response = api_->Handle(request);
    return {response.status, json::parse(response.body, nullptr, false)};
  }
  Answer Post(const std::string& target, const json& body) {
    return Call("POST", target, body.dump());
  }

  static config::Settings BridgeOrigin() {
    // Bridge mode: awsvpc's ENIs would leave no room for a 200 % rollout on two t3.medium.
    config::Settings settings = config::testing::OriginConfig("origin.tfvars").settings;
    settings.network_mode = "bridge";
    return settings;
  }

  std::string dir_;
  config::Settings settings_ = BridgeOrigin();
  runtime::SimClock clock_{control::SimEpoch()};
  runtime::SimEventLoop loop_{clock_};
  runtime::SimProcessLauncher launcher_{loop_, clock_};
  PassingLoadBalancer load_balancer_{clock_};
  std::unique_ptr<state::SqliteStore> store_;
  std::unique_ptr<AccountServices> account_;
  std::unique_ptr<ControlPlane> plane_;
  std::unique_ptr<ControlApi> api_;
  std::string loaded_path_;
};

TEST_F(ControlApiTest, DeployStartsADeploymentOfANewRevision) {
  Answer answer = Post("/v1/services/deploy",
                       {{"service", "api"}, {"environment", {{"VERSION", "2"}}}});
  ASSERT_EQ(answer.status, 202) << answer.body.dump();
  EXPECT_EQ(answer.body["service"], "api");
  EXPECT_EQ(answer.body["taskDefinition"], "api:2");
  const std::string id = answer.body["deploymentId"].get<std::string>();
  EXPECT_EQ(id.rfind("ecs-svc/", 0), 0u);
  const state::Deployment* primary = plane_->snapshot().PrimaryDeployment("api");
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->id, id);
  EXPECT_EQ(primary->task_definition, "api:2");
}

TEST_F(ControlApiTest, DeployErrorsCarryTheirStatus) {
  Answer unknown = Post("/v1/services/deploy", {{"service", "nope"}, {"cpu", 512}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body["error"].get<std::string>().find("no service \"nope\""),
            std::string::npos);
  Answer nothing = Post("/v1/services/deploy", {{"service", "api"}});
  EXPECT_EQ(nothing.status, 400);
  EXPECT_NE(nothing.body["error"].get<std::string>().find("nothing to deploy"), std::string::npos);
  Answer bad_type = Post("/v1/services/deploy", {{"service", "api"}, {"cpu", "lots"}});
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.body["error"].get<std::string>().find("\"cpu\""), std::string::npos);
  Answer bad_json = Call("POST", "/v1/services/deploy", "{service: api}");
  EXPECT_EQ(bad_json.status, 400);
  Answer unregistered = Post("/v1/services/deploy", {{"service", "api"}, {"taskDefinition", "api:9"}});
  EXPECT_EQ(unregistered.status, 404);
}

TEST_F(ControlApiTest, RollbackDeploysTheLastCompletedRevision) {
  Answer none = Post("/v1/services/rollback", {{"service", "api"}});
  EXPECT_EQ(none.status, 409) << none.body.dump();
  EXPECT_NE(none.body["error"].get<std::string>().find("no earlier completed deployment"),
            std::string::npos);
  EXPECT_EQ(Post("/v1/services/rollback", {{"service", "nope"}}).status, 404);
  EXPECT_EQ(Post("/v1/services/rollback", {{"service", "api"}, {"x", 1}}).status, 400);

  ASSERT_EQ(Post("/v1/services/deploy", {{"service", "api"}, {"environment", {{"V", "2"}}}}).status,
            202);
  loop_.RunFor(Seconds(600));
  const state::Deployment* primary = plane_->snapshot().PrimaryDeployment("api");
  ASSERT_NE(primary, nullptr);
  ASSERT_EQ(primary->rollout_state, state::RolloutState::kCompleted);
  Answer back = Post("/v1/services/rollback", {{"service", "api"}});
  ASSERT_EQ(back.status, 202) << back.body.dump();
  EXPECT_EQ(back.body["taskDefinition"], "api:1");
  EXPECT_EQ(plane_->snapshot().PrimaryDeployment("api")->id, back.body["deploymentId"]);
}

TEST_F(ControlApiTest, UpAppliesAChangedConfigurationOnce) {
  Answer same = Post("/v1/up", {{"configPath", "/etc/origin.tfvars"}, {"configText", "original text"}});
  ASSERT_EQ(same.status, 200);
  EXPECT_TRUE(same.body["unchanged"].get<bool>());

  Answer changed = Post("/v1/up", {{"configPath", "/etc/new.tfvars"}, {"configText", "new text"}});
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_FALSE(changed.body["unchanged"].get<bool>());
  EXPECT_EQ(loaded_path_, "/etc/new.tfvars");
  ASSERT_TRUE(changed.body["changes"].is_array());
  ASSERT_FALSE(changed.body["changes"].empty());
  EXPECT_NE(changed.body["changes"].dump().find("api"), std::string::npos);
  EXPECT_EQ(plane_->snapshot().FindService("api")->desired_count, 3);

  Answer again = Post("/v1/up", {{"configPath", "/etc/new.tfvars"}, {"configText", "new text"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(again.body["unchanged"].get<bool>());
  EXPECT_EQ(Call("GET", "/v1/health", "").body["configPath"], "/etc/new.tfvars");
}

TEST_F(ControlApiTest, UpRefusesAnInvalidConfigurationWithTheReport) {
  Answer invalid = Post("/v1/up", {{"configPath", "/etc/bad.tfvars"}, {"configText", "invalid"}});
  EXPECT_EQ(invalid.status, 400);
  EXPECT_NE(invalid.body["error"].get<std::string>().find("bad.tfvars:5:22: error:"),
            std::string::npos);
  EXPECT_EQ(plane_->snapshot().FindService("api")->desired_count, 2);
  // Still the original text: nothing was applied.
  EXPECT_TRUE(Post("/v1/up", {{"configText", "original text"}}).body["unchanged"].get<bool>());
  EXPECT_EQ(Call("POST", "/v1/up", R"({"configText": 3})").status, 400);
}

TEST_F(ControlApiTest, UnknownPathsAndMethods) {
  EXPECT_EQ(Call("GET", "/v1/services/deploy", "").status, 405);
  EXPECT_EQ(Call("DELETE", "/v1/services/rollback", "").status, 405);
  Answer missing = Call("GET", "/v1/nope", "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body["error"].get<std::string>().find("POST /v1/services/deploy"),
            std::string::npos);
}

}  // namespace
}  // namespace drydock::live
