#include "harness/runner/report_markers.h"

#include <fmt/format.h>

#include <optional>
#include <set>

namespace mepsim::runner {
namespace {

bool deployment_finished(const std::string& status) {
  static const std::set<std::string> final = {"success",       "build-error", "crashed-error",
                                              "timeout-error", "hook-error",  "aborted"};
  return final.contains(status);
}

std::optional<report::Marker> marker_of(const Event& e) {
  if (e.component != "platform" && e.name.rfind("fault.", 0) != 0) return std::nullopt;
  const std::string& app = e.field("app");
  if (e.name == "deployment.status" && deployment_finished(e.field("status"))) {
    return report::Marker{0, e.at, "deployment",
                          fmt::format("{} {} {}", app, e.field("version"), e.field("status"))};
  }
  if (e.name == "operation.finished" && e.field("type") == "restart") {
    return report::Marker{0, e.at, "restart", app + " restarted"};
  }
  if (e.name == "event.edit_variables" || e.name == "event.new_variable" ||
      e.name == "event.delete_variable") {
    const std::string& data = e.field("type_data");
    const char* kind = data.find("MAINTENANCE_ENABLE") != std::string::npos   ? "maintenance"
                       : data.find("MAINTENANCE_BANNER") != std::string::npos ? "banner"
                                                                              : "variables";
    return report::Marker{0, e.at, kind, app + " variables changed"};
  }
  if (e.name.rfind("fault.", 0) == 0) {
    std::string label = e.field("kind");
    if (!app.empty()) label += " " + app;
    return report::Marker{0, e.at, "fault", label};
  }
  return std::nullopt;
}

double step_time_of(std::uint64_t seq, const std::vector<StepSpan>& spans) {
  for (const auto& span : spans) {
    if (seq >= span.first_seq && seq <= span.last_seq) return span.t_s;
  }
  return spans.empty() ? 0 : spans.back().t_s;
}

}  // namespace

std::vector<report::Marker> markers_of(const std::vector<Event>& timeline,
                                       const std::vector<StepSpan>& spans) {
  std::vector<report::Marker> out;
  for (const auto& e : timeline) {
    auto marker = marker_of(e);
    if (!marker) continue;
    marker->t_s = step_time_of(e.seq, spans);
    out.push_back(std::move(*marker));
  }
  return out;
}

}  // namespace mepsim::runner
