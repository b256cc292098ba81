#pragma once
// A Redis server of mepsim's own on a free loopback port, password-protected like a
// Scalingo Redis add-on, without persistence: a restart loses its keys, which is what the
// session-loss measurements of a Redis restart expect.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/datastore/server_launch.h"
#include "sim/process/child_process.h"

namespace mepsim {

struct RedisOptions {
  std::string server_program = "redis-server";  // a name on PATH, or a path
  Duration ready_timeout = std::chrono::seconds(10);
  Duration stop_grace = std::chrono::seconds(10);
};

class RedisServer {
 public:
  // `clock` must run in real time; `rng` draws the password.
  static Result<std::unique_ptr<RedisServer>> start(const RedisOptions& options, Clock& clock,
                                                    Rng& rng);
  ~RedisServer();  // stops it and erases its folder

  const RedisUrl& url() const { return url_; }
  pid_t pid() const { return process_.pid(); }
  const std::filesystem::path& folder() const { return scratch_.path(); }
  bool running() const { return !stop_status_; }

  // Shuts the server down (SIGTERM, then SIGKILL after the grace). Its folder stays until
  // the server object goes. On a stopped server, the status of the last stop: the owner's
  // teardown calls it whatever the state.
  ExitStatus stop();
  // The same as a fault does it: stopping a stopped server is a `conflict`.
  Result<ExitStatus> stop_running();
  // The same program, port, folder and password again, waited on until it answers PING.
  // Keys written before the stop are gone (no persistence). Starting a running server is
  // a `conflict`; the port taken meanwhile is `unavailable`. `clock` runs in real time.
  Result<void> start_again(Clock& clock);

 private:
  RedisServer(ScratchDir scratch, ChildProcess process, RedisUrl url, LaunchPlan plan,
              Duration stop_grace);
  ScratchDir scratch_;
  ChildProcess process_;
  RedisUrl url_;
  LaunchPlan plan_;  // how it was launched: start_again launches it the same way
  Duration stop_grace_;
  std::optional<ExitStatus> stop_status_;  // set while stopped
};

}  // namespace mepsim
