#include "harness/cli/load_dashboard.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "harness/cli/ci_command.h"

namespace mepsim::load_cli {
namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::optional<DashboardTarget> dashboard_target_for(const std::map<std::string, std::string>& env,
                                                    const std::string& target_url) {
  constexpr std::string_view kPrefix = "APP_URL_";
  const auto dashboard = env.find("MEPSIM_DASHBOARD_URL");
  if (dashboard == env.end() || dashboard->second.empty()) return std::nullopt;
  for (const auto& [key, value] : env) {
    if (!key.starts_with(kPrefix) ||
        without_trailing_slash(value) != without_trailing_slash(target_url)) {
      continue;
    }
    // APP_URL_HISTOLOGE_STAGING names histologe-staging, as `mepsim up` wrote it.
    std::string app;
    for (const char c : key.substr(kPrefix.size())) {
      app += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return DashboardTarget{dashboard->second, app};
  }
  return std::nullopt;
}

Result<std::unique_ptr<LoadDashboard>> LoadDashboard::start(const LoadCommandOptions& o,
                                                            const load::LoadOptions& settings,
                                                            load::LoadGenerator& load,
                                                            Clock& clock) {
  if (o.no_dashboard || !std::filesystem::exists(o.env_file))
    return std::unique_ptr<LoadDashboard>();
  auto env = ci_cli::read_env_file(o.env_file);
  if (!env) return env.error();
  const auto target = dashboard_target_for(env.value(), settings.target_url);
  if (!target) return std::unique_ptr<LoadDashboard>();
  load::DashboardPosterOptions options;
  options.dashboard_url = target->url;
  options.load_name = o.name ? *o.name : load::default_dashboard_name(target->app, getpid());
  auto poster = load::DashboardPoster::start(
      std::move(options), clock, [shown = target->url](const std::string& error) {
        fmt::print(stderr,
                   "mepsim load: the dashboard {} does not take the load's seconds ({}); the "
                   "load goes on, the seconds it misses are counted\n",
                   shown, error);
        std::fflush(stderr);
      });
  if (!poster) return poster.error().context("MEPSIM_DASHBOARD_URL");
  const Instant now = clock.now();
  const Instant load_start = now - std::chrono::duration_cast<Duration>(
                                       std::chrono::duration<double>(load.since_start_s(now)));
  return std::unique_ptr<LoadDashboard>(
      new LoadDashboard(std::move(poster).value(), load, load_start));
}

LoadDashboard::LoadDashboard(std::unique_ptr<load::DashboardPoster> poster,
                             load::LoadGenerator& load, Instant load_start)
    : poster_(std::move(poster)), load_(load), load_start_(load_start) {}

void LoadDashboard::tick() {
  std::vector<dashboard::LoadSecond> fresh;
  for (const auto& s : load_.closed_seconds_after(last_offered_)) {
    fresh.push_back(load::load_second_of(s, load_start_, std::nullopt));
    last_offered_ = s.second;
  }
  poster_->offer(std::move(fresh));
}

load::DashboardPosterCounts LoadDashboard::finish() {
  tick();
  // The lost writes are known once the run is over: its last second is sent again with
  // them, and replaces the one the dashboard holds.
  const auto report = load_.report();
  if (report.writes.lost && !report.series.empty()) {
    poster_->offer({load::load_second_of(report.series.back(), load_start_, report.writes.lost)});
  }
  return poster_->finish();
}

nlohmann::json LoadDashboard::report_json(const load::DashboardPosterCounts& c) const {
  return {{"url", poster_->options().dashboard_url},
          {"name", poster_->options().load_name},
          {"offered", c.offered},
          {"posted", c.posted},
          {"dropped", c.dropped},
          {"last_error", c.last_error}};
}

}  // namespace mepsim::load_cli
