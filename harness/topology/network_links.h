#pragma once
// The network between the web containers and what they call, when a topology runs with
// `network_faults`: one FaultProxy per link ("mysql", "redis", "sentry", "brevo",
// "geocoding"), each on a loopback port of its own, on an io_context served by a thread of
// its own. The apps' variables (DATABASE_URL, REDIS_URL, SENTRY_DSN, MAILER_DSN,
// GEOCODING_API_URL) point at the proxies; the harness (fixtures, lost-write checks,
// expectations) keeps talking to the servers directly, so that a fault on a link hurts the
// app and never the judge.
//
// Review apps created later get their datastores directly (ReviewAppDatastores), and
// Mattermost has no link: the containers never call it, only the procedure's people do.
//
// Thread-safety: every member may be called from any thread.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/net/fault_proxy.h"
#include "sim/platform/platform_profile.h"

namespace mepsim {

namespace fakes {
class AdminApi;
}  // namespace fakes

// Where "scheme://[userinfo@]host:port[/…]" goes. IPv4 addresses and names only.
struct UrlAddress {
  std::string host;
  std::uint16_t port = 0;
};
// Nullopt when `url` has no explicit port.
std::optional<UrlAddress> url_address(std::string_view url);
// The same URL, reaching `to` instead (userinfo, path and query kept).
std::string with_url_address(std::string_view url, const UrlAddress& to);

// A network fault's event: "fault.healed" for pass-through, else "fault.injected"; its fields
// are kind "network", the link and, when injected, the faults set ("latency+bandwidth") and
// the policy as JSON.
std::string network_fault_event(const FaultPolicy& policy);
std::vector<Field> network_fault_fields(const std::string& link, const FaultPolicy& policy);

class NetworkLinks {
 public:
  // The app variables that get a link, and the link each gets.
  static const std::vector<std::pair<std::string, std::string>>& routed_variables();

  // `clock` runs in real time and outlives this object; `rng` is this object's own stream,
  // each link forks its own from it by name.
  NetworkLinks(Clock& clock, Rng rng);
  ~NetworkLinks();  // stop()
  NetworkLinks(const NetworkLinks&) = delete;
  NetworkLinks& operator=(const NetworkLinks&) = delete;

  // Every app's routed variables of `profile` pointed at the link's proxy, each made on
  // first use; a link already made must lead where the variable does.
  Result<void> route(platform::PlatformProfile& profile);
  // The proxy of `link` to `upstream`, listening from now on; its port.
  Result<std::uint16_t> open(const std::string& link, const UrlAddress& upstream);

  std::vector<std::string> links() const;  // sorted
  // Fails naming the links there are when `link` is not one of them.
  Result<void> set_policy(const std::string& link, const FaultPolicy& policy);
  Result<FaultPolicy> policy(const std::string& link) const;
  std::map<std::string, FaultCounters> counters() const;
  // {"mysql": {"upstream": "127.0.0.1:3306", "port": 40001, "policy": {…}, "connections": 4,
  //  "bytes_to_server": …, "faults_fired": {"latency": 12}}, …}
  nlohmann::json to_json() const;
  std::vector<Endpoint> endpoints() const;
  // The links on the admin API (GET /network, PUT and DELETE /network/{link}), each change
  // published with `publish` (name, fields). The API must stop before this object goes.
  void serve_on(fakes::AdminApi& admin,
                std::function<void(std::string name, std::vector<Field> fields)> publish);

  // Resets every connection and stops the io thread; idempotent.
  void stop();

 private:
  struct Link {
    UrlAddress upstream;
    std::unique_ptr<FaultProxy> proxy;
  };
  Result<FaultProxy*> find(const std::string& link) const;

  Clock& clock_;
  Rng rng_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, Link> links_;  // a handful: one per routed link
};

}  // namespace mepsim
