#pragma once
// What the fault-step suites share: one topology on virtual time for a whole suite (made by
// the suite's SetUpTestSuite with its options), a RunContext for steps, and the few things
// the tests ask of it — the app through its router as a partner, the last control-plane
// event of a name, the faults the run used.

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner/fault_steps.h"
#include "harness/runner/virtual_time.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/datastore/scratch_dir.h"

namespace mepsim::testing {

inline constexpr const char* kFaultPartner = "user-13-01@signal-logement.fr";

// The PHPSESSID a Set-Cookie header gives, or "".
inline std::string session_of(const httplib::Result& reply) {
  if (!reply) return {};
  for (const auto& [name, value] : reply->headers) {
    if (name != "Set-Cookie" || value.rfind("PHPSESSID=", 0) != 0) continue;
    return value.substr(10, value.find(';') - 10);
  }
  return {};
}

// mepsim-web keeps a Redis and a MySQL connection per thread and drops one only after a
// request failed on it: once a datastore is back, each thread of each of histologe's two
// containers (4 threads by default) may answer one 503 before it reconnects.
inline constexpr int kStaleConnectionsMax = 2 * 4;

inline int status_of(const httplib::Result& reply) {
  return reply ? reply->status : 0;
}

// Asks until `request` answers `status`: how many other answers came first, or -1 when
// none of kStaleConnectionsMax + 1 tries did.
inline int answers_before(int status, const std::function<int()>& request) {
  for (int tries = 0; tries <= kStaleConnectionsMax; ++tries) {
    if (request() == status) return tries;
  }
  return -1;
}

// `Seed` tells the suites apart: each gets its own statics, its own topology and seed.
template <std::uint64_t Seed>
class FaultTopologySuite : public ::testing::Test {
 protected:
  static void start_topology(TopologyOptions options, const std::string& clone_name) {
    options.virtual_time = true;
    options.web_binary = MEPSIM_WEB_BINARY;
    auto started = Topology::start(options, clock_, rng_, log_);
    ASSERT_TRUE(started) << started.error().message;
    topology_ = std::move(started.value());
    auto clone = ScratchDir::create(clone_name);
    ASSERT_TRUE(clone) << clone.error().message;
    clone_ = std::make_unique<ScratchDir>(std::move(clone.value()));
  }
  static void TearDownTestSuite() {
    topology_.reset();
    clone_.reset();
  }
  void SetUp() override { ASSERT_TRUE(topology_) << "the topology did not start"; }

  static runner::RunContext context() {
    return runner::RunContext{.topology = *topology_,
                              .log = log_,
                              .real_clock = clock_,
                              .clone_dir = clone_->path(),
                              .env = topology_->env(),
                              .mepsim_binary = {},
                              .seed = Seed,
                              .users = nullptr,
                              .rule_options = {},
                              .load_report = {},
                              .lost_writes_now = {},
                              .settle = [] { runner::settle(*topology_); }};
  }
  static runner::StepOutcome run(const scenario::FaultStep& step) {
    auto ctx = context();
    return runner::run_fault_step(step, ctx);
  }
  static httplib::Client app_client(std::chrono::seconds read_timeout) {
    httplib::Client client(context().app_url("histologe"));
    client.set_connection_timeout(std::chrono::seconds(5));
    client.set_read_timeout(read_timeout);
    return client;
  }
  static httplib::Result get(const std::string& path, const std::string& session = "",
                             std::chrono::seconds read_timeout = std::chrono::seconds(10)) {
    httplib::Headers headers;
    if (!session.empty()) headers.emplace("Cookie", "PHPSESSID=" + session);
    return app_client(read_timeout).Get(path, headers);
  }
  // A partner's session after a login through the router, or "" when it did not log in.
  static std::string login(std::chrono::seconds read_timeout = std::chrono::seconds(10)) {
    auto reply = app_client(read_timeout)
                     .Post("/connexion",
                           std::string("email=") + kFaultPartner +
                               "&password=" + topology_->fixture_password(),
                           "application/x-www-form-urlencoded");
    if (!reply || reply->status != 302 || reply->get_header_value("Location") != "/bo") return "";
    return session_of(reply);
  }
  // The last control-plane event named `name`.
  static std::optional<Event> last_event(const std::string& name) {
    const auto events = log_.retained();
    const auto found = std::find_if(events.rbegin(), events.rend(),
                                    [&](const Event& e) { return e.name == name; });
    if (found == events.rend()) return std::nullopt;
    return *found;
  }
  static std::vector<std::string> faults_used() {
    auto ctx = context();
    return runner::faults_used(ctx);
  }
  static bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  static inline RealClock clock_;
  static inline Rng rng_{Seed};
  static inline EventLog log_{EventLog::kDefaultRetained};
  static inline std::unique_ptr<Topology> topology_;
  static inline std::unique_ptr<ScratchDir> clone_;
};

}  // namespace mepsim::testing
