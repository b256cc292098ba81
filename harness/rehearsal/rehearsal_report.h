#pragma once
// The report of a rehearsal by hand (`mepsim up`, `mepsim shell`): the same model as a
// scenario run's, with one scenario named "rehearsal" holding the timeline so far, the
// procedure's violations on it (final), the marks of deployments, restarts and variable
// changes, and the measured session and cache figures.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/env/env_file.h"
#include "harness/report/run_report.h"
#include "harness/rules/procedure_rules.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim {

inline constexpr const char* kRehearsalScenarioName = "rehearsal";
// The admin API's document (GET {MEPSIM_ADMIN_URL}/_mepsim/rehearsal/report).
inline constexpr const char* kRehearsalDocument = "rehearsal/report";

struct RehearsalInputs {
  std::string tool_version;
  std::uint64_t seed = 0;
  std::string fingerprint;  // of the log so far
  std::vector<Event> timeline;
  nlohmann::json measurements = nlohmann::json::object();
  rules::RuleOptions rules;  // evaluated with final = true
  std::string started_at;    // wall clock, ISO 8601
  double wall_s = 0;         // since the topology was ready
  // Marks are placed on the real-time axis: platform time since `platform_start`, divided
  // by the platform clock's time scale.
  Instant platform_start{};
  double time_scale = 1.0;
};

report::RunReport rehearsal_report(RehearsalInputs inputs);

// The env file's secrets, as they could leak into a report: the values of secret-looking
// keys (tokens, passwords, keys, DSNs) and the passwords and keys inside URLs.
std::vector<std::string> secrets_of(const EnvEntries& env);
// Every string of `document` (keys too) with each secret replaced by "[redacted]".
void redact_secrets(nlohmann::json& document, const std::vector<std::string>& secrets);
std::string redact_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace mepsim
