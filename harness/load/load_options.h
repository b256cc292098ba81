#pragma once
// What a load run is told: the target, the arrival rate (open loop) or the connections
// (closed loop), the mix of user classes, the accounts the logged-in classes use.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::load {

using scenario::UserClass;

struct Account {
  std::string email;
  std::string role;  // "ROLE_ADMIN", "ROLE_USER_PARTNER"…
  UserClass user_class = UserClass::partner;
};

// The replica's fixture users that can log in (sim/web/fixtures.h lists them), by class:
// admin-01 is the admin; territory admins, partner admins and partner users are
// partners; usager-01 the usager; api-01 the API client.
std::vector<Account> fixture_accounts();

struct LoadOptions {
  std::string name = "load";
  std::string app = "histologe";  // for reports and events
  std::string target_url;         // http://127.0.0.1:PORT (the app's router)
  double rate_per_s = 20;         // open loop: arrivals per second
  // A linear ramp from rate_per_s to this over the whole duration (which it needs).
  std::optional<double> ramp_to_rate_per_s;
  bool closed = false;  // closed loop: `connections` exchanges in flight, back to back
  // Open loop: at most this many requests in flight (each on its own keep-alive
  // connection); arrivals past it wait, their latency counted from their intended time.
  int connections = 16;
  std::map<UserClass, double> mix_percent;  // sums to 100; empty: all anonymous
  std::optional<Duration> duration;         // absent: until stop()
  std::string password;                     // the fixture users' shared password
  std::vector<Account> accounts = fixture_accounts();
  std::uint64_t seed = 1;  // which user does what (through mepsim::Rng)

  // Additions beyond the scenario runner's needs.
  // Every request a GET of this path, anonymous, no flows: for comparisons with wrk.
  std::optional<std::string> fixed_path;
  int threads = 1;  // shards, each an io_context on its own thread with its own users
  Duration request_timeout = std::chrono::seconds(30);
  // After stop() (or the duration), how long requests in flight may still finish.
  Duration stop_grace = std::chrono::seconds(5);
  std::string initial_phase = "load";  // until the first mark_phase
  // How long a user reads a page before its next request, for every class; absent: each
  // class's own (anonymous 10 s, usager 20 s, partner and admin 10 s, api 2 s). It sizes
  // the population at the start (users = rate × share × think time, at least one); a
  // class whose users are all busy when its next request is due gets one more.
  std::optional<Duration> think_time;
};

// Checks the options before anything starts; the message names the option.
Result<void> validate(const LoadOptions& options);

// "anonymous", "usager", "partner", "admin", "api".
const char* class_name(UserClass c);
std::optional<UserClass> class_from_name(std::string_view name);
inline constexpr UserClass kAllClasses[] = {UserClass::anonymous, UserClass::usager,
                                            UserClass::partner, UserClass::admin, UserClass::api};

}  // namespace mepsim::load
