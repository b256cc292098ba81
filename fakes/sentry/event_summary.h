#pragma once
// What the issue store reads from one event payload, as Sentry renders it: the grouping
// key (the fingerprint, else the exception type and top in-app frame, else the message),
// the title ("TypeError: x is undefined"), the culprit (the top in-app frame's function,
// or module) and the fields issues are counted by. Pure; never throws on the payload.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/result.h"

namespace mepsim::fakes::sentry {

struct EventSummary {
  std::string event_id;  // "" when the payload has none
  std::string group_key;
  std::string title;
  std::string culprit;
  std::string level = "error";
  std::string release;
  std::string environment;
  std::string platform;
  std::string message;  // the message, or "Type: value" for an exception
  std::string exception_type;
  std::string exception_value;
  std::map<std::string, std::string> tags;
};

// invalid_input naming the field when the payload is not an event object, or a field the
// summary reads has the wrong type (stricter than Relay, which would drop the field).
Result<EventSummary> summarize_event(const nlohmann::json& payload);

}  // namespace mepsim::fakes::sentry
