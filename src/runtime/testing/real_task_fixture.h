// Shared by the real-launcher tests: a temp directory per test, a real loop
// at time scale 1, a launcher running tasks through drydock_test_shim, and a
// teardown that SIGKILLs every process group a test started and reaps them.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/log_format.h"
#include "runtime/real/real_event_loop.h"
#include "runtime/real/real_process_launcher.h"

#ifndef DRYDOCK_TEST_SHIM
#error "DRYDOCK_TEST_SHIM must name the drydock_test_shim executable"
#endif

namespace drydock::runtime {

class RealTaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orphans (a task whose shim was killed) come to us, not to init, so
    // that teardown can reap them.
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    char dir_template[] = "/tmp/drydock-task-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock_);
    ASSERT_TRUE(loop.ok()) << loop.status().message();
    loop_ = std::move(*loop);
    launcher_ = std::make_unique<RealProcessLauncher>(*loop_, Options());
  }

  void TearDown() override {
    launcher_.reset();
    for (int group : groups_) kill(-group, SIGKILL);
    ReapChildren();
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    std::filesystem::remove_all(dir_);
  }

  // Reaps our shims and any orphan that was reparented to us, waiting (at
  // most 2 s) for the SIGKILLed ones to die.
  static void ReapChildren() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (;;) {
      const pid_t pid = waitpid(-1, nullptr, WNOHANG);
      if (pid > 0) continue;
      if (pid < 0 || std::chrono::steady_clock::now() > deadline) return;  // ECHILD: none left
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  static RealProcessLauncher::Options Options(bool use_pidfd = true) {
    RealProcessLauncher::Options options;
    options.shim_command = {DRYDOCK_TEST_SHIM};
    options.use_pidfd = use_pidfd;
    options.poll_interval = std::chrono::milliseconds(20);
    options.start_timeout = std::chrono::milliseconds(3000);
    return options;
  }

  // A spec whose logs and status live in this test's directory.
  ProcessSpec Spec(const std::string& task_id, std::vector<std::string> argv) const {
    ProcessSpec spec;
    spec.task_id = task_id;
    spec.argv = std::move(argv);
    spec.working_dir = dir_;
    spec.stdout_path = dir_ + "/" + task_id + ".log";
    spec.stderr_path = spec.stdout_path;
    spec.status_path = dir_ + "/" + task_id + ".exit.json";
    return spec;
  }

  // Remembers the handle's process groups (shim session, task group) for teardown.
  void Track(const ProcessHandle& handle) {
    if (handle.pid > 0) groups_.push_back(handle.pid);
    if (handle.task_pid > 0) groups_.push_back(handle.task_pid);
  }

  Result<ProcessHandle> Launch(const ProcessSpec& spec) {
    Result<ProcessHandle> handle = launcher_->Launch(spec, [this, id = spec.task_id](const ExitStatus& s) {
      exits_.emplace_back(id, s);
    });
    if (handle.ok()) Track(*handle);
    return handle;
  }

  // Runs the loop until `done` or a real-time bound (a hung test fails, it
  // does not hang the suite).
  bool RunUntil(const std::function<bool()>& done, std::chrono::seconds bound = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_->RunFor(Duration(10));
    }
    return true;
  }

  std::optional<ExitStatus> ExitOf(const std::string& task_id) const {
    for (const auto& [id, status] : exits_) {
      if (id == task_id) return status;
    }
    return std::nullopt;
  }

  bool AwaitExit(const std::string& task_id) {
    return RunUntil([&] { return ExitOf(task_id).has_value(); });
  }

  std::vector<LogLine> ReadLog(const std::string& path) const {
    std::vector<LogLine> lines;
    std::ifstream in(path);
    std::string record;
    while (std::getline(in, record)) {
      Result<LogLine> line = ParseLogLine(record);
      EXPECT_TRUE(line.ok()) << record;
      if (line.ok()) lines.push_back(*line);
    }
    return lines;
  }

  std::vector<std::string> Texts(const std::vector<LogLine>& lines, LogStream stream) const {
    std::vector<std::string> texts;
    for (const LogLine& line : lines) {
      if (line.stream == stream) texts.push_back(line.text);
    }
    return texts;
  }

  void Touch(const std::string& name) const { std::ofstream(dir_ + "/" + name) << "go"; }

  std::string dir_;
  RealClock clock_{1.0, RealClock::WallNow()};
  std::unique_ptr<RealEventLoop> loop_;
  std::unique_ptr<RealProcessLauncher> launcher_;
  std::vector<std::pair<std::string, ExitStatus>> exits_;
  std::vector<int> groups_;
};

// A task that waits until the file `name` appears in its working directory.
inline std::string WaitForFile(const std::string& name) {
  return "while [ ! -e " + name + " ]; do sleep 0.02; done";
}

}  // namespace drydock::runtime
