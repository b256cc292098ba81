#include "harness/rehearsal/rehearsal_monitor.h"

#include <fmt/format.h>

#include <mutex>
#include <optional>

#include "fakes/common/admin_api.h"
#include "harness/rehearsal/container_metrics.h"
#include "harness/rehearsal/rehearsal_report.h"
#include "harness/topology/third_party_fakes.h"
#include "harness/topology/topology.h"

namespace mepsim {

std::vector<rules::Violation> ViolationTracker::fresh(const std::vector<rules::Violation>& all) {
  std::vector<rules::Violation> out;
  for (const auto& v : all) {
    if (seen_.size() >= kAnnouncedMax) break;
    const std::string key =
        fmt::format("{}\n{}\n{}", v.rule, v.at.time_since_epoch().count(), v.summary);
    if (seen_.insert(key).second) out.push_back(v);
  }
  return out;
}

std::string violation_line(const rules::Violation& violation) {
  return fmt::format("violation {} at {}: {}", violation.rule, format_iso8601(violation.at),
                     violation.summary);
}

struct RehearsalMonitor::State {
  State(Topology& t, EventLog& l, Clock& c, RehearsalMonitorOptions o,
        std::function<void(const std::string&)> a)
      : topology(t),
        log(l),
        clock(c),
        options(std::move(o)),
        announce(std::move(a)),
        started(c.now()),
        platform_start(t.platform_clock().now()),
        secrets(secrets_of(t.env())) {}

  report::RunReport report() const {
    RehearsalInputs in;
    in.tool_version = options.tool_version;
    in.seed = options.seed;
    in.fingerprint = log.fingerprint();
    in.timeline = log.retained();
    in.measurements = measure_web_containers(topology);
    in.rules = options.rules;
    in.started_at = format_iso8601(started);
    in.wall_s = std::chrono::duration<double>(clock.now() - started).count();
    in.platform_start = platform_start;
    in.time_scale = options.time_scale;
    return rehearsal_report(std::move(in));
  }

  Topology& topology;
  EventLog& log;
  Clock& clock;
  const RehearsalMonitorOptions options;
  const std::function<void(const std::string&)> announce;
  const Instant started;
  const Instant platform_start;
  const std::vector<std::string> secrets;
  mutable std::mutex mutex;  // over the tracker and live: poll() may run on a caller's thread too
  ViolationTracker tracker;
  std::vector<rules::Violation> live;  // the last evaluation's
};

RehearsalMonitor::RehearsalMonitor(Topology& topology, EventLog& log, Clock& real_clock,
                                   RehearsalMonitorOptions options,
                                   std::function<void(const std::string&)> announce)
    : state_(std::make_shared<State>(topology, log, real_clock, std::move(options),
                                     std::move(announce))) {}

RehearsalMonitor::~RehearsalMonitor() {
  stop();
  // The admin API may still hold the state for a request in flight; later ones get a 404.
  state_.reset();
}

void RehearsalMonitor::start() {
  std::weak_ptr<State> weak = state_;
  state_->topology.third_party().admin().register_document(
      kRehearsalDocument, [weak]() -> std::optional<nlohmann::json> {
        const auto state = weak.lock();
        if (!state) return std::nullopt;
        auto document = report::to_json(state->report());
        redact_secrets(document, state->secrets);
        return document;
      });
  thread_ = std::thread([this] {
    while (!stopping_.load()) {
      state_->clock.sleep(state_->options.poll_interval);
      if (!stopping_.load()) poll();
    }
  });
}

void RehearsalMonitor::stop() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
}

void RehearsalMonitor::poll() {
  // Nothing published since the last poll: the same timeline gives the same violations.
  const auto published = state_->log.published_count();
  if (published == last_published_.exchange(published)) return;
  auto options = state_->options.rules;
  options.final = false;
  const auto violations = rules::evaluate(state_->log.retained(), options);
  std::vector<rules::Violation> fresh;
  {
    std::lock_guard lock(state_->mutex);
    fresh = state_->tracker.fresh(violations);
    state_->live = violations;
  }
  for (const auto& v : fresh) state_->announce(redact_secrets(violation_line(v), state_->secrets));
}

std::vector<rules::Violation> RehearsalMonitor::live_violations() const {
  std::lock_guard lock(state_->mutex);
  return state_->live;
}

report::RunReport RehearsalMonitor::report() const {
  return state_->report();
}

nlohmann::json RehearsalMonitor::report_json() const {
  auto document = report::to_json(state_->report());
  redact_secrets(document, state_->secrets);
  return document;
}

}  // namespace mepsim
