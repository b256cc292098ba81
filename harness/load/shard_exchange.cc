// The end of one exchange in a shard (load_shard.h): the flow reads the answer, the
// counts take it, the user and the connection go back to their idle lists.

#include "harness/load/load_shard.h"

namespace mepsim::load {

void LoadShard::on_exchange_end(HttpConnection& connection, const ExchangeEnd& end) {
  Flight& flight = flights_[connection.index()];
  // A keep-alive connection the server had closed while idle: send an idempotent
  // request again at once, on a fresh socket, still timed from its intended time.
  if (!end.answered && end.stale && flight.request.idempotent() && flight.attempts == 1 &&
      !stopping_) {
    ++flight.attempts;
    {
      std::lock_guard lock(mutex_);
      ++counts_.retries;
    }
    connection.exchange(flight.bytes, flight.request.keep_body);
    return;
  }
  const Instant now = shared_.clock.now();
  VirtualUser& user = *flight.user;
  // Whether a logout was meant is judged when it is seen, not when the request left.
  flow_.maintenance_expected = shared_.maintenance_expected.load(std::memory_order_relaxed);
  const HttpResponse* response = end.answered ? &connection.parser().response() : nullptr;
  const Verdict verdict = response != nullptr
                              ? on_answer(user, flight.request, *response, flow_, now)
                              : on_no_answer(user, flight.request);
  record(flight, end, response, verdict, now);
  if (is_watched(flight.request.kind)) {
    shared_.events.publish(now, user, flight.request.method, flight.request.path,
                           response != nullptr ? response->status : kTransportErrorStatus,
                           verdict.outcome,
                           shared_.maintenance_in_effect.load(std::memory_order_relaxed));
  }
  idle_users_[class_index(user.user_class)].push_back(&user);
  idle_connections_.push_back(&connection);
  if (stopping_) {
    if (idle_connections_.size() == connections_.size()) finish();
    return;
  }
  if (shared_.options.closed) add_arrival(now);
  pump();
}

void LoadShard::record(const Flight& flight, const ExchangeEnd& end, const HttpResponse* response,
                       const Verdict& verdict, Instant now) {
  const std::size_t c = class_index(flight.user->user_class);
  const Duration latency = now - flight.arrival.intended;
  const std::int64_t second =
      now < shared_.start ? -1
                          : std::chrono::floor<std::chrono::seconds>(now - shared_.start).count();
  std::optional<AcceptedReport> accepted = verdict.report_accepted;
  bool unrecorded = false;
  if (accepted) unrecorded = !shared_.writes->add({accepted->uuid, accepted->reference});

  std::lock_guard lock(mutex_);
  auto route = counts_.per_route.find(flight.request.route);
  if (route == counts_.per_route.end()) {
    route = counts_.per_route.emplace(std::string(flight.request.route), Tally()).first;
  }
  const auto phase = std::min<std::size_t>(static_cast<std::size_t>(flight.arrival.phase),
                                           ShardCounts::kPhasesMax - 1);
  if (counts_.per_phase.size() <= phase) counts_.per_phase.resize(phase + 1);
  SecondBin* bin = counts_.seconds.bin_for(second, shared_.closed_before.load());
  for (Tally* t : {&counts_.total, &counts_.per_class[c], &route->second, &counts_.per_phase[phase],
                   bin != nullptr ? &bin->tally : nullptr}) {
    if (t == nullptr) continue;
    if (response != nullptr) {
      t->add_answer(response->status, latency);
    } else {
      t->add_error(end.error_kind);
    }
  }
  if (response != nullptr && !response->x_cache.empty()) {
    const bool hit = response->x_cache == "hit";
    (hit ? counts_.cache.hits : counts_.cache.misses) += 1;
    if (bin != nullptr) (hit ? bin->cache.hits : bin->cache.misses) += 1;
  }
  SessionCounts& s = counts_.sessions[c];
  s.logged_in_users += verdict.logged_in_delta;
  if (verdict.outcome == Outcome::login_ok) ++s.logins_ok;
  if (verdict.outcome == Outcome::login_refused) ++s.logins_refused;
  if (verdict.relogin) ++s.relogins;
  if (verdict.session == SessionEvent::unexpected_loss) {
    ++s.unexpected_losses;
    if (bin != nullptr) ++bin->session_losses;
  } else if (verdict.session == SessionEvent::expected_logout) {
    ++s.expected_logouts;
    if (bin != nullptr) ++bin->expected_logouts;
  }
  if (accepted) ++counts_.writes.accepted;
  if (unrecorded) ++counts_.writes.unrecorded;
  if (verdict.report_refused) ++counts_.writes.refused;
  if (verdict.report_failed) ++counts_.writes.failed;
}

}  // namespace mepsim::load
