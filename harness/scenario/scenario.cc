#include "harness/scenario/scenario.h"

#include <fmt/format.h>

namespace mepsim::scenario {

std::string SourcePos::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

const char* to_string(UserClass c) {
  switch (c) {
    case UserClass::anonymous:
      return "anonymous";
    case UserClass::usager:
      return "usager";
    case UserClass::partner:
      return "partner";
    case UserClass::admin:
      return "admin";
    case UserClass::api:
      return "api";
  }
  return "unknown";
}

bool CountRange::contains(std::int64_t n) const {
  return (!min || n >= *min) && (!max || n <= *max);
}

std::string CountRange::str() const {
  if (min && max) return *min == *max ? fmt::format("{}", *min) : fmt::format("{}..{}", *min, *max);
  if (min) return fmt::format("≥ {}", *min);
  if (max) return fmt::format("≤ {}", *max);
  return "any";
}

const std::vector<std::string>& rule_ids() {
  static const std::vector<std::string> ids = {
      "R1-ci-gate",         "R2-prod-from-main",     "R3-review-apps-closed", "R4-semver-tag",
      "R5-release-note",    "R6-announce",           "R7-demo-parity",        "R8-banner-first",
      "R9-restart-applies", "R10-maintenance-scope", "R11-sentry-watch",
  };
  return ids;
}

}  // namespace mepsim::scenario
