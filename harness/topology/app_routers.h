#pragma once
// One router per app in front of its web containers, as on Scalingo: a ContainerRuntime
// wrapped around the process runtime, so that the platform model knows nothing of
// routers. A container joins its app's router once the platform (or the topology's
// readiness wait) finds it healthy; when the platform stops it, it is drained first
// (bounded) and its process stopped after, off the platform's lock. Review apps created
// later get their router with their first web container. The routers run on an
// io_context served by threads of their own.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/topology/container_stopper.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/process_container_runtime.h"
#include "sim/router/router.h"

namespace mepsim {

struct AppRoutersOptions {
  router::RouterOptions router;  // every app's router; port 0: each gets a free one
  Duration drain_timeout = std::chrono::seconds(10);
  int io_threads = 2;
};

struct AppRoute {
  std::string app;
  std::uint16_t port = 0;
  std::size_t backends = 0;  // containers receiving traffic
};

class AppRouters final : public platform::ContainerRuntime {
 public:
  // `log` and `clock` (real time) must outlive this object.
  AppRouters(platform::ProcessContainerRuntime& processes, EventLog& log, Clock& clock,
             AppRoutersOptions options = {});
  ~AppRouters() override;
  AppRouters(const AppRouters&) = delete;
  AppRouters& operator=(const AppRouters&) = delete;

  // The app's router, listening from now on (made if it has none yet); its port.
  Result<std::uint16_t> open(const std::string& app);
  // Stops serving `app`'s URL (a destroyed review app): its router accepts no more
  // connections. The router object is kept until close(), since connections in flight
  // may still use it; one per destroyed app, a few hundred bytes each.
  void close_app(const std::string& app);
  std::vector<AppRoute> routes() const;
  std::optional<AppRoute> route(const std::string& app) const;
  bool is_backend(const std::string& handle) const;

  Result<std::string> start(const platform::ContainerSpec& spec) override;
  // Healthy containers join their app's router.
  bool healthy(const std::string& handle) override;
  bool booting(const std::string& handle) override;
  bool alive(const std::string& handle) override { return processes_.alive(handle); }
  void stop(const std::string& handle) override;
  bool runs_tasks() const override;
  Result<platform::TaskOutcome> run_task(const platform::ContainerSpec& spec,
                                         std::vector<std::string> args, Duration timeout) override;

  // Closes the routers (requests in flight get their response), stops every container
  // still running (drained, then SIGTERM with grace) and the io threads. Bounded by the
  // drain timeout plus the processes' stop grace.
  void close();

 private:
  struct Container {
    std::string app;
    std::uint16_t port = 0;  // 0: a model container, no traffic
    bool backend = false;
  };
  struct Route {
    std::unique_ptr<router::Router> router;
    std::vector<router::Backend> backends;
  };
  Result<std::uint16_t> open_locked(const std::string& app);
  Result<void> publish_backends(Route& route);

  platform::ProcessContainerRuntime& processes_;
  EventLog& log_;
  Clock& clock_;
  AppRoutersOptions options_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  ContainerStopper stopper_;
  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;                   // by app name; routers use io_
  std::vector<std::unique_ptr<router::Router>> retired_;  // closed by close_app()
  std::map<std::string, Container> containers_;  // by handle: those started and not stopped
  bool closed_ = false;
};

}  // namespace mepsim
