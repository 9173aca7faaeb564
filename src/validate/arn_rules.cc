// ARNs the AWS target passes through unchanged: certificate_arn and
// additional_certificate_arns (the AWS HTTPS listener's certificates) and
// alarm_sns_topic_arn (rule ids in docs/validation.md). Only the shape is
// checked: whether the certificate or topic exists is AWS's to say.
#include <string>

#include "validate/report.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

bool IsAccount(const std::string& text) {
  if (text.size() != 12) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A region code such as "us-east-1": lowercase letters, digits and hyphens.
bool IsRegion(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Letters, digits and the characters `extra`.
bool IsWord(const std::string& text, const std::string& extra) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && extra.find(c) == std::string::npos) return false;
  }
  return true;
}

// The six ':'-separated fields of an ARN "arn:partition:service:region:account:resource"
// (the resource may contain ':'); false when there are fewer.
bool SplitArn(const std::string& arn, std::string fields[6]) {
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string::npos) return false;
    fields[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  fields[5] = arn.substr(start);
  return true;
}

constexpr const char* kNotAnArn = "is not an ARN (arn:aws:<service>:<region>:<account>:<resource>)";

// The partitions of the AWS target's region: commercial, China, GovCloud.
bool IsPartition(const std::string& text) {
  return text == "aws" || text == "aws-cn" || text == "aws-us-gov";
}

// What is wrong with a certificate ARN of the ALB listener ("" when nothing):
// arn:aws:acm:<region>:<account>:certificate/<id> or
// arn:aws:iam::<account>:server-certificate/<name>.
std::string CertificateArnProblem(const std::string& arn) {
  std::string f[6];
  if (!SplitArn(arn, f) || f[0] != "arn" || !IsPartition(f[1])) return kNotAnArn;
  if (f[2] == "acm") {
    if (!IsRegion(f[3])) return "has no region (arn:aws:acm:<region>:...)";
    if (!IsAccount(f[4])) return "has account " + Quote(f[4]) + ", which is not 12 digits";
    if (f[5].rfind("certificate/", 0) != 0 || !IsWord(f[5].substr(12), "-")) {
      return "does not end in certificate/<id>";
    }
    return "";
  }
  if (f[2] == "iam") {
    if (!f[3].empty()) return "names a region; IAM ARNs have none (arn:aws:iam::<account>:...)";
    if (!IsAccount(f[4])) return "has account " + Quote(f[4]) + ", which is not 12 digits";
    if (f[5].rfind("server-certificate/", 0) != 0 || !IsWord(f[5].substr(19), "+=,.@_-/")) {
      return "does not end in server-certificate/<name>";
    }
    return "";
  }
  return "is an ARN of " + Quote(f[2]) + ", not of an ACM or IAM server certificate";
}

// What is wrong with an SNS topic ARN arn:aws:sns:<region>:<account>:<name>
// ("" when nothing).
std::string TopicArnProblem(const std::string& arn) {
  std::string f[6];
  if (!SplitArn(arn, f) || f[0] != "arn" || !IsPartition(f[1])) return kNotAnArn;
  if (f[2] != "sns") return "is an ARN of " + Quote(f[2]) + ", not of an SNS topic";
  if (!IsRegion(f[3])) return "has no region (arn:aws:sns:<region>:...)";
  if (!IsAccount(f[4])) return "has account " + Quote(f[4]) + ", which is not 12 digits";
  if (f[5].size() > 256 || !IsWord(f[5], "-_")) {
    return "has topic name " + Quote(f[5]) + "; topic names are 1..256 letters, digits, - and _";
  }
  return "";
}

constexpr const char* kCertificateFix =
    "write an ACM certificate ARN like \"arn:aws:acm:us-east-1:123456789012:certificate/"
    "<id>\" (or an IAM server certificate, \"arn:aws:iam::123456789012:server-certificate/"
    "<name>\")";

void CheckCertificateArns(Report& report) {
  const config::Settings& s = report.settings();
  if (!s.certificate_arn.empty()) {
    const std::string problem = CertificateArnProblem(s.certificate_arn);
    if (!problem.empty()) {
      report.Error("certificate_arn", "certificate-arn",
                   Quote(s.certificate_arn) + " " + problem +
                       "; the AWS HTTPS listener needs a certificate ARN",
                   kCertificateFix);
    }
  }
  for (size_t i = 0; i < s.additional_certificate_arns.size(); ++i) {
    const std::string& arn = s.additional_certificate_arns[i];
    const std::string problem = CertificateArnProblem(arn);
    if (problem.empty()) continue;
    report.ErrorAt(report.ElementPos("additional_certificate_arns", i),
                   "additional_certificate_arns[" + std::to_string(i) + "]", "certificate-arn",
                   Quote(arn) + " " + problem + "; the AWS HTTPS listener needs certificate ARNs",
                   kCertificateFix);
  }
}

void CheckTopicArn(Report& report) {
  const std::string& arn = report.settings().alarm_sns_topic_arn;
  if (arn.empty()) return;
  const std::string problem = TopicArnProblem(arn);
  if (problem.empty()) return;
  report.Error("alarm_sns_topic_arn", "sns-topic-arn",
               Quote(arn) + " " + problem + "; the CloudWatch alarms notify an SNS topic ARN",
               "write it like \"arn:aws:sns:us-east-1:123456789012:alarms\", or \"\" for alarms "
               "that notify nobody");
}

}  // namespace

void CheckArns(Report& report) {
  CheckCertificateArns(report);
  CheckTopicArn(report);
}

}  // namespace drydock::validate
