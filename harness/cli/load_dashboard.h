#pragma once
// `mepsim load`'s side of the live dashboard: when the load targets an app of a running
// `mepsim up` (--app, or a --target that is one of its APP_URL_*), the env file's
// MEPSIM_DASHBOARD_URL gets each closed second of the load (dashboard_poster.h) under the
// load's name (--name, default "<app>-<pid>"). The control loop ticks it; the poster's
// thread sends. `--no-dashboard` turns it off.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/cli/load_command.h"
#include "harness/load/dashboard_poster.h"
#include "harness/load/load_generator.h"

namespace mepsim::load_cli {

struct DashboardTarget {
  std::string url;  // MEPSIM_DASHBOARD_URL
  std::string app;  // the app whose APP_URL_* is the load's target: "histologe-staging"
};

// The dashboard to post to, or none: the env's MEPSIM_DASHBOARD_URL when `target_url` is
// one of that topology's apps.
std::optional<DashboardTarget> dashboard_target_for(const std::map<std::string, std::string>& env,
                                                    const std::string& target_url);

class LoadDashboard {
 public:
  // Null when there is nothing to post to (--no-dashboard, no `mepsim up` in the env file).
  static Result<std::unique_ptr<LoadDashboard>> start(const LoadCommandOptions& options,
                                                      const load::LoadOptions& settings,
                                                      load::LoadGenerator& load, Clock& clock);
  // Offers the seconds closed since the last tick; never waits on the network.
  void tick();
  // After the load stopped (and its lost writes were checked): the last seconds, the last
  // one again with the lost writes, then a bounded wait for them to go.
  load::DashboardPosterCounts finish();
  // {"url", "name", "offered", "posted", "dropped", "last_error"}: for the JSON report.
  nlohmann::json report_json(const load::DashboardPosterCounts& counts) const;

 private:
  LoadDashboard(std::unique_ptr<load::DashboardPoster> poster, load::LoadGenerator& load,
                Instant load_start);
  std::unique_ptr<load::DashboardPoster> poster_;
  load::LoadGenerator& load_;
  const Instant load_start_;
  std::int64_t last_offered_ = -1;
};

}  // namespace mepsim::load_cli
