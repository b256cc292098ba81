#pragma once
// One shard of a load run: an io_context on its own thread, its keep-alive connections,
// its virtual users and its counts. Arrivals (open loop: on the schedule; closed loop:
// as soon as an exchange ends) each draw a class, and wait in their class's bounded
// backlog for a free connection and a free user of that class (the one idle the
// longest), whose flow plans the request; the oldest arrival that can go goes first. The
// counts sit behind one mutex that only this thread writes, taken for a few hundred
// nanoseconds per exchange and by report() to read.

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/load/arrival_schedule.h"
#include "harness/load/exchange_events.h"
#include "harness/load/http_connection.h"
#include "harness/load/load_series.h"
#include "harness/load/load_tally.h"
#include "harness/load/lost_writes.h"
#include "harness/load/virtual_user.h"

namespace mepsim::load {

inline constexpr std::size_t kClassCount = std::size(kAllClasses);
inline std::size_t class_index(UserClass c) {
  return static_cast<std::size_t>(c);
}

// What every shard reads (and the generator writes through atomics).
struct LoadShared {
  LoadShared(const LoadOptions& o, Clock& c, EventLog* log)
      : options(o), clock(c), events(log, o.app) {}
  const LoadOptions& options;
  Clock& clock;
  Instant start{};
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;  // the Host header
  std::atomic<bool> maintenance_expected{false};
  // Every container serves maintenance: what the exchanges published for R10 say. False
  // while a restart switches modes, when a user may meet either.
  std::atomic<bool> maintenance_in_effect{false};
  std::atomic<int> phase{0};
  std::atomic<std::int64_t> closed_before{0};  // seconds below it are in the series
  std::atomic<bool> duration_over{false};
  std::shared_ptr<AcceptedWrites> writes = std::make_shared<AcceptedWrites>();
  ExchangeEvents events;
};

// A shard's counts; the generator merges them into a report.
struct ShardCounts {
  // Phases a run may name; past this, later phases count in the last one.
  static constexpr std::size_t kPhasesMax = 64;

  Tally total;
  std::array<Tally, kClassCount> per_class;
  std::map<std::string, Tally, std::less<>> per_route;  // the flows' ~20 route labels
  std::vector<Tally> per_phase;                         // by phase id
  std::array<SessionCounts, kClassCount> sessions;
  CacheCounts cache;
  WriteCounts writes;
  SecondBins seconds;
  std::array<std::int64_t, kClassCount> users{};  // virtual users made so far
  std::int64_t retries = 0;         // idempotent requests sent again after a stale socket
  std::int64_t backlog_max = 0;     // arrivals waiting at once, at the worst
  std::int64_t unsent_at_stop = 0;  // arrivals still waiting when the run stopped
};

struct ShardPlan {
  std::size_t index = 0;
  std::size_t connections = 1;
  std::array<std::size_t, kClassCount> users{};  // per class at the start; 0: never drawn
  std::optional<ArrivalSchedule> schedule;       // open loop
  std::uint64_t seed = 1;
  std::function<void()> tick;  // every 250 ms on this shard's thread (shard 0: the series)
};

class LoadShard final : public ExchangeListener {
 public:
  // Arrivals waiting for a connection or a user, at most (all classes): 100k (3 MB);
  // past it they are counted as "backlog_full" errors.
  static constexpr std::size_t kBacklogMax = 100'000;
  // Users per class and shard, at most: 10k users are a few MB.
  static constexpr std::size_t kUsersPerClassMax = 10'000;

  LoadShard(LoadShared& shared, ShardPlan plan);
  ~LoadShard();
  void start();
  // Thread-safe: no new arrival; exchanges in flight get the stop grace.
  void stop();
  void join();
  bool done() const { return done_.load(); }

  template <typename F>
  void read(F&& f) const {
    std::lock_guard lock(mutex_);
    f(counts_);
  }

  void on_exchange_end(HttpConnection& connection, const ExchangeEnd& end) override;

 private:
  struct Arrival {
    Instant intended;
    int phase = 0;
    UserClass user_class = UserClass::anonymous;
  };
  struct Flight {
    VirtualUser* user = nullptr;
    PlannedRequest request;
    std::string bytes;
    Arrival arrival;
    int attempts = 0;
  };
  VirtualUser* make_user(UserClass c);
  UserClass draw_class();
  void add_arrival(Instant intended);
  void on_arrival_timer();
  void pump();
  void send(HttpConnection& connection, VirtualUser& user, const Arrival& arrival);
  void write_request(Flight& flight, Instant now);
  void record(const Flight& flight, const ExchangeEnd& end, const HttpResponse* response,
              const Verdict& verdict, Instant now);
  void begin_stop();
  void finish();
  void arm_tick();

  LoadShared& shared_;
  ShardPlan plan_;
  boost::asio::io_context io_;
  boost::asio::steady_timer arrival_timer_;
  boost::asio::steady_timer end_timer_;  // the duration, then the stop grace
  boost::asio::steady_timer tick_timer_;
  std::vector<std::unique_ptr<HttpConnection>> connections_;
  std::vector<HttpConnection*> idle_connections_;
  std::vector<Flight> flights_;  // by connection index
  // A class's users are made as needed: the plan's number at the start, one more when an
  // arrival finds all of them busy (never more than kUsersPerClassMax). A deque: the
  // idle lists point into it.
  std::deque<VirtualUser> users_;
  std::array<std::size_t, kClassCount> population_{};
  std::array<std::deque<VirtualUser*>, kClassCount> idle_users_;  // longest idle first
  std::array<std::vector<const Account*>, kClassCount> accounts_;
  std::array<double, kClassCount> mix_cumulative_{};
  std::array<std::deque<Arrival>, kClassCount> backlog_;  // by class
  std::size_t backlog_size_ = 0;                          // all classes
  Rng rng_;
  FlowContext flow_;
  std::uint64_t next_arrival_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
  std::atomic<bool> done_{false};
  std::thread thread_;

  mutable std::mutex mutex_;
  ShardCounts counts_;  // guarded by mutex_
};

}  // namespace mepsim::load
