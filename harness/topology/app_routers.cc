#include "harness/topology/app_routers.h"

#include <fmt/format.h>

#include <algorithm>

namespace mepsim {

AppRouters::AppRouters(platform::ProcessContainerRuntime& processes, EventLog& log, Clock& clock,
                       AppRoutersOptions options)
    : processes_(processes),
      log_(log),
      clock_(clock),
      options_(std::move(options)),
      work_(boost::asio::make_work_guard(io_)),
      stopper_(processes, clock, options_.drain_timeout) {
  for (int i = 0; i < options_.io_threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

AppRouters::~AppRouters() {
  close();
}

Result<std::uint16_t> AppRouters::open(const std::string& app) {
  std::lock_guard lock(mutex_);
  return open_locked(app);
}

Result<std::uint16_t> AppRouters::open_locked(const std::string& app) {
  if (const auto found = routes_.find(app); found != routes_.end()) {
    return found->second.router->port();
  }
  if (closed_) return make_error(ErrorCode::unavailable, "the routers are closed");
  auto router = std::make_unique<router::Router>(io_, options_.router, log_, clock_);
  if (auto listening = router->listen(); !listening) {
    return listening.error().context("the router of " + app);
  }
  const std::uint16_t port = router->port();
  routes_[app].router = std::move(router);
  // Ports change from run to run: data plane, outside the fingerprint.
  log_.publish(clock_.now(), Plane::data, "router", "router.opened",
               {{"app", app}, {"port", std::to_string(port)}});
  return port;
}

std::vector<AppRoute> AppRouters::routes() const {
  std::lock_guard lock(mutex_);
  std::vector<AppRoute> out;
  for (const auto& [app, route] : routes_) {
    out.push_back({app, route.router->port(), route.backends.size()});
  }
  return out;
}

std::optional<AppRoute> AppRouters::route(const std::string& app) const {
  std::lock_guard lock(mutex_);
  const auto found = routes_.find(app);
  if (found == routes_.end()) return std::nullopt;
  return AppRoute{app, found->second.router->port(), found->second.backends.size()};
}

bool AppRouters::is_backend(const std::string& handle) const {
  std::lock_guard lock(mutex_);
  const auto found = containers_.find(handle);
  return found != containers_.end() && found->second.backend;
}

Result<std::string> AppRouters::start(const platform::ContainerSpec& spec) {
  auto handle = processes_.start(spec);
  if (!handle) return handle.error();
  const std::uint16_t port = processes_.port_of(handle.value());
  std::unique_lock lock(mutex_);
  if (port != 0) {
    if (auto opened = open_locked(spec.app_name); !opened) {
      lock.unlock();
      processes_.stop(handle.value());
      return opened.error();
    }
  }
  containers_[handle.value()] = Container{spec.app_name, port, false};
  return handle;
}

bool AppRouters::healthy(const std::string& handle) {
  // The probe runs unlocked: it may take the runtime's health timeout.
  if (!processes_.healthy(handle)) return false;
  std::lock_guard lock(mutex_);
  const auto found = containers_.find(handle);
  if (found == containers_.end() || found->second.backend || found->second.port == 0) return true;
  Container& container = found->second;
  Route& route = routes_.at(container.app);
  route.backends.push_back({handle, "127.0.0.1", container.port});
  if (auto set = route.router->set_backends(route.backends); !set) {
    route.backends.pop_back();
    log_.publish(clock_.now(), Plane::data, "router", "backend.refused",
                 {{"app", container.app}, {"container", handle}, {"error", set.error().message}});
    return true;
  }
  container.backend = true;
  log_.publish(clock_.now(), Plane::data, "router", "backend.joined",
               {{"app", container.app}, {"container", handle}});
  return true;
}

bool AppRouters::booting(const std::string& handle) {
  return processes_.booting(handle);
}

void AppRouters::stop(const std::string& handle) {
  std::unique_lock lock(mutex_);
  const auto found = containers_.find(handle);
  if (found == containers_.end()) {
    lock.unlock();
    processes_.stop(handle);  // unknown here: nothing routes to it
    return;
  }
  const Container container = found->second;
  containers_.erase(found);
  if (container.port == 0) {
    lock.unlock();
    processes_.stop(handle);  // a model container: nothing to wait for
    return;
  }
  if (!container.backend) {
    stopper_.stop_soon(handle);
    return;
  }
  Route& route = routes_.at(container.app);
  // Registered before the drain: the router may call it at once, on this thread.
  auto on_drained = stopper_.stop_when_drained(handle);
  if (!route.router->drain(handle, on_drained)) on_drained();
  std::erase_if(route.backends, [&](const router::Backend& b) { return b.id == handle; });
  // Unlisted, it gets no new request; its in-flight ones finish and call on_drained.
  (void)route.router->set_backends(route.backends);
  log_.publish(clock_.now(), Plane::data, "router", "backend.draining",
               {{"app", container.app}, {"container", handle}});
}

bool AppRouters::runs_tasks() const {
  return processes_.runs_tasks();
}

Result<platform::TaskOutcome> AppRouters::run_task(const platform::ContainerSpec& spec,
                                                   std::vector<std::string> args,
                                                   Duration timeout) {
  return processes_.run_task(spec, std::move(args), timeout);
}

void AppRouters::close_app(const std::string& app) {
  std::lock_guard lock(mutex_);
  const auto found = routes_.find(app);
  if (closed_ || found == routes_.end()) return;
  found->second.router->close();
  retired_.push_back(std::move(found->second.router));
  routes_.erase(found);
  log_.publish(clock_.now(), Plane::data, "router", "router.closed", {{"app", app}});
}

void AppRouters::close() {
  std::vector<std::string> left;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    for (auto& [app, route] : routes_) route.router->close();
    for (const auto& [handle, container] : containers_) left.push_back(handle);
  }
  for (const auto& handle : left) stop(handle);
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  stopper_.finish();
  work_.reset();
  // Connections still open past the drains (an idle client) are cut here: bounded.
  io_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  routes_.clear();
  retired_.clear();
}

}  // namespace mepsim
