#pragma once
// A TCP proxy for one network link (the web containers → MySQL, → Redis, → a third party's
// fake): it listens on a loopback port and copies byte streams both ways to one upstream,
// suffering the faults of its FaultPolicy, which may change at any time.
//
// - Pass-through (the default, and after heal()) is a plain copy loop with large buffers and
//   no timer: the proxy sits on the measured data plane.
// - Latency, jitter and bandwidth delay chunks (what one read returns) on Asio timers; each
//   direction keeps its byte order (a chunk drawn a shorter delay waits for the one before).
// - A reset closes both sides with RST (SO_LINGER 0): the client reads ECONNRESET. A new
//   connection is reset at once when drawn (reset_probability); any connection, open ones
//   included, once the bytes read from both sides together reach reset_after_bytes.
// - A blackhole stalls connections already open (nothing more is forwarded, nothing lost:
//   TCP would retransmit it) and accepts new ones without ever reaching the upstream, reading
//   and dropping what they send. At heal(), the stalled ones go on; those opened during the
//   blackhole are reset. A real client's connect would have timed out there (no SYN-ACK):
//   its first bytes are gone and the conversation cannot resume, so it is ended at once and
//   the client reconnects instead of waiting for a reply that cannot come.
// - A slow close holds the FIN a peer sent for slow_close_ms before passing it on.
//
// Randomness: connection n draws from `rng.fork("connection-n")` (its reset, then each
// direction's delays from its own fork), so a connection's draws depend on the seed and its
// rank alone, not on how the threads interleave. Time: `clock` stamps when a delayed chunk is
// due and must run in real time (scale 1); the waits are Asio timers.
//
// Thread-safety: set_policy(), heal(), policy(), counters() and close() may be called from
// any thread; the io_context's threads run the connections, each on its own strand.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/net/fault_policy.h"

namespace mepsim {

struct FaultProxyOptions {
  std::string link;  // its name in messages and reports: "mysql"
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 0;  // 0: the kernel picks one; port() tells which
  std::string upstream_host = "127.0.0.1";
  std::uint16_t upstream_port = 0;
  // Bytes a delayed direction holds before it stops reading (the sender then stalls on
  // TCP's own flow control): bounds a connection's memory whatever the policy.
  std::size_t queued_bytes_max = 4 << 20;
};

struct FaultCounters {
  std::uint64_t connections = 0;             // accepted
  std::uint64_t bytes_to_server = 0;         // forwarded client → upstream
  std::uint64_t bytes_to_client = 0;         // forwarded upstream → client
  std::uint64_t connections_reset = 0;       // by the policy (reset_probability, reset_after_bytes)
  std::uint64_t chunks_delayed = 0;          // by latency
  std::uint64_t chunks_throttled = 0;        // by bandwidth
  std::uint64_t chunks_held = 0;             // by a blackhole, on connections already open
  std::uint64_t connections_blackholed = 0;  // accepted during a blackhole
  std::uint64_t closes_delayed = 0;          // by slow_close_ms

  // What each fault did, by fault_names()' names, those that did something only:
  // {"latency", 12}, {"reset", 1}…
  std::vector<std::pair<std::string, std::uint64_t>> faults_fired() const;
};

struct FaultProxyState;

class FaultProxy {
 public:
  // `clock` must outlive the io_context's handlers.
  FaultProxy(boost::asio::io_context& io, FaultProxyOptions options, Rng rng, Clock& clock);
  ~FaultProxy();  // close()
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Resolves the upstream, binds and starts accepting on the io_context; the caller runs it.
  Result<void> listen();
  std::uint16_t port() const { return port_; }
  const std::string& link() const;

  // From now on, for new connections and for those open (see above for the blackhole).
  void set_policy(FaultPolicy policy);
  void heal() { set_policy(FaultPolicy{}); }
  FaultPolicy policy() const;
  FaultCounters counters() const;

  // Stops accepting and resets every connection; idempotent.
  void close();

 private:
  std::shared_ptr<FaultProxyState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace mepsim
