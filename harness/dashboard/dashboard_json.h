#pragma once
// The JSON shapes the dashboard page reads, shared by the live topology and a finished
// run's report: a timeline event, a violation, a chart. Every string is bounded, and
// nothing here is a secret: event fields are masked by the event log already, and
// variables' values are masked by mask_variable_value.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/svg_chart.h"
#include "harness/rules/procedure_rules.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"

namespace mepsim::dashboard {

// "seconds[1].p99_ms: missing": the refusal of one field of a posted or opened JSON body.
inline Error field_error(const std::string& where, std::string_view what) {
  return make_error(ErrorCode::invalid_input, where + ": " + std::string(what));
}

// Field values longer than this are cut: a release note or a message is not shown whole.
inline constexpr std::size_t kFieldBytesMax = 300;

// {"seq", "at", "time", "plane", "component", "name", "kind", "label", "fields": {k: v}}:
// kind and label as the report's timeline names them ("deployment", "maintenance"…),
// "event" and the event's name for the others.
nlohmann::json event_json(const Event& event);

// {"rule", "description", "at", "time", "summary", "evidence": {k: v}, "events": [seq]}.
nlohmann::json violation_json(const rules::Violation& violation);
// What tells two violations apart (the page drops one it has already).
std::string violation_key(const rules::Violation& violation);

// {"id", "title", "svg"}: the chart drawn as the HTML report draws it.
nlohmann::json chart_json(const report::Chart& chart);

// What the page may show of a variable's value: "[masked]" when the name looks secret
// (password, token, secret, key, dsn…), else the value with any URL's credentials
// replaced ("mysql://user:***@host/db"), cut to kFieldBytesMax.
std::string mask_variable_value(std::string_view name, std::string_view value);
// `text` with the password of every "scheme://user:password@" (or the key of a
// "scheme://key@") replaced by "***".
std::string mask_url_credentials(std::string_view text);

// The JSON on one line, invalid UTF-8 replaced: what an SSE data line carries.
std::string dump_line(const nlohmann::json& document);

}  // namespace mepsim::dashboard
