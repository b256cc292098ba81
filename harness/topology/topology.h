#pragma once
// What `mepsim up` stands up: the datastores (launched or attached), each app's database
// migrated and loaded with fixtures, the platform with real web containers behind one
// router per app, and the Scalingo API fake. Each part adds its env-file keys.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/env/env_file.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/platform_profile.h"

namespace mepsim {

class MariadbServer;
class RedisServer;
class PlatformClockDriver;
class AppRouters;
class SettlingRuntime;
class ThirdPartyFakes;
class GithubWiring;
class ReviewAppDatastores;
class NetworkLinks;
namespace fakes::scalingo {
class ScalingoApi;
}  // namespace fakes::scalingo
namespace platform {
class Platform;
class MapSourceProvider;
class ProcessContainerRuntime;
class SourceProvider;
}  // namespace platform

struct TopologyOptions {
  std::optional<std::string> mysql_url;  // attach instead of launching
  std::optional<std::string> redis_url;
  std::string mariadbd_program = "mariadbd";
  std::string redis_server_program = "redis-server";
  // The platform's clock runs this many times faster than real time.
  double time_scale = 1.0;
  std::optional<std::string> profile_path;  // default: the built-in histologe profile
  std::optional<std::string> web_binary;    // default: mepsim-web next to mepsim
  // Real time for every app's web containers to answer before `ready`.
  Duration serving_timeout = std::chrono::seconds(60);
  // Scenario runs: the platform's clock starts at `virtual_start` and moves only when the
  // runner advances it (time_scale is then unused); the fakes' control-plane time is that
  // clock too, and the platform sees a container only once it has settled (healthy or
  // crashed), so that real boot times never change what the control plane decides.
  bool virtual_time = false;
  Instant virtual_start = default_scenario_start();
  // One fault proxy per link between the web containers and what they call (MySQL, Redis,
  // the third parties' fakes), pass-through until a fault is set (network_links.h).
  bool network_faults = false;
};

struct Endpoint {
  std::string name;         // "mysql", "redis", "router"…
  std::string url_display;  // secrets redacted
  std::string origin;       // "started MariaDB, pid 123" or "attached"
};

class Topology {
 public:
  // Starts (or reaches) everything; on failure stops what it had started and says what
  // failed. `real_clock` runs in real time: the datastores are real processes.
  static Result<std::unique_ptr<Topology>> start(const TopologyOptions& options, Clock& real_clock,
                                                 Rng& rng, EventLog& log);
  ~Topology();

  EnvEntries env() const;
  std::vector<Endpoint> endpoints() const;

  // The parts a scenario acts on and looks at.
  platform::Platform& platform() { return *platform_; }
  VirtualClock& platform_clock() { return *platform_clock_; }
  ThirdPartyFakes& third_party() { return *third_party_; }
  GithubWiring* github() { return github_.get(); }  // null without a repository
  AppRouters& routers() { return *routers_; }
  platform::ProcessContainerRuntime& processes() { return *processes_; }
  MariadbServer* mariadb() { return mariadb_.get(); }  // null when attached
  RedisServer* redis() { return redis_.get(); }        // null when attached
  // Null without network_faults.
  NetworkLinks* network_links() { return network_links_.get(); }
  const MysqlUrl& mysql_url() const { return mysql_url_; }
  const RedisUrl& redis_url() const { return redis_url_; }
  const std::string& fixture_password() const { return fixture_password_; }
  // Stops what this topology started, in reverse order; attached servers are left alone.
  void stop();

 private:
  Topology(Clock& clock, EventLog& log);
  Result<void> start_mysql(const TopologyOptions& options, Rng& rng);
  Result<void> start_redis(const TopologyOptions& options, Rng& rng);
  Result<platform::PlatformProfile> load_profile(const TopologyOptions& options) const;
  Result<void> give_apps_their_datastores(platform::PlatformProfile& profile);
  Result<void> start_web_runtime(const std::filesystem::path& web_binary);
  Result<void> prepare_databases(const platform::PlatformProfile& profile);
  void make_platform_clock(const TopologyOptions& options);
  Result<void> start_platform(const TopologyOptions& options, platform::PlatformProfile profile,
                              Rng& rng);
  Result<void> wait_until_serving(Duration timeout);
  Result<void> start_scalingo_api(Rng& rng);
  Result<void> start_third_party_fakes(platform::PlatformProfile& profile, Rng& rng);
  Result<void> create_git_origin(const platform::PlatformProfile& profile);
  Result<void> start_github(Rng& rng);
  platform::SourceProvider& source();
  void publish(std::string name, std::vector<Field> fields);

  Clock& clock_;
  EventLog& log_;
  MysqlUrl mysql_url_;
  RedisUrl redis_url_;
  std::unique_ptr<MariadbServer> mariadb_;
  std::unique_ptr<RedisServer> redis_;

  std::string fixture_password_;
  std::optional<ScratchDir> run_dir_;  // container and console logs
  std::unique_ptr<platform::ProcessContainerRuntime> processes_;
  std::unique_ptr<AppRouters> routers_;        // the platform's runtime: processes_ behind routers
  std::unique_ptr<SettlingRuntime> settling_;  // over routers_, in scenario runs

  bool virtual_time_ = false;
  std::unique_ptr<RealClock> platform_real_clock_;  // scaled; none on virtual time
  std::unique_ptr<VirtualClock> platform_clock_;
  std::unique_ptr<platform::MapSourceProvider> source_;
  std::unique_ptr<platform::Platform> platform_;
  std::unique_ptr<PlatformClockDriver> driver_;
  std::unique_ptr<fakes::scalingo::ScalingoApi> scalingo_;
  std::unique_ptr<ThirdPartyFakes> third_party_;  // Sentry, Brevo, geocoding, admin API
  // The git origin, GitHub, the Scalingo integration, Mattermost: when the profile has a
  // repository. Its origin outlives the platform, which reads releases from it.
  std::unique_ptr<GithubWiring> github_;
  std::unique_ptr<ReviewAppDatastores> review_datastores_;  // the platform's lifecycle hooks
  // The apps' links to what they call, with network_faults.
  std::unique_ptr<NetworkLinks> network_links_;
};

}  // namespace mepsim
