// CLI11 is confined to this translation unit: it is header-only and slow to compile.
#include <CLI/CLI.hpp>

#include <iostream>
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

  // iam: roles and policies (docs/iam.md).
  std::string iam_role, iam_policy, iam_action, iam_resource;
  CLI::App* iam = app.add_subcommand(
      "iam", "Show and change the IAM roles and policies of the cluster's services (the task "
             "execution roles); without a verb, list them");
  iam->require_subcommand(0, 1);
  add_state_dir(iam);
  AddOutputOption(iam, &format);
  CLI::App* iam_list = iam->add_subcommand("list", "List roles with their attached policies");
  add_state_dir(iam_list);
  AddOutputOption(iam_list, &format);
  iam_list->callback([&] { exit_code = RunIamList(state_dir, format, terminal); });
  CLI::App* iam_show = iam->add_subcommand(
      "show", "Show a role: its trust, attached policies and their documents");
  iam_show->add_option("ROLE", iam_role, "Role name or ARN")->required();
  add_state_dir(iam_show);
  AddOutputOption(iam_show, &format);
  iam_show->callback([&] { exit_code = RunIamShow(state_dir, iam_role, format, terminal); });
  for (bool attach : {true, false}) {
    CLI::App* verb = iam->add_subcommand(
        attach ? "attach" : "detach",
        attach ? "Attach a managed policy to a role (attach-role-policy)"
               : "Detach a managed policy from a role (detach-role-policy); tasks that start "
                 "after it lose what it allowed");
    verb->add_option("ROLE", iam_role, "Role name or ARN")->required();
    verb->add_option("POLICY", iam_policy, "Policy name or ARN")->required();
    add_state_dir(verb);
    verb->callback([&, attach] {
      exit_code = RunIamAttachment(state_dir, iam_role, iam_policy, attach, terminal);
    });
  }
  CLI::App* iam_simulate = iam->add_subcommand(
      "simulate", "Evaluate a role's policies for one action on one resource "
                  "(simulate-principal-policy): allowed, implicitDeny or explicitDeny");
  iam_simulate->add_option("ROLE", iam_role, "Role name or ARN")->required();
  iam_simulate->add_option("ACTION", iam_action, "e.g. secretsmanager:GetSecretValue")->required();
  iam_simulate->add_option("RESOURCE", iam_resource, "An ARN")->required();
  add_state_dir(iam_simulate);
  AddOutputOption(iam_simulate, &format);
  iam_simulate->callback([&] {
    exit_code = RunIamSimulate(state_dir, iam_role, iam_action, iam_resource, format, terminal);
  });
  iam->callback([&] {
    if (iam->get_subcommands().empty()) exit_code = RunIamList(state_dir, format, terminal);
  });

  // secrets: the local Secrets Manager (docs/secrets.md).
  SecretsOptions secrets;
  std::string secret_stage;
  int recovery_days = 30;
  CLI::Option* window = nullptr;  // delete --recovery-window-in-days
  CLI::App* secrets_app = app.add_subcommand(
      "secrets", "Manage secrets (AWS Secrets Manager: versions, staging labels, rotation), "
                 "encrypted in STATE_DIR/secrets; values are read from stdin or --value-file");
  secrets_app->require_subcommand(1);
  auto secret_verb = [&](const char* verb, const char* help, bool named) {
    CLI::App* verb_app = secrets_app->add_subcommand(verb, help);
    if (named) verb_app->add_option("NAME", secrets.name, "Secret name or ARN")->required();
    add_state_dir(verb_app);
    verb_app->callback([&, verb] {
      secrets.verb = verb;
      secrets.state_dir = state_dir;
      if (!secret_stage.empty()) secrets.version_stages = {secret_stage};
      if (window != nullptr && window->count() > 0) secrets.recovery_window_days = recovery_days;
      exit_code = RunSecrets(secrets, std::cin, terminal);
    });
    return verb_app;
  };
  auto add_value_file = [&](CLI::App* verb_app) {
    verb_app->add_option("--value-file", secrets.value_file,
                         "Read the value from FILE (default: stdin); a final newline is dropped");
  };
  auto add_key = [&](CLI::App* verb_app, const char* help) {
    verb_app->add_option("--key", secrets.key, help);
  };
  CLI::App* secret_create = secret_verb(
      "create", "Create a secret (CreateSecret); its value from --value-file or stdin", true);
  secret_create->add_option("--description", secrets.description, "Description");
  secret_create->add_option("--region", secrets.region,
                            "Region of the ARN when no cluster is recorded (default us-east-1)");
  add_value_file(secret_create);
  CLI::App* secret_put = secret_verb(
      "put", "Put a new version (PutSecretValue): AWSCURRENT unless --version-stage", true);
  add_value_file(secret_put);
  add_key(secret_put, "Set key K of a copy of the current JSON object to the value read");
  secret_put->add_option("--version-stage", secrets.version_stages,
                         "Staging label for the new version (repeatable; default AWSCURRENT)");
  secret_put->add_option("--client-request-token", secrets.client_request_token,
                         "The new version's id (32-64 characters; idempotent)");
  CLI::App* secret_get = secret_verb(
      "get", "Print a value (GetSecretValue): AWSCURRENT unless --version-stage or --version-id",
      true);
  CLI::Option* get_stage =
      secret_get->add_option("--version-stage", secret_stage, "Staging label");
  secret_get->add_option("--version-id", secrets.version_id, "Version id")->excludes(get_stage);
  add_key(secret_get, "Print only this key of a JSON object secret");
  AddOutputOption(secret_get, &secrets.format);
  CLI::App* secret_describe = secret_verb(
      "describe", "Show a secret's metadata and versions (DescribeSecret; no values)", true);
  AddOutputOption(secret_describe, &secrets.format);
  CLI::App* secret_list = secret_verb("list", "List secrets (ListSecrets; no values)", false);
  secret_list->add_flag("--include-planned-deletion", secrets.include_planned_deletion,
                        "Also list secrets marked for deletion");
  AddOutputOption(secret_list, &secrets.format);
  CLI::App* secret_delete = secret_verb(
      "delete", "Mark a secret for deletion after a recovery window (DeleteSecret)", true);
  window = secret_delete->add_option("--recovery-window-in-days", recovery_days,
                                     "Days before it is purged: 7 to 30 (default 30)");
  secret_delete
      ->add_flag("--force-delete-without-recovery", secrets.force_delete_without_recovery,
                 "Delete at once, without a recovery window")
      ->excludes(window);
  secret_verb("restore", "Cancel a secret's deletion (RestoreSecret)", true);
  CLI::App* secret_rotate = secret_verb(
      "rotate", "Rotate: createSecret, setSecret, testSecret, finishSecret with a new value", true);
  add_value_file(secret_rotate);
  add_key(secret_rotate, "The new value replaces key K of a copy of the current JSON object");
  secret_rotate
      ->add_option("--step", secrets.step, "Run one step: create, set, test or finish")
      ->check(CLI::IsMember({"create", "set", "test", "finish"}));
  secret_rotate->add_option("--client-request-token", secrets.client_request_token,
                            "The rotation's version id (required with --step)");

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
