#include "harness/topology/topology.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "fakes/scalingo/scalingo_api.h"
#include "harness/profile/default_profile.h"
#include "harness/topology/app_database.h"
#include "harness/topology/app_routers.h"
#include "harness/topology/github_wiring.h"
#include "harness/topology/network_links.h"
#include "harness/topology/platform_clock_driver.h"
#include "harness/topology/review_app_datastores.h"
#include "harness/topology/settling_runtime.h"
#include "harness/topology/third_party_fakes.h"
#include "harness/topology/web_binary.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"
#include "sim/platform/source_provider.h"
#include "sim/process/child_process.h"

namespace mepsim {
namespace {

constexpr auto kAttachTimeout = std::chrono::seconds(5);

std::string local_url(std::uint16_t port) {
  return fmt::format("http://127.0.0.1:{}", port);
}
// How often the readiness wait asks the containers that do not answer yet.
constexpr auto kServingPoll = std::chrono::milliseconds(50);
// Enough of a crashed container's log to say why.
constexpr std::size_t kLogTailLines = 20;

// APP_URL_HISTOLOGE_STAGING for histologe-staging.
std::string app_url_key(const std::string& app) {
  std::string key = "APP_URL_";
  for (const char c : app) {
    key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

Result<void> check_mysql(const MysqlUrl& url) {
  auto connection = MysqlConnection::open(url, kAttachTimeout);
  if (!connection) return connection.error();
  auto rows = connection->query("SELECT 1");
  if (!rows) return rows.error();
  return {};
}

Result<void> check_redis(const RedisUrl& url) {
  auto connection = RedisConnection::open(url, kAttachTimeout);
  if (!connection) return connection.error();
  auto pong = connection->command({"PING"});
  if (!pong) return pong.error();
  return {};
}

}  // namespace

Topology::Topology(Clock& clock, EventLog& log)
    : clock_(clock), log_(log), source_(std::make_unique<platform::MapSourceProvider>()) {}

Topology::~Topology() {
  stop();
}

Result<std::unique_ptr<Topology>> Topology::start(const TopologyOptions& options, Clock& real_clock,
                                                  Rng& rng, EventLog& log) {
  std::unique_ptr<Topology> topology(new Topology(real_clock, log));
  // Bad input is refused before any server starts.
  auto profile = topology->load_profile(options);
  if (!profile) return profile.error();
  auto web_binary = find_web_binary(options.web_binary);
  if (!web_binary) return web_binary.error();
  topology->make_platform_clock(options);
  if (auto mysql = topology->start_mysql(options, rng); !mysql) return mysql.error();
  if (auto redis = topology->start_redis(options, rng); !redis) return redis.error();
  if (auto given = topology->give_apps_their_datastores(profile.value()); !given) {
    return given.error();
  }
  if (auto fakes = topology->start_third_party_fakes(profile.value(), rng); !fakes) {
    return fakes.error();
  }
  if (options.network_faults) {
    topology->network_links_ =
        std::make_unique<NetworkLinks>(real_clock, rng.fork("network-links"));
    if (auto routed = topology->network_links_->route(profile.value()); !routed) {
      return routed.error();
    }
  }
  Rng fixtures_rng = rng.fork("fixtures");
  topology->fixture_password_ = draw_fixture_password(fixtures_rng);
  if (auto web = topology->start_web_runtime(web_binary.value()); !web) return web.error();
  if (auto origin = topology->create_git_origin(profile.value()); !origin) return origin.error();
  if (auto prepared = topology->prepare_databases(profile.value()); !prepared) {
    return prepared.error();
  }
  if (auto platform = topology->start_platform(options, std::move(profile.value()), rng);
      !platform) {
    return platform.error();
  }
  if (auto serving = topology->wait_until_serving(options.serving_timeout); !serving) {
    return serving.error();
  }
  if (topology->network_links_) {
    topology->network_links_->serve_on(
        topology->third_party_->admin(),
        [platform = topology->platform_.get()](std::string name, std::vector<Field> fields) {
          platform->publish_event(std::move(name), std::move(fields));
        });
  }
  if (auto api = topology->start_scalingo_api(rng); !api) return api.error();
  if (auto github = topology->start_github(rng); !github) return github.error();
  return topology;
}

Result<void> Topology::start_mysql(const TopologyOptions& options, Rng& rng) {
  if (options.mysql_url) {
    auto url = parse_mysql_url(*options.mysql_url);
    if (!url) return url.error().context("--mysql-url");
    if (auto reached = check_mysql(url.value()); !reached) return reached.error();
    mysql_url_ = url.value();
    publish("mysql.attached", {{"url", mysql_url_.redacted()}});
    return {};
  }
  MariadbOptions mariadb_options;
  mariadb_options.server_program = options.mariadbd_program;
  Rng mariadb_rng = rng.fork("mariadb");
  auto server = MariadbServer::start(mariadb_options, clock_, mariadb_rng);
  if (!server) return server.error();
  mariadb_ = std::move(server.value());
  mysql_url_ = mariadb_->url();
  publish("mysql.started", {{"url", mysql_url_.redacted()},
                            {"flavour", mariadb_->flavour()},
                            {"pid", std::to_string(mariadb_->pid())}});
  return {};
}

Result<void> Topology::start_redis(const TopologyOptions& options, Rng& rng) {
  if (options.redis_url) {
    auto url = parse_redis_url(*options.redis_url);
    if (!url) return url.error().context("--redis-url");
    if (auto reached = check_redis(url.value()); !reached) return reached.error();
    redis_url_ = url.value();
    publish("redis.attached", {{"url", redis_url_.redacted()}});
    return {};
  }
  RedisOptions redis_options;
  redis_options.server_program = options.redis_server_program;
  Rng redis_rng = rng.fork("redis");
  auto server = RedisServer::start(redis_options, clock_, redis_rng);
  if (!server) return server.error();
  redis_ = std::move(server.value());
  redis_url_ = redis_->url();
  publish("redis.started",
          {{"url", redis_url_.redacted()}, {"pid", std::to_string(redis_->pid())}});
  return {};
}

EnvEntries Topology::env() const {
  EnvEntries entries{{"DATABASE_URL", mysql_url_.str()}, {"REDIS_URL", redis_url_.str()}};
  if (scalingo_) {
    // The auth service's token exchange is served by the same fake.
    entries.push_back({"SCALINGO_API_URL", scalingo_->base_url()});
    entries.push_back({"SCALINGO_AUTH_URL", scalingo_->base_url()});
    entries.push_back({"SCALINGO_API_TOKEN", scalingo_->api_token()});
    entries.push_back({"SCALINGO_REGION", platform_->profile().region});
  }
  if (routers_ && platform_) {
    for (const auto& app : platform_->profile().apps) {
      if (auto route = routers_->route(app.name)) {
        entries.push_back({app_url_key(app.name), local_url(route->port)});
      }
    }
  }
  if (third_party_) {
    const auto fakes = third_party_->env();
    entries.insert(entries.end(), fakes.begin(), fakes.end());
  }
  if (github_) {
    const auto repository = github_->env();
    entries.insert(entries.end(), repository.begin(), repository.end());
  }
  // The fixture users' password: for logging in, never an app variable.
  if (!fixture_password_.empty()) entries.push_back({"MEPSIM_FIXTURE_PASSWORD", fixture_password_});
  return entries;
}

std::vector<Endpoint> Topology::endpoints() const {
  std::vector<Endpoint> out;
  if (mariadb_) {
    out.push_back({"mysql", mysql_url_.redacted(),
                   fmt::format("started {}, pid {}, folder {}", mariadb_->flavour(),
                               mariadb_->pid(), mariadb_->folder().string())});
  } else {
    out.push_back({"mysql", mysql_url_.redacted(), "attached"});
  }
  if (redis_) {
    out.push_back({"redis", redis_url_.redacted(),
                   fmt::format("started Redis, pid {}, folder {}", redis_->pid(),
                               redis_->folder().string())});
  } else {
    out.push_back({"redis", redis_url_.redacted(), "attached"});
  }
  if (scalingo_) {
    out.push_back({"scalingo", scalingo_->base_url(),
                   fmt::format("Scalingo API fake, {} apps", platform_->apps().size())});
  }
  if (routers_ && platform_) {
    for (const auto& app : platform_->profile().apps) {
      if (auto route = routers_->route(app.name)) {
        out.push_back({"router", fmt::format("http://127.0.0.1:{}", route->port),
                       fmt::format("{}, {} web container{}", app.name, route->backends,
                                   route->backends == 1 ? "" : "s")});
      }
    }
  }
  if (third_party_) {
    const auto fakes = third_party_->endpoints();
    out.insert(out.end(), fakes.begin(), fakes.end());
  }
  if (github_) {
    const auto repository = github_->endpoints();
    out.insert(out.end(), repository.begin(), repository.end());
  }
  if (network_links_) {
    const auto links = network_links_->endpoints();
    out.insert(out.end(), links.begin(), links.end());
  }
  if (run_dir_) {
    out.push_back({"logs", run_dir_->path().string(), "containers and console, removed at stop"});
  }
  return out;
}

Result<platform::PlatformProfile> Topology::load_profile(const TopologyOptions& options) const {
  if (!options.profile_path) {
    return platform::parse_platform_profile(std::string(default_profile_yaml()),
                                            std::string(kDefaultProfileName));
  }
  std::ifstream in(*options.profile_path);
  if (!in) {
    return make_error(ErrorCode::invalid_input, "--profile: cannot read " + *options.profile_path);
  }
  std::stringstream text;
  text << in.rdbuf();
  return platform::parse_platform_profile(text.str(), *options.profile_path);
}

// Each app gets a database and a Redis database of its own on the shared servers, as its
// Scalingo add-ons would give it: DATABASE_URL and REDIS_URL are app variables.
Result<void> Topology::give_apps_their_datastores(platform::PlatformProfile& profile) {
  auto admin = MysqlConnection::open(mysql_url_, kAttachTimeout);
  if (!admin) return admin.error().context("creating the apps' databases");
  int redis_db = redis_url_.db;
  for (auto& app : profile.apps) {
    MysqlUrl db = mysql_url_;
    if (&app != &profile.apps.front()) {
      db.database = app.name;
      std::replace(db.database.begin(), db.database.end(), '-', '_');
      auto created = admin->execute("CREATE DATABASE IF NOT EXISTS `" + db.database +
                                    "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      if (!created) return created.error().context("creating the database of " + app.name);
    }
    RedisUrl cache = redis_url_;
    cache.db = redis_db++ % 16;
    app.variables["DATABASE_URL"] = db.str();
    app.variables["REDIS_URL"] = cache.str();
  }
  return {};
}

// The third parties' fakes come before the platform: each app's containers get their
// SENTRY_DSN, MAILER_DSN and GEOCODING_API_URL from them, as app variables.
Result<void> Topology::start_third_party_fakes(platform::PlatformProfile& profile, Rng& rng) {
  Clock& control_clock = virtual_time_ ? static_cast<Clock&>(*platform_clock_) : clock_;
  auto started = ThirdPartyFakes::start(profile, control_clock, clock_, rng, &log_);
  if (!started) return started.error();
  third_party_ = std::move(started.value());
  for (auto& app : profile.apps) {
    for (auto& [key, value] : third_party_->app_variables(app.name)) app.variables[key] = value;
  }
  for (const auto& endpoint : third_party_->endpoints()) {
    publish("fake.started", {{"name", endpoint.name}, {"url", endpoint.url_display}});
  }
  return {};
}

// Web containers are mepsim-web processes, behind one router per app; worker and clock
// stay model containers. Their logs go to a folder of the run, removed at stop.
Result<void> Topology::start_web_runtime(const std::filesystem::path& web_binary) {
  auto folder = ScratchDir::create("mepsim-run");
  if (!folder) return folder.error();
  run_dir_.emplace(std::move(folder.value()));
  platform::ProcessRuntimeOptions options;
  options.web_binary = web_binary;
  options.log_dir = run_dir_->path();
  processes_ = std::make_unique<platform::ProcessContainerRuntime>(std::move(options), clock_);
  routers_ = std::make_unique<AppRouters>(*processes_, log_, clock_);
  return {};
}

// Each app's database gets the schema of its initial release and the fixtures, before
// its first container asks for them.
Result<void> Topology::prepare_databases(const platform::PlatformProfile& profile) {
  for (const auto& app : profile.apps) {
    auto text = source().manifest_at(app.name, app.initial_ref);
    if (!text) return text.error().context("initial release of " + app.name);
    auto release = platform::parse_release_manifest(text.value(), app.initial_ref + ":app.yaml");
    if (!release) return release.error().context("initial release of " + app.name);
    auto prepared = prepare_app_database(*processes_, app, release.value(), fixture_password_);
    if (!prepared) return prepared.error();
    publish("database.prepared", {{"app", app.name}, {"version", release->version}});
  }
  return {};
}

Result<void> Topology::start_platform(const TopologyOptions& options,
                                      platform::PlatformProfile profile, Rng& rng) {
  // Every app of the profile has its URL, even one without web containers (503 there).
  for (const auto& app : profile.apps) {
    if (auto opened = routers_->open(app.name); !opened) return opened.error();
  }
  platform::ContainerRuntime* runtime = routers_.get();
  if (virtual_time_) {
    settling_ = std::make_unique<SettlingRuntime>(*routers_, clock_);
    runtime = settling_.get();
  }
  platform_ = std::make_unique<platform::Platform>(*platform_clock_, rng.fork("platform"), log_,
                                                   std::move(profile), source(), *runtime);
  if (auto booted = platform_->boot(); !booted)
    return booted.error().context("booting the platform");
  // An app's URL is where it answers here: its router.
  for (const auto& route : routers_->routes()) {
    if (auto set = platform_->set_app_url(route.app, local_url(route.port)); !set) {
      return set.error();
    }
  }
  // A scenario's runner moves the clock itself.
  if (!virtual_time_) {
    driver_ = std::make_unique<PlatformClockDriver>(*platform_, *platform_real_clock_,
                                                    options.time_scale);
  }
  return {};
}

// Made first: the fakes started before the platform keep their control-plane time on it.
void Topology::make_platform_clock(const TopologyOptions& options) {
  virtual_time_ = options.virtual_time;
  if (virtual_time_) {
    platform_clock_ = std::make_unique<VirtualClock>(options.virtual_start);
    return;
  }
  platform_real_clock_ = std::make_unique<RealClock>(options.time_scale);
  platform_clock_ = std::make_unique<VirtualClock>(platform_real_clock_->now());
}

// The initial containers were started at boot, with no boot time to wait: asking each
// one until it answers (real time; a release's boot_s is virtual) is what puts it behind
// its router. A container that exits meanwhile fails the start, quoting its log.
Result<void> Topology::wait_until_serving(Duration timeout) {
  const Instant deadline = clock_.now() + timeout;
  while (true) {
    std::vector<std::string> waiting;
    for (const auto& app : platform_->apps()) {
      auto containers = platform_->containers(app.name);
      if (!containers) return containers.error();
      for (const auto& c : containers.value()) {
        const std::string& handle = c.runtime_id;
        if (processes_->port_of(handle) == 0 || routers_->is_backend(handle)) continue;
        if (routers_->healthy(handle)) continue;
        const std::string name = app.name + " " + c.label;
        if (!routers_->booting(handle)) {
          return make_error(ErrorCode::internal,
                            fmt::format("web container {} exited at boot:\n{}", name,
                                        tail_of_file(processes_->log_of(handle), kLogTailLines)));
        }
        waiting.push_back(name);
      }
    }
    if (waiting.empty()) return {};
    if (clock_.now() >= deadline) {
      return make_error(
          ErrorCode::timeout,
          fmt::format("web containers not answering /_mepsim/health after {} s: {}",
                      std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
                      fmt::join(waiting, ", ")));
    }
    clock_.sleep(kServingPoll);
  }
}

// The profile's repository becomes a git origin in the run's folder; deployments (the
// initial releases included) read app.yaml from it. Without one, refs map to themselves.
Result<void> Topology::create_git_origin(const platform::PlatformProfile& profile) {
  if (!profile.repository) return {};
  auto wiring = GithubWiring::create(*profile.repository, run_dir_->path() / "origin");
  if (!wiring) return wiring.error();
  github_ = std::move(wiring.value());
  return {};
}

platform::SourceProvider& Topology::source() {
  if (github_) return github_->source();
  return *source_;
}

Result<void> Topology::start_github(Rng& rng) {
  if (!github_) return {};
  // Review apps (the open pull requests' ones first) get datastores of their own.
  std::set<int> redis_dbs_taken;
  for (std::size_t i = 0; i < platform_->profile().apps.size(); ++i) {
    redis_dbs_taken.insert((redis_url_.db + static_cast<int>(i)) % 16);
  }
  review_datastores_ = std::make_unique<ReviewAppDatastores>(
      mysql_url_, redis_url_, std::move(redis_dbs_taken), *processes_, source(), fixture_password_);
  auto hooks = review_datastores_->hooks(*platform_);
  // A review app answers at its own router from its creation: its URL is the app's `url`.
  hooks.created = [this, provide = std::move(hooks.created)](
                      const platform::App& app) -> Result<std::map<std::string, std::string>> {
    auto port = routers_->open(app.name);
    if (!port) return port.error();
    if (auto set = platform_->set_app_url(app.name, local_url(port.value())); !set) {
      return set.error();
    }
    return provide(app);
  };
  // A destroyed review app's URL stops answering, as on the real platform.
  hooks.destroyed = [this, remove = std::move(hooks.destroyed)](const platform::App& app) {
    remove(app);
    routers_->close_app(app.name);
  };
  platform_->set_lifecycle_hooks(std::move(hooks));
  fakes::Chaos* chaos = third_party_ ? &third_party_->chaos() : nullptr;
  if (auto started = github_->start(*platform_, *platform_clock_, *scalingo_, rng, log_, chaos);
      !started) {
    return started.error();
  }
  if (third_party_) github_->register_with(third_party_->admin());
  for (const auto& endpoint : github_->endpoints()) {
    publish("fake.started", {{"name", endpoint.name}, {"url", endpoint.url_display}});
  }
  return {};
}

Result<void> Topology::start_scalingo_api(Rng& rng) {
  scalingo_ = std::make_unique<fakes::scalingo::ScalingoApi>(*platform_, rng.fork("scalingo-api"));
  if (auto started = scalingo_->start(); !started) {
    return started.error().context("starting the Scalingo API fake");
  }
  publish("scalingo.started", {{"url", scalingo_->base_url()}});
  return {};
}

void Topology::stop() {
  // The fakes and the platform go first: they may still be using the datastores.
  // GitHub first: its deliveries would reach a Scalingo API that is going away.
  if (github_) github_->stop();
  if (scalingo_) scalingo_->stop();
  scalingo_.reset();
  if (third_party_) third_party_->stop();
  if (driver_) driver_->stop();
  driver_.reset();
  // The platform stops its containers as it goes: each is drained off its router, then
  // stopped (SIGTERM with grace) by the routers, which close here and wait for that.
  platform_.reset();
  settling_.reset();
  // The origin goes after the platform, which read its releases from it.
  github_.reset();
  review_datastores_.reset();
  if (routers_) routers_->close();
  routers_.reset();
  processes_.reset();
  // The containers are gone: nothing uses their links any more.
  network_links_.reset();
  run_dir_.reset();
  if (redis_) {
    const auto exit = redis_->stop();
    publish("redis.stopped", {{"exit_code", std::to_string(exit.code)}});
    redis_.reset();
  }
  if (mariadb_) {
    const auto exit = mariadb_->stop();
    publish("mysql.stopped", {{"exit_code", std::to_string(exit.code)}});
    mariadb_.reset();
  }
}

void Topology::publish(std::string name, std::vector<Field> fields) {
  // Ports, pids and passwords change from run to run: data plane, outside the fingerprint.
  log_.publish(clock_.now(), Plane::data, "datastore", std::move(name), std::move(fields));
}

}  // namespace mepsim
