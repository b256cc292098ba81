#pragma once
// A mepsim-web container for tests: a real process with the environment the platform
// would give it, on a free port, restartable with changed variables, as a platform
// restart replaces a container.

#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sim/datastore/scratch_dir.h"
#include "sim/process/child_process.h"

namespace mepsim::testing {

using WebEnv = std::map<std::string, std::string>;

class WebContainer {
 public:
  // Starts and waits until the health route answers; fails the test otherwise.
  explicit WebContainer(WebEnv env);
  ~WebContainer();
  WebContainer(const WebContainer&) = delete;
  WebContainer& operator=(const WebContainer&) = delete;

  // Stops the process (SIGTERM) and starts a new one with `changes` applied to its
  // environment (an empty value removes the variable). What it held in memory is gone.
  bool restart(const WebEnv& changes = {});
  bool running() const { return process_.has_value(); }
  std::uint16_t port() const { return port_; }
  httplib::Client client() const;
  std::string log() const;

 private:
  bool start();
  WebEnv env_;
  ScratchDir scratch_;
  std::uint16_t port_ = 0;
  int starts_ = 0;
  std::optional<ChildProcess> process_;
};

// Runs `mepsim-web console <command>` with `env` to its end; exit code and output.
std::pair<int, std::string> run_web_console(const WebEnv& env, const std::string& command);

// The value of a response's Set-Cookie for `name` (the part before the first ';'), or "".
std::string cookie_value(const httplib::Result& result, const std::string& name);

}  // namespace mepsim::testing
