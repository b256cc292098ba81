// Steps that send traffic to an app: http, sessions, load.

#include <fmt/format.h>

#include <cmath>

#include "harness/scenario/duration_text.h"
#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::steps {
namespace {

constexpr const char* kDefaultApp = "histologe";
// Above this an open-loop generator on one shared machine measures itself, not the app.
constexpr double kMaxRatePerS = 100'000;

HttpExpect http_expect(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "http expect");
  HttpExpect expect;
  map.get("status", expect.status, yaml::integer<int>(100, 599));
  map.get("location", expect.location, yaml::name);
  map.get("headers", expect.headers, yaml::text_map);
  map.get("body_contains", expect.body_contains, yaml::text_or_list);
  map.get("body_lacks", expect.body_lacks, yaml::text_or_list);
  return expect;
}

std::string on_app(const std::string& app) {
  return app == kDefaultApp ? std::string() : fmt::format(" on {}", app);
}

// `{anonymous: 70, admin: 30}`: user classes to shares that sum to 100.
std::map<UserClass, double> load_mix(yaml::Diagnostics& diag, const YAML::Node& value) {
  const auto errors_before = diag.count();
  std::map<UserClass, double> mix;
  double sum = 0;
  {
    yaml::MapCursor map(diag, value, "load mix");
    for (const auto& entry : map.take_rest()) {
      const auto user = yaml::user_class(diag, entry.key_node, "mix");
      const auto share = yaml::number(0, 100)(diag, entry.value, entry.key);
      if (!user || !share) continue;
      mix[*user] = *share;
      sum += *share;
    }
  }
  if (diag.count() == errors_before && std::abs(sum - 100) > 1e-6) {
    diag.error(value, fmt::format("load mix shares sum to {}, not 100", sum));
  }
  return mix;
}

LoadStart load_start(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "load start");
  LoadStart start;
  map.get_required("name", start.name, yaml::name);
  map.get("app", start.app, yaml::name);
  map.get("rate", start.rate_per_s, yaml::number(0.001, kMaxRatePerS));
  if (const auto mix = map.take("mix")) start.mix_percent = load_mix(diag, *mix);
  if (start.mix_percent.empty()) start.mix_percent[UserClass::anonymous] = 100;
  map.get("duration", start.duration, yaml::duration);
  return start;
}

}  // namespace

StepDraft parse_http(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "http step");
  HttpStep step;
  map.get("as", step.as, yaml::user_class);
  map.get("user", step.user, yaml::name);
  map.get("app", step.app, yaml::name);
  map.get("method", step.method,
          yaml::one_of({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}));
  if (map.get("path", step.path, yaml::name) && step.path.front() != '/') {
    diag.error(map.value_pos("path"), fmt::format("http path '{}' must start with '/'", step.path));
  }
  map.get("form", step.form, yaml::text_map);
  if (const auto json = map.take("json", true)) {
    step.json = yaml::to_json(*json);
    if (map.has("form")) {
      diag.error(map.key_pos("json"), "an http step sends 'form' or 'json', not both");
    }
  }
  map.get("headers", step.headers, yaml::text_map);
  if (const auto expect = map.take("expect")) step.expect = http_expect(diag, *expect);
  auto description = fmt::format("http {} {} as {}{}", step.method, step.path, to_string(step.as),
                                 on_app(step.app));
  return {std::move(step), std::move(description)};
}

StepDraft parse_sessions(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "sessions step");
  SessionsStep step;
  map.get_required("cohort", step.cohort, yaml::name);
  map.get("as", step.as, yaml::user_class);
  map.get("count", step.count, yaml::integer<int>(1, 1000));
  map.get("app", step.app, yaml::name);
  auto description = fmt::format("sessions {}: {} {}{}", step.cohort, step.count,
                                 to_string(step.as), on_app(step.app));
  return {std::move(step), std::move(description)};
}

StepDraft parse_load(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "load step");
  const auto action = map.choose({"start", "stop"});
  const auto node = action ? map.take(*action) : std::nullopt;
  if (action == "stop") {
    LoadStop stop;
    if (node) stop.name = yaml::name(diag, *node, "stop").value_or("");
    auto description = fmt::format("load stop {}", stop.name);
    return {LoadStep{std::move(stop)}, std::move(description)};
  }
  auto start = node ? load_start(diag, *node) : LoadStart{};
  auto description =
      fmt::format("load start {}: {}/s{}", start.name, start.rate_per_s, on_app(start.app));
  if (start.duration) description += " for " + format_duration(*start.duration);
  return {LoadStep{std::move(start)}, std::move(description)};
}

}  // namespace mepsim::scenario::steps
