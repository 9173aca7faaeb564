// The HTTPS listeners' settings: the local one (https_listen_address,
// docs/alb.md "HTTPS") and the AWS one (certificate_arn; its ARNs are checked
// in arn_rules.cc). Rule ids in docs/validation.md. Whether the certificate
// files load is the load balancer's to say (it reports and keeps the previous
// ones): validation reads no files.
#include <string>
#include <vector>

#include "aws/ssl_policies.h"
#include "base/strings.h"
#include "validate/report.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

void CheckHttpsAddress(Report& report) {
  const config::Settings& s = report.settings();
  const std::string problem = ListenAddressProblem(s.https_listen_address);
  if (!problem.empty()) {
    report.Error("https_listen_address", "https-listen-address",
                 Quote(s.https_listen_address) + " " + problem +
                     "; the HTTPS listener needs HOST:PORT",
                 "write it like https_listen_address = \"127.0.0.1:8443\"");
    return;
  }
  if (s.https_listen_address == s.listen_address) {
    report.Error("https_listen_address", "https-listen-address",
                 Quote(s.https_listen_address) + " is also listen_address; the HTTP and HTTPS "
                 "listeners need different ports",
                 "pick another port, e.g. https_listen_address = \"127.0.0.1:8443\"");
  }
}

void CheckSslPolicy(Report& report) {
  const std::string& policy = report.settings().ssl_policy;
  if (aws::FindSslPolicy(policy) != nullptr) return;
  const std::vector<std::string> names = aws::SslPolicyNames();
  const std::string guess = ClosestMatch(policy, names);
  // A real but older ALB policy says why not; a near miss gets a did-you-mean.
  const bool older = policy.rfind("ELBSecurityPolicy-", 0) == 0 &&
                     policy.find("TLS13") == std::string::npos;
  report.Error("ssl_policy", "ssl-policy",
               Quote(policy) + " is not one of the TLS 1.3 policies drydock serves (" +
                   Join(names, ", ") + ")" +
                   (older ? "; older ALB policies lack TLS 1.3 and most allow TLS 1.0 or 1.1, "
                            "which drydock never serves"
                          : ""),
               guess.empty() || older
                   ? "use ssl_policy = \"" + std::string(aws::kDefaultSslPolicy) +
                         "\" (TLS 1.2 and 1.3, AWS's recommendation)"
                   : "did you mean " + Quote(guess) + "?");
}

// Settings that only the local HTTPS listener reads (ssl_policy: either
// listener), written without one.
void WarnUnusedLocal(Report& report) {
  const bool aws_https = !report.settings().certificate_arn.empty();
  for (const std::string setting :
       {"certificate_file", "private_key_file", "additional_certificates", "ssl_policy"}) {
    if (!report.config().sources.Has(setting)) continue;
    const bool policy = setting == "ssl_policy";
    if (policy && aws_https) continue;
    report.Warning(setting, "https-setting-unused",
                   setting + " has no effect without an HTTPS listener",
                   "set https_listen_address (e.g. \"127.0.0.1:8443\")" +
                       std::string(policy ? " or certificate_arn" : "") + ", or remove " + setting);
  }
}

// The AWS HTTPS listener's extra certificates, written without its default one.
void WarnUnusedAws(Report& report) {
  const config::Settings& s = report.settings();
  if (!s.certificate_arn.empty() || s.additional_certificate_arns.empty()) return;
  report.Warning("additional_certificate_arns", "https-setting-unused",
                 "additional_certificate_arns has no effect without certificate_arn: the AWS "
                 "target has an HTTPS listener only when certificate_arn is set",
                 "set certificate_arn (the listener's default certificate), or remove "
                 "additional_certificate_arns");
}

// redirect_http_to_https redirects to whichever HTTPS listener exists: the
// local one (https_listen_address) and the AWS one (certificate_arn).
void CheckRedirect(Report& report) {
  const config::Settings& s = report.settings();
  if (!s.redirect_http_to_https) return;
  const bool local = !s.https_listen_address.empty();
  const bool aws = !s.certificate_arn.empty();
  if (!local && !aws) {
    report.Error("redirect_http_to_https", "redirect-needs-https",
                 "redirect_http_to_https redirects to the HTTPS listener, and there is none "
                 "(neither https_listen_address locally nor certificate_arn on AWS)",
                 "set https_listen_address (e.g. \"127.0.0.1:8443\") and/or certificate_arn (an "
                 "ACM certificate ARN), or remove redirect_http_to_https");
  } else if (!local) {
    report.Warning("redirect_http_to_https", "redirect-aws-only",
                   "only the AWS HTTP listener redirects (certificate_arn gives it an HTTPS "
                   "listener); locally there is no HTTPS listener, so the HTTP listener keeps "
                   "serving",
                   "set https_listen_address (e.g. \"127.0.0.1:8443\") to redirect locally too");
  }
}

}  // namespace

void CheckHttps(Report& report) {
  const config::Settings& s = report.settings();
  CheckRedirect(report);
  WarnUnusedAws(report);
  if (s.https_listen_address.empty()) {
    WarnUnusedLocal(report);
    if (!s.certificate_arn.empty()) CheckSslPolicy(report);  // the AWS listener's
    return;
  }
  CheckHttpsAddress(report);
  CheckSslPolicy(report);
  if (s.certificate_file.empty() != s.private_key_file.empty()) {
    const bool key_missing = s.private_key_file.empty();
    report.Error(key_missing ? "certificate_file" : "private_key_file", "certificate-pair",
                 key_missing ? "certificate_file is set without private_key_file"
                             : "private_key_file is set without certificate_file",
                 "set both (PEM files, relative to this file's directory), or neither for a "
                 "self-signed certificate");
  }
  for (size_t i = 0; i < s.additional_certificates.size(); ++i) {
    const config::CertificateSettings& extra = s.additional_certificates[i];
    if (!extra.certificate_file.empty() && !extra.private_key_file.empty()) continue;
    const std::string path = "additional_certificates." + std::to_string(i);
    report.Error(path, "certificate-pair",
                 "additional_certificates[" + std::to_string(i) +
                     "] needs both certificate_file and private_key_file",
                 "write { certificate_file = \"b.pem\", private_key_file = \"b.key\" }");
  }
}

}  // namespace drydock::validate
