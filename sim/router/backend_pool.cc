#include "sim/router/backend_pool.h"

#include <algorithm>

namespace mepsim::router {

void BackendPool::set(std::vector<std::pair<Backend, boost::asio::ip::tcp::endpoint>> backends) {
  std::vector<std::shared_ptr<BackendState>> next;
  // Connections are closed outside the lock: a close is a system call.
  std::vector<std::unique_ptr<UpstreamConnection>> dropped;
  std::lock_guard lock(mutex_);
  for (auto& [backend, endpoint] : backends) {
    auto same = std::find_if(backends_.begin(), backends_.end(), [&](const auto& state) {
      return state->backend.id == backend.id && state->endpoint == endpoint;
    });
    if (same != backends_.end()) {
      (*same)->draining = false;
      next.push_back(*same);
      continue;
    }
    auto state = std::make_shared<BackendState>();
    state->backend = std::move(backend);
    state->endpoint = endpoint;
    next.push_back(std::move(state));
  }
  for (auto& old : backends_) {
    if (std::find(next.begin(), next.end(), old) != next.end()) continue;
    old->listed = false;
    for (auto& connection : old->idle) dropped.push_back(std::move(connection));
    old->idle.clear();
  }
  backends_ = std::move(next);
}

std::optional<BackendPool::Lease> BackendPool::acquire(const BackendState* exclude) {
  std::lock_guard lock(mutex_);
  const std::size_t count = backends_.size();
  for (std::size_t i = 0; i < count; ++i) {
    auto& state = backends_[(next_ + i) % count];
    if (state->draining || state.get() == exclude) continue;
    next_ = (next_ + i + 1) % count;
    ++state->in_flight;
    ++state->requests;
    Lease lease{state, nullptr};
    if (!state->idle.empty()) {
      // Most recently used first: it is the least likely to have been closed meanwhile.
      lease.connection = std::move(state->idle.back());
      state->idle.pop_back();
    }
    return lease;
  }
  return std::nullopt;
}

void BackendPool::release(const std::shared_ptr<BackendState>& backend,
                          std::unique_ptr<UpstreamConnection> reusable) {
  std::vector<std::function<void()>> drained;
  {
    std::lock_guard lock(mutex_);
    --backend->in_flight;
    if (reusable && !closed_ && backend->listed && !backend->draining &&
        backend->idle.size() < idle_max_) {
      backend->idle.push_back(std::move(reusable));
    }
    if (backend->in_flight == 0) drained.swap(backend->on_drained);
  }
  for (auto& callback : drained) callback();
}

bool BackendPool::drain(const std::string& id, std::function<void()> on_drained) {
  std::vector<std::unique_ptr<UpstreamConnection>> dropped;
  {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(backends_.begin(), backends_.end(),
                              [&](const auto& state) { return state->backend.id == id; });
    if (found == backends_.end()) return false;
    auto& state = **found;
    state.draining = true;
    dropped.swap(state.idle);
    if (state.in_flight > 0) {
      if (on_drained) state.on_drained.push_back(std::move(on_drained));
      return true;
    }
  }
  if (on_drained) on_drained();
  return true;
}

std::vector<BackendStatus> BackendPool::status() const {
  std::lock_guard lock(mutex_);
  std::vector<BackendStatus> out;
  out.reserve(backends_.size());
  for (const auto& state : backends_) {
    out.push_back({state->backend.id, state->backend.host, state->backend.port, state->draining,
                   state->in_flight, state->idle.size(), state->requests});
  }
  return out;
}

void BackendPool::close() {
  std::vector<std::unique_ptr<UpstreamConnection>> dropped;
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& state : backends_) {
    for (auto& connection : state->idle) dropped.push_back(std::move(connection));
    state->idle.clear();
  }
}

}  // namespace mepsim::router
