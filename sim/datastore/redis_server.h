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
  ~RedisServer();

  const RedisUrl& url() const { return url_; }
  pid_t pid() const { return process_.pid(); }
  const std::filesystem::path& folder() const { return scratch_.path(); }
  ExitStatus stop();

 private:
  RedisServer(ScratchDir scratch, ChildProcess process, RedisUrl url, Duration stop_grace);
  ScratchDir scratch_;
  ChildProcess process_;
  RedisUrl url_;
  Duration stop_grace_;
  std::optional<ExitStatus> stop_status_;
};

}  // namespace mepsim
