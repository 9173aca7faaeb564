#include "alb/listener.h"

#include <gtest/gtest.h>

#include <string>

namespace drydock::alb {
namespace {

config::ServiceSettings Service(std::string name, int priority, std::vector<std::string> patterns) {
  config::ServiceSettings service;
  service.name = std::move(name);
  service.priority = priority;
  service.path_pattern = std::move(patterns);
  return service;
}

Listener Make(std::vector<ListenerRule> rules) {
  Listener listener;
  listener.rules = std::move(rules);
  SortRules(listener.rules);
  return listener;
}

std::string RoutedTo(const Listener& listener, std::string_view target) {
  const RouteDecision decision = Route(listener, target);
  return decision.rule == nullptr ? "default" : decision.rule->target_group;
}

TEST(AlbRoute, FirstMatchByAscendingPriority) {
  // Declared out of order: the rule list is sorted before routing.
  const Listener listener = Make({
      {.priority = 200, .path_patterns = {"/*"}, .target_group = "web-tg"},
      {.priority = 100, .path_patterns = {"/api*"}, .target_group = "api-tg"},
      {.priority = 50, .path_patterns = {"/api/admin/*"}, .target_group = "admin-tg"},
  });
  EXPECT_EQ(RoutedTo(listener, "/api/admin/users"), "admin-tg");
  EXPECT_EQ(RoutedTo(listener, "/api/users"), "api-tg");
  EXPECT_EQ(RoutedTo(listener, "/api"), "api-tg");
  EXPECT_EQ(RoutedTo(listener, "/api/admin"), "api-tg");  // "/api/admin/*" needs the slash
  EXPECT_EQ(RoutedTo(listener, "/index.html"), "web-tg");
}

TEST(AlbRoute, OverlappingRulesLowerPriorityNumberWins) {
  const Listener listener = Make({
      {.priority = 10, .path_patterns = {"/*"}, .target_group = "catch-all-tg"},
      {.priority = 20, .path_patterns = {"/api*"}, .target_group = "api-tg"},
  });
  // The catch-all shadows the more specific rule: ALB does not pick the
  // longest match.
  EXPECT_EQ(RoutedTo(listener, "/api/v1"), "catch-all-tg");
}

TEST(AlbRoute, PatternsOfARuleAreOred) {
  const Listener listener = Make({
      {.priority = 1, .path_patterns = {"/img/*", "/css/*", "*.js"}, .target_group = "static-tg"},
  });
  EXPECT_EQ(RoutedTo(listener, "/img/a.png"), "static-tg");
  EXPECT_EQ(RoutedTo(listener, "/css/site.css"), "static-tg");
  EXPECT_EQ(RoutedTo(listener, "/app/main.js?v=3"), "static-tg");
  EXPECT_EQ(RoutedTo(listener, "/app/main.ts"), "default");
}

TEST(AlbRoute, DefaultActionWhenNothingMatches) {
  const Listener listener = Make({
      {.priority = 1, .path_patterns = {"/api*"}, .target_group = "api-tg"},
  });
  EXPECT_EQ(Route(listener, "/other").rule, nullptr);
  EXPECT_EQ(Route(Make({}), "/").rule, nullptr);
}

TEST(AlbRoute, QueryAndAbsoluteFormUseThePath) {
  const Listener listener = Make({
      {.priority = 1, .path_patterns = {"/api"}, .target_group = "api-tg"},
  });
  EXPECT_EQ(RoutedTo(listener, "/api?x=/y"), "api-tg");
  EXPECT_EQ(RoutedTo(listener, "http://example.com/api?x=1"), "api-tg");
  EXPECT_EQ(RoutedTo(listener, "/API"), "default");
}

TEST(AlbListenerFromSettings, BuildsSortedRules) {
  config::Settings settings;
  settings.services = {Service("web", 200, {"/*"}), Service("api", 100, {"/api*", "/v2/*"})};
  settings.alb_idle_timeout = 75;
  Result<Listener> listener = ListenerFromSettings(settings);
  ASSERT_TRUE(listener.ok()) << listener.status().message();
  EXPECT_EQ(listener->address, "127.0.0.1");
  EXPECT_EQ(listener->port, 8080);
  EXPECT_EQ(listener->idle_timeout, Seconds(75));
  ASSERT_EQ(listener->rules.size(), 2u);
  EXPECT_EQ(listener->rules[0].priority, 100);
  EXPECT_EQ(listener->rules[0].target_group, "api-tg");
  EXPECT_EQ(listener->rules[0].path_patterns, (std::vector<std::string>{"/api*", "/v2/*"}));
  EXPECT_EQ(listener->rules[1].target_group, "web-tg");
  EXPECT_EQ(listener->default_action.status, 404);
  EXPECT_EQ(listener->default_action.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(listener->default_action.body, "Not Found");  // as the plan
  EXPECT_EQ(RoutedTo(*listener, "/api/x"), "api-tg");
  EXPECT_EQ(RoutedTo(*listener, "/x"), "web-tg");
}

TEST(AlbListenerFromSettings, ListenAddresses) {
  config::Settings settings;
  settings.listen_address = "[::1]:9090";
  Result<Listener> v6 = ListenerFromSettings(settings);
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(v6->address, "::1");
  EXPECT_EQ(v6->port, 9090);

  settings.listen_address = "0.0.0.0:1";
  ASSERT_TRUE(ListenerFromSettings(settings).ok());

  for (const char* bad : {"127.0.0.1", ":8080", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:80x", "::1:8080", "[::1:8080", "[]:8080", "host:123456"}) {
    settings.listen_address = bad;
    Result<Listener> listener = ListenerFromSettings(settings);
    ASSERT_FALSE(listener.ok()) << bad;
    EXPECT_EQ(listener.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(listener.status().message().find("listen_address"), std::string::npos);
  }
}

TEST(AlbListenerFromSettings, RejectsWhatRoutingCannotHonour) {
  config::Settings settings;
  settings.services = {Service("a", 5, {"/a*"}), Service("b", 5, {"/b*"})};
  Result<Listener> duplicate = ListenerFromSettings(settings);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("services.b.priority"), std::string::npos);

  settings.services = {Service("a", 0, {"/a*"})};
  EXPECT_FALSE(ListenerFromSettings(settings).ok());
  settings.services = {Service("a", 50001, {"/a*"})};
  EXPECT_FALSE(ListenerFromSettings(settings).ok());
  settings.services = {Service("a", 50000, {})};
  EXPECT_FALSE(ListenerFromSettings(settings).ok());

  settings.services = {Service("a", 50000, {"/a*"})};
  EXPECT_TRUE(ListenerFromSettings(settings).ok());
  settings.alb_idle_timeout = 0;
  EXPECT_FALSE(ListenerFromSettings(settings).ok());
  settings.alb_idle_timeout = 4001;
  EXPECT_FALSE(ListenerFromSettings(settings).ok());
}

TEST(AlbListener, TargetGroupNameMatchesThePlan) { EXPECT_EQ(TargetGroupName("api"), "api-tg"); }

}  // namespace
}  // namespace drydock::alb
