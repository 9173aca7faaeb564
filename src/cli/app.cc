// CLI11 is confined to this translation unit: it is header-only and slow to compile.
#include <CLI/CLI.hpp>

#include <map>
#include <ostream>

#include "cli/cli.h"
#include "cli/commands.h"

namespace drydock::cli {
namespace {

const std::map<std::string, OutputFormat> kFormats = {{"text", OutputFormat::kText},
                                                      {"json", OutputFormat::kJson}};

void AddOutputOption(CLI::App* command, OutputFormat* format) {
  command->add_option("-o,--output", *format, "Output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
}

}  // namespace

int RunCli(int argc, const char* const* argv, Terminal terminal) {
  CLI::App app{
      "drydock runs a production ECS-on-EC2 architecture (cluster, Auto Scaling group, capacity\n"
      "provider, Application Load Balancer, secrets, deployments) on one machine, with AWS's\n"
      "documented semantics, and ships the same configuration to AWS with Terraform.",
      "drydock"};
  app.set_version_flag("--version", "drydock 0.1.0");
  app.require_subcommand(1);
  app.fallthrough(false);

  std::string file;
  OutputFormat format = OutputFormat::kText;
  int exit_code = kExitOk;

  CLI::App* validate = app.add_subcommand(
      "validate", "Check a .tfvars or .tfvars.json file; exit 0 when valid, 1 when not");
  validate->add_option("FILE", file, "Configuration file")->required();
  AddOutputOption(validate, &format);
  validate->callback([&] { exit_code = RunValidate(file, format, terminal); });

  CLI::App* plan = app.add_subcommand(
      "plan", "Show the AWS resources, capacity and cost a configuration implies");
  plan->add_option("FILE", file, "Configuration file")->required();
  AddOutputOption(plan, &format);
  plan->callback([&] { exit_code = RunPlan(file, format, terminal); });

  CLI::App* parse = app.add_subcommand(
      "parse", "Print a configuration file as drydock reads it (JSON), before any decoding");
  parse->add_option("FILE", file, "Configuration file")->required();
  parse->callback([&] { exit_code = RunParse(file, terminal); });

  // Every verb that works on a cluster takes --state-dir (docs/live.md, docs/observe.md).
  std::string state_dir, service, since;
  auto add_state_dir = [&](CLI::App* command) {
    command->add_option("--state-dir", state_dir,
                        "State directory (default: $DRYDOCK_STATE_DIR, else ./.drydock)");
  };

  // up, down: start and stop a cluster.
  UpOptions up_options;
  uint64_t seed = 0;
  CLI::App* up = app.add_subcommand(
      "up", "Run the cluster: instances, services and their tasks as real processes; on a "
            "running cluster, apply a changed FILE (new revisions roll out in the background)");
  up->add_option("FILE", up_options.file, "Configuration file")->required();
  add_state_dir(up);
  up->add_option("--time-scale", up_options.time_scale,
                 "Run every AWS duration N times faster (default 1; N > 0)");
  up->add_option("--listen", up_options.listen,
                 "The load balancer's address, ADDR:PORT (default: listen_address, "
                 "127.0.0.1:8080; port 0 picks a free one)");
  up->add_flag("-d,--detach", up_options.detach,
               "Run in the background; return once the cluster is steady");
  CLI::Option* seed_option =
      up->add_option("--seed", seed, "Seed for everything random (ids, tie-breaks, ports)");
  up->callback([&] {
    up_options.state_dir = state_dir;
    if (seed_option->count() > 0) up_options.seed = seed;
    exit_code = RunUp(up_options, terminal);
  });

  CLI::App* down = app.add_subcommand(
      "down", "Stop every task (SIGTERM, stop timeout, SIGKILL) and the instances; keep the state");
  add_state_dir(down);
  down->callback([&] { exit_code = RunDown(state_dir, terminal); });

  std::string task, reason;
  CLI::App* stop_task = app.add_subcommand(
      "stop-task", "Stop one task as ECS StopTask does: drain its target, SIGTERM, stop timeout, "
                   "SIGKILL; its service starts a replacement");
  stop_task->add_option("TASK", task, "Task id, ARN, or an id prefix of 8+ digits")->required();
  stop_task->add_option("--reason", reason, "stoppedReason (default \"Task stopped by user\")");
  add_state_dir(stop_task);
  stop_task->callback([&] { exit_code = RunStopTask(state_dir, task, reason, terminal); });

  // deploy, rollback: ECS UpdateService on a running cluster, then follow the rollout.
  DeployOptions deploy_options;
  DeployWait wait;
  int cpu = 0, memory = 0;
  std::string command, image, task_definition;
  auto add_wait = [&](CLI::App* verb) {
    verb->add_flag("--no-wait", wait.no_wait,
                   "Print the deployment id and return at once (0) instead of following it");
    verb->add_option("--timeout", wait.timeout_seconds,
                     "Seconds to wait for the rollout to end (default 900); exit 1 past it")
        ->check(CLI::PositiveNumber);
    add_state_dir(verb);
    AddOutputOption(verb, &format);
  };
  CLI::App* deploy = app.add_subcommand(
      "deploy", "Deploy a new revision of a service (ECS UpdateService): a rolling deployment "
                "with the circuit breaker; waits until it completes (0) or fails (1)");
  deploy->add_option("SERVICE", deploy_options.service, "Service")->required();
  CLI::Option* command_option = deploy->add_option(
      "--command", command,
      "The task's program and arguments: a JSON array of strings ('[\"sh\",\"-c\",\"exit 1\"]') "
      "or whitespace-separated words");
  // One KEY=VALUE per --env, so that `--env A=1 api` leaves SERVICE alone.
  deploy->add_option("--env", deploy_options.env,
                     "Set an environment variable, KEY=VALUE (repeatable; others are kept)")
      ->allow_extra_args(false);
  CLI::Option* cpu_option =
      deploy->add_option("--cpu", cpu, "Task CPU units (1024 per vCPU)")->check(CLI::PositiveNumber);
  CLI::Option* memory_option =
      deploy->add_option("--memory", memory, "Task memory in MiB")->check(CLI::PositiveNumber);
  CLI::Option* image_option =
      deploy->add_option("--image", image, "Container image (what AWS would run; recorded locally)");
  CLI::Option* task_definition_option = deploy->add_option(
      "--task-definition", task_definition,
      "Deploy this registered revision (api:3) instead of changing the current one");
  deploy->add_flag("--force-new-deployment", deploy_options.force_new_deployment,
                   "Deploy even when nothing changed: replace every task");
  add_wait(deploy);
  deploy->callback([&] {
    deploy_options.state_dir = state_dir;
    if (command_option->count() > 0) deploy_options.command = command;
    if (cpu_option->count() > 0) deploy_options.cpu = cpu;
    if (memory_option->count() > 0) deploy_options.memory = memory;
    if (image_option->count() > 0) deploy_options.image = image;
    if (task_definition_option->count() > 0) deploy_options.task_definition = task_definition;
    deploy_options.wait = wait;
    deploy_options.wait.format = format;
    exit_code = RunDeploy(deploy_options, terminal);
  });

  CLI::App* rollback = app.add_subcommand(
      "rollback", "Deploy the service's previous revision again (the newest COMPLETED deployment "
                  "other than the current one); waits like deploy");
  rollback->add_option("SERVICE", service, "Service")->required();
  add_wait(rollback);
  rollback->callback([&] {
    wait.format = format;
    exit_code = RunRollback(state_dir, service, wait, terminal);
  });

  // proxy, targets: the load balancer.
  ProxyCommandOptions proxy_options;
  CLI::App* proxy = app.add_subcommand(
      "proxy", "Run the load balancer alone: FILE's listener rules, every target group served by "
               "--backends (`drydock up` starts its own with --managed)");
  proxy->add_option("FILE", proxy_options.file, "Configuration file (static mode)");
  proxy->add_option("--listen", proxy_options.listen,
                    "ADDR:PORT to listen on (default: the file's listen_address)");
  proxy->add_option("--backends", proxy_options.backends,
                    "Static mode: the targets of every target group, IPV4:PORT[,IPV4:PORT...]");
  proxy->add_flag("--managed", proxy_options.managed,
                  "Take routes and targets from the control plane over STATE_DIR/proxy.sock");
  proxy->add_option("--idle-timeout", proxy_options.idle_timeout,
                    "Managed mode: client idle timeout in seconds (alb_idle_timeout)")
      ->check(CLI::Range(1, 4000));
  add_state_dir(proxy);
  proxy->callback([&] {
    proxy_options.state_dir = state_dir;
    exit_code = RunProxy(proxy_options, terminal);
  });

  CLI::App* targets = app.add_subcommand(
      "targets", "Show the health of a service's load balancer targets (DescribeTargetHealth)");
  targets->add_option("SERVICE", service, "Service")->required();
  add_state_dir(targets);
  AddOutputOption(targets, &format);
  targets->callback([&] { exit_code = RunTargets(state_dir, service, format, terminal); });

  // status, events, logs: read a state directory.
  int limit = 100;
  bool follow = false;

  CLI::App* status = app.add_subcommand(
      "status", "Show the cluster: instances, services, deployments, load balancer targets and "
                "tasks (JSON in the AWS APIs' shapes); with SERVICE, that service in detail");
  status->add_option("SERVICE", service,
                     "Only this service: its deployments, tasks and recent events");
  add_state_dir(status);
  AddOutputOption(status, &format);
  status->callback([&] { exit_code = RunStatus(state_dir, service, format, terminal); });

  CLI::App* events = app.add_subcommand("events", "Show service events, oldest first");
  events->add_option("SERVICE", service, "Only this service's events");
  events->add_option("--limit", limit, "The newest N events (0: all)")
      ->check(CLI::NonNegativeNumber);
  add_state_dir(events);
  AddOutputOption(events, &format);
  events->callback([&] { exit_code = RunEvents(state_dir, service, limit, format, terminal); });

  CLI::App* logs =
      app.add_subcommand("logs", "Show a service's task output (log group /ecs/SERVICE)");
  logs->add_option("SERVICE", service, "Service")->required();
  logs->add_flag("-f,--follow", follow,
                 "Keep printing new lines until interrupted or the control plane stops");
  logs->add_option("--since", since, "Only lines from the last DURATION (30s, 10m, 2h, 1d)");
  add_state_dir(logs);
  logs->callback([&] { exit_code = RunLogs(state_dir, service, follow, since, terminal); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 reports --help and --version as "errors" with exit code 0.
    std::ostream& stream = error.get_exit_code() == 0 ? terminal.out : terminal.err;
    app.exit(error, stream, stream);
    return error.get_exit_code() == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace drydock::cli
