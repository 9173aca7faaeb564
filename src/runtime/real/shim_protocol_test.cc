#include "runtime/real/shim_protocol.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

namespace drydock::runtime {
namespace {

ProcessSpec MakeSpec() {
  ProcessSpec spec;
  spec.task_id = "svc-1.a_b";
  spec.argv = {"/bin/sh", "-c", "echo 'a b'; exit 3", ""};
  spec.env = {{"PORT", "8080"}, {"EMPTY", ""}, {"EQUALS", "a=b=c"}, {"NEWLINE", "x\ny"}};
  spec.working_dir = "/tmp";
  spec.stdout_path = "/tmp/out.log";
  spec.stderr_path = "/tmp/err.log";
  spec.status_path = "/tmp/exit.json";
  spec.limits = {512, 1024};
  return spec;
}

TEST(ShimProtocolTest, SpecRoundTrips) {
  const ProcessSpec spec = MakeSpec();
  Result<ProcessSpec> decoded = DecodeShimSpec(EncodeShimSpec(spec));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->task_id, spec.task_id);
  EXPECT_EQ(decoded->argv, spec.argv);
  EXPECT_EQ(decoded->env, spec.env);
  EXPECT_EQ(decoded->working_dir, spec.working_dir);
  EXPECT_EQ(decoded->stdout_path, spec.stdout_path);
  EXPECT_EQ(decoded->stderr_path, spec.stderr_path);
  EXPECT_EQ(decoded->status_path, spec.status_path);
  EXPECT_EQ(decoded->limits.cpu_units, 512);
  EXPECT_EQ(decoded->limits.memory_mib, 1024);
}

TEST(ShimProtocolTest, RejectsForeignOrTruncatedSpecs) {
  const std::string bytes = EncodeShimSpec(MakeSpec());
  EXPECT_FALSE(DecodeShimSpec("something else").ok());
  EXPECT_FALSE(DecodeShimSpec(bytes.substr(0, bytes.size() - 3)).ok());
  const char unknown_key[] = "drydock-shim-spec-1\0bogus\0x\0";
  EXPECT_FALSE(DecodeShimSpec(std::string(unknown_key, sizeof unknown_key - 1)).ok());
}

TEST(ShimProtocolTest, ReportsRoundTrip) {
  Result<ShimReport> started = DecodeShimReport(EncodeShimReport({true, 321, "limits not enforced: x", {}, ""}));
  ASSERT_TRUE(started.ok());
  EXPECT_TRUE(started->started);
  EXPECT_EQ(started->task_pid, 321);
  EXPECT_EQ(started->note, "limits not enforced: x");
  Result<ShimReport> failed =
      DecodeShimReport(EncodeShimReport({false, 0, "", StatusCode::kFailedPrecondition, "no such file\nreally"}));
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(failed->started);
  EXPECT_EQ(failed->code, StatusCode::kFailedPrecondition);
  EXPECT_EQ(failed->message, "no such file\nreally");
  EXPECT_EQ(DecodeShimReport("").status().code(), StatusCode::kUnavailable);
}

TEST(ShimProtocolTest, ExitStatusJsonRoundTrips) {
  const TimePoint time = TimePoint(Duration(1764195861123));
  for (const ExitStatus& status :
       {ExitStatus{ExitStatus::Kind::kExited, 3, 0, time, ""},
        ExitStatus{ExitStatus::Kind::kSignaled, 0, SIGKILL, time, ""},
        ExitStatus{ExitStatus::Kind::kFailedToStart, 0, 0, time, "cannot execute 'x': No such file"}}) {
    const std::string json = ExitStatusToJson(status, 77);
    Result<ExitStatus> parsed = ExitStatusFromJson(json);
    ASSERT_TRUE(parsed.ok()) << json;
    EXPECT_EQ(parsed->kind, status.kind);
    EXPECT_EQ(parsed->exit_code, status.exit_code);
    EXPECT_EQ(parsed->signal, status.signal);
    EXPECT_EQ(parsed->time, time);
    EXPECT_EQ(parsed->message, status.message);
  }
  EXPECT_NE(ExitStatusToJson({ExitStatus::Kind::kSignaled, 0, SIGTERM, time, ""}, 1).find("\"SIGTERM\""),
            std::string::npos);
}

TEST(ShimProtocolTest, StatusFileIsWrittenAtomicallyAndPrivately) {
  char dir_template[] = "/tmp/drydock-protocol-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string path = dir + "/exit.json";
  EXPECT_EQ(ReadExitStatusFile(path).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(WriteExitStatusFile(path, {ExitStatus::Kind::kExited, 9, 0, {}, ""}, 5).ok());
  Result<ExitStatus> read = ReadExitStatusFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->exit_code, 9);
  struct stat info{};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);
  const std::string identity = ShimIdentityPath(path);
  ASSERT_TRUE(WriteShimIdentityFile(identity, 1234, 98765).ok());
  Result<ShimIdentity> shim = ReadShimIdentityFile(identity);
  ASSERT_TRUE(shim.ok()) << shim.status().message();
  EXPECT_EQ(shim->pid, 1234);
  EXPECT_EQ(shim->start_ticks, 98765u);
  std::ofstream(identity) << "12 x\n";
  EXPECT_EQ(ReadShimIdentityFile(identity).status().code(), StatusCode::kInvalidArgument);
  unlink(identity.c_str());
  std::ofstream(path) << "{\"kind\": 3";
  EXPECT_EQ(ReadExitStatusFile(path).status().code(), StatusCode::kInvalidArgument);
  unlink(path.c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace drydock::runtime
