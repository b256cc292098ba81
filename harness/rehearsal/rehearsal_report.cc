#include "harness/rehearsal/rehearsal_report.h"

#include <algorithm>
#include <set>

#include "harness/runner/report_markers.h"

namespace mepsim {
namespace {

using nlohmann::json;

// Shorter values are too likely to appear by chance ("0", "prod") to be replaced.
constexpr std::size_t kSecretBytesMin = 6;

void add_secret(std::vector<std::string>& out, std::string_view value) {
  if (value.size() >= kSecretBytesMin) out.emplace_back(value);
}

// scheme://user:password@host/… → the password; scheme://key@host/… (a DSN) → the key;
// …/hooks/<id> (a webhook whose URL is its capability) → the id.
void add_url_secrets(std::vector<std::string>& out, std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return;
  const auto authority = url.substr(scheme_end + 3);
  const auto at = authority.find('@');
  const auto slash = authority.find('/');
  if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
    const auto userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    add_secret(out, colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1));
  }
  if (const auto hooks = url.find("/hooks/"); hooks != std::string_view::npos) {
    add_secret(out, url.substr(hooks + 7));
  }
}

report::ScenarioReport rehearsal_scenario(RehearsalInputs& in) {
  report::ScenarioReport s;
  s.name = kRehearsalScenarioName;
  s.description =
      "A release rehearsed by hand (mepsim up, mepsim shell): the procedure's "
      "rules on what happened so far";
  s.tags = {"rehearsal"};
  s.seed = in.seed;
  s.fingerprint = in.fingerprint;
  s.wall_s = in.wall_s;
  in.rules.final = true;
  s.violations = rules::evaluate(in.timeline, in.rules);
  // Nothing is expected of a rehearsal by hand: every rule broken counts against it.
  std::set<std::string> broken;
  for (const auto& v : s.violations) broken.insert(v.rule);
  s.unexpected_violations.assign(broken.begin(), broken.end());
  s.passed = s.violations.empty();
  if (!s.passed) s.failure = s.violations.front().rule + ": " + s.violations.front().summary;
  s.markers = runner::markers_of(in.timeline, {});
  const double scale = in.time_scale > 0 ? in.time_scale : 1.0;
  for (auto& marker : s.markers) {
    const std::chrono::duration<double> since = marker.at - in.platform_start;
    marker.t_s = std::max(0.0, since.count() / scale);
  }
  s.timeline = std::move(in.timeline);
  s.measurements = std::move(in.measurements);
  return s;
}

}  // namespace

report::RunReport rehearsal_report(RehearsalInputs inputs) {
  report::RunReport out;
  out.tool_version = inputs.tool_version;
  out.seed = inputs.seed;
  out.fingerprint = inputs.fingerprint;
  out.started_at = inputs.started_at;
  out.wall_s = inputs.wall_s;
  out.scenarios.push_back(rehearsal_scenario(inputs));
  return out;
}

std::vector<std::string> secrets_of(const EnvEntries& env) {
  std::vector<std::string> out;
  for (const auto& [key, value] : env) {
    if (EventLog::is_secret_key(key)) add_secret(out, value);
    add_url_secrets(out, value);
  }
  // The longest first: a secret that contains another is replaced whole.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[redacted]");
    }
  }
  return text;
}

void redact_secrets(json& document, const std::vector<std::string>& secrets) {
  if (secrets.empty()) return;
  if (document.is_string()) {
    document = redact_secrets(document.get<std::string>(), secrets);
  } else if (document.is_array()) {
    for (auto& item : document) redact_secrets(item, secrets);
  } else if (document.is_object()) {
    json copy = json::object();
    for (auto& [key, value] : document.items()) {
      redact_secrets(value, secrets);
      copy[redact_secrets(key, secrets)] = std::move(value);
    }
    document = std::move(copy);
  }
}

}  // namespace mepsim
