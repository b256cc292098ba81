#include "harness/load/mode_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/net/http_probe.h"

namespace mepsim::load {
namespace {

// Interleaved with the load's own requests, the router's round robin lands the probe on
// old and new containers alike while both are listed: eight answers per container in a
// row, all new, leave a chance of about 2^-16 that an old one was still listed.
constexpr std::size_t kRunPerContainer = 8;
constexpr std::size_t kRunMin = 16;
constexpr auto kAnswerTimeout = std::chrono::seconds(2);

}  // namespace

std::string_view to_string(ServedMode mode) {
  switch (mode) {
    case ServedMode::live:
      return "live";
    case ServedMode::banner:
      return "banner";
    case ServedMode::maintenance:
      return "maintenance";
  }
  return "live";
}

ServedMode served_mode(bool maintenance, bool banner) {
  if (maintenance) return ServedMode::maintenance;
  return banner ? ServedMode::banner : ServedMode::live;
}

Result<ModeAnswer> parse_mode_answer(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("maintenance") || !j["maintenance"].is_boolean() ||
      !j.contains("banner") || !j["banner"].is_boolean()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("health answer without maintenance/banner: {}",
                                  body.substr(0, std::min<std::size_t>(body.size(), 120))));
  }
  ModeAnswer answer;
  answer.container = j.value("container", "");
  answer.mode = served_mode(j["maintenance"].get<bool>(), j["banner"].get<bool>());
  return answer;
}

ModeRun::ModeRun(ServedMode want, int containers)
    : want_(want),
      containers_(static_cast<std::size_t>(std::max(containers, 1))),
      needed_(std::max(kRunMin, kRunPerContainer * containers_)) {}

bool ModeRun::add(const ModeAnswer& answer, Instant asked_at) {
  if (answer.mode != want_) {
    reset();
    return false;
  }
  if (run_ == 0) run_started_at_ = asked_at;
  ++run_;
  if (std::find(seen_.begin(), seen_.end(), answer.container) == seen_.end()) {
    seen_.push_back(answer.container);
  }
  return run_ >= needed_ && seen_.size() >= containers_;
}

void ModeRun::reset() {
  run_ = 0;
  seen_.clear();
}

Result<Duration> wait_for_mode(const ModeProbeOptions& options, ServedMode want, Instant since,
                               Clock& clock) {
  ModeRun run(want, options.containers);
  const Instant deadline = since + options.timeout;
  while (clock.now() < deadline) {
    const Instant asked_at = clock.now();
    auto reply = http_get_loopback(options.router_port, "/_mepsim/health", kAnswerTimeout);
    if (!reply || reply->status != 200) {
      run.reset();
    } else if (auto answer = parse_mode_answer(reply->body); !answer) {
      return answer.error();
    } else if (run.add(answer.value(), asked_at)) {
      return run.started_at() - since;
    }
    clock.sleep(options.interval);
  }
  return make_error(
      ErrorCode::timeout,
      fmt::format("the app did not serve {} on every container within {} s", to_string(want),
                  std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()));
}

}  // namespace mepsim::load
