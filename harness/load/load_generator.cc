#include "harness/load/load_generator.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cmath>

#include "harness/load/load_shard.h"
#include "sim/net/http_client.h"

namespace mepsim::load {
namespace {

namespace asio = boost::asio;

// Think time per class: how long a user of the class reads a page before the next. It
// sizes each class's population (Little's law: users = rate × think time), so that a
// user's requests come about this far apart while the schedule stays open.
constexpr std::array<double, kClassCount> kThinkTimeS = {10, 20, 10, 10, 2};

Result<void> check_clock(const Clock& clock) {
  if (dynamic_cast<const VirtualClock*>(&clock) != nullptr) {
    return make_error(ErrorCode::invalid_input, "the load generator needs a real clock");
  }
  if (const auto* real = dynamic_cast<const RealClock*>(&clock);
      real && real->time_scale() != 1.0) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("the load generator measures real time: its clock runs at "
                                  "scale {}, not 1",
                                  real->time_scale()));
  }
  return {};
}

Result<asio::ip::tcp::endpoint> resolve(const HttpUrl& url) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto found = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec || found.empty()) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("target_url: cannot resolve {}: {}", url.host, ec.message()));
  }
  return found.begin()->endpoint();
}

std::array<std::size_t, kClassCount> users_of_shard(const LoadOptions& o, std::size_t connections,
                                                    double shard_peak_rate_per_s) {
  std::array<std::size_t, kClassCount> users{};
  if (o.fixed_path) {
    users[class_index(UserClass::anonymous)] = connections;
    return users;
  }
  auto mix = o.mix_percent;
  if (mix.empty()) mix[UserClass::anonymous] = 100;
  for (const auto& [c, share] : mix) {
    if (share <= 0) continue;
    // A closed loop keeps every connection busy whatever class it draws: a user per
    // connection. An open loop needs rate × think time users, at least one.
    const double think_s = o.think_time ? std::chrono::duration<double>(*o.think_time).count()
                                        : kThinkTimeS[class_index(c)];
    const double wanted = o.closed ? static_cast<double>(connections)
                                   : std::ceil(shard_peak_rate_per_s * share / 100.0 * think_s);
    const auto capped =
        static_cast<std::size_t>(std::min(wanted, double{LoadShard::kUsersPerClassMax}));
    users[class_index(c)] = std::clamp<std::size_t>(capped, 1, LoadShard::kUsersPerClassMax);
  }
  return users;
}

}  // namespace

LoadGenerator::LoadGenerator(LoadOptions options, Clock& clock, EventLog* log)
    : options_(std::move(options)),
      clock_(clock),
      shared_(std::make_unique<LoadShared>(options_, clock, log)) {}

Result<std::unique_ptr<LoadGenerator>> LoadGenerator::start(LoadOptions options, Clock& real_clock,
                                                            EventLog* log) {
  if (auto valid = validate(options); !valid) return valid.error();
  if (auto clock = check_clock(real_clock); !clock) return clock.error();
  const auto url = parse_http_url(options.target_url).value();
  auto endpoint = resolve(url);
  if (!endpoint) return endpoint.error();

  std::unique_ptr<LoadGenerator> gen(new LoadGenerator(std::move(options), real_clock, log));
  const LoadOptions& o = gen->options_;
  LoadShared& shared = *gen->shared_;
  shared.endpoint = endpoint.value();
  shared.host = fmt::format("{}:{}", url.host, url.port);
  gen->phases_.push_back({o.initial_phase, {}, {}});

  const auto threads = static_cast<std::size_t>(o.threads);
  const double shard_rate = o.rate_per_s / static_cast<double>(threads);
  std::optional<double> shard_ramp;
  if (o.ramp_to_rate_per_s) shard_ramp = *o.ramp_to_rate_per_s / static_cast<double>(threads);
  const Rng seeds(o.seed);
  for (std::size_t i = 0; i < threads; ++i) {
    ShardPlan plan;
    plan.index = i;
    plan.connections = static_cast<std::size_t>(o.connections) / threads +
                       (i < static_cast<std::size_t>(o.connections) % threads ? 1 : 0);
    if (!o.closed) {
      // Shards interleave their arrivals instead of sending in step.
      const double offset_s = static_cast<double>(i) / o.rate_per_s;
      plan.schedule.emplace(
          shard_rate, shard_ramp, o.duration,
          std::chrono::duration_cast<Duration>(std::chrono::duration<double>(offset_s)));
    }
    const double peak = plan.schedule ? plan.schedule->peak_rate_per_s() : 0.0;
    plan.users = users_of_shard(o, plan.connections, peak);
    plan.seed = seeds.fork(fmt::format("shard-{}", i)).seed();
    if (i == 0) plan.tick = [g = gen.get()] { g->close_due_seconds(); };
    gen->shards_.push_back(std::make_unique<LoadShard>(shared, std::move(plan)));
  }
  shared.start = real_clock.now();
  gen->current_phase_since_ = shared.start;
  gen->phases_.front().first_start = shared.start;
  gen->phase_marks_.push_back({0, 0});
  for (auto& shard : gen->shards_) shard->start();
  return gen;
}

LoadGenerator::~LoadGenerator() {
  stop();
}

void LoadGenerator::mark_phase(const std::string& phase) {
  std::lock_guard lock(mutex_);
  if (stopped_at_) return;
  const Instant now = clock_.now();
  phases_[current_phase_].time_in += now - current_phase_since_;
  std::size_t id = 0;
  while (id < phases_.size() && phases_[id].name != phase) ++id;
  if (id == phases_.size()) {
    if (phases_.size() < ShardCounts::kPhasesMax) {
      phases_.push_back({phase, now, {}});
    } else {
      id = phases_.size() - 1;
    }
  }
  current_phase_ = id;
  current_phase_since_ = now;
  shared_->phase.store(static_cast<int>(id));
  const auto second = std::chrono::floor<std::chrono::seconds>(now - shared_->start).count();
  phase_marks_.push_back({std::max<std::int64_t>(second, 0), id});
}

void LoadGenerator::set_maintenance_expected(bool on) {
  shared_->maintenance_expected.store(on);
  shared_->maintenance_in_effect.store(on);
}

void LoadGenerator::set_maintenance_switching(bool expected) {
  shared_->maintenance_expected.store(expected);
  shared_->maintenance_in_effect.store(false);
}

bool LoadGenerator::maintenance_expected() const {
  return shared_->maintenance_expected.load();
}

void LoadGenerator::record_toggle(ToggleRecord toggle) {
  std::lock_guard lock(mutex_);
  toggles_.push_back(std::move(toggle));
}

double LoadGenerator::since_start_s(Instant at) const {
  return std::chrono::duration<double>(at - shared_->start).count();
}

void LoadGenerator::stop() {
  std::call_once(stop_once_, [this] {
    for (auto& shard : shards_) shard->stop();
    for (auto& shard : shards_) shard->join();
    std::lock_guard lock(mutex_);
    const Instant now = clock_.now();
    stopped_at_ = now;
    phases_[current_phase_].time_in += now - current_phase_since_;
    current_phase_since_ = now;
    const auto last = std::chrono::floor<std::chrono::seconds>(now - shared_->start).count();
    close_series(last + 1);
  });
}

std::vector<SecondSummary> LoadGenerator::closed_seconds_after(std::int64_t second) const {
  std::lock_guard lock(mutex_);
  const auto& seconds = series_.seconds();
  auto from = std::upper_bound(
      seconds.begin(), seconds.end(), second,
      [](std::int64_t s, const SecondSummary& summary) { return s < summary.second; });
  return {from, seconds.end()};
}

bool LoadGenerator::finished() const {
  if (shared_->duration_over.load()) return true;
  return std::all_of(shards_.begin(), shards_.end(), [](const auto& s) { return s->done(); });
}

void LoadGenerator::close_due_seconds() {
  std::lock_guard lock(mutex_);
  if (stopped_at_) return;
  const auto now_second =
      std::chrono::floor<std::chrono::seconds>(clock_.now() - shared_->start).count();
  // A second closes a full second after it ended: exchanges ending in it are counted.
  close_series(now_second - 1);
}

void LoadGenerator::close_series(std::int64_t before_second) {
  if (before_second <= next_second_to_close_) return;
  // Raised first: a shard recording into a second below it from now on counts it late
  // instead of writing into a bin already read.
  shared_->closed_before.store(before_second);
  for (std::int64_t s = next_second_to_close_; s < before_second; ++s) {
    SecondBin merged;
    merged.second = s;
    for (const auto& shard : shards_) {
      shard->read([&](const ShardCounts& counts) {
        if (const auto* bin = counts.seconds.find(s)) merged.merge(*bin);
      });
    }
    auto summary = SecondSummary::of(merged);
    // The phase in effect at the second's end: the last one marked in it or before.
    while (phase_marks_.size() > 1 && phase_marks_[1].second <= s) phase_marks_.pop_front();
    if (!phase_marks_.empty()) summary.phase = phases_[phase_marks_.front().phase].name;
    series_.push(std::move(summary));
  }
  next_second_to_close_ = before_second;
}

}  // namespace mepsim::load
