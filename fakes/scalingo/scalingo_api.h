#pragma once
// The Scalingo API, faked over the platform model: real HTTP, real paths, rooted JSON and
// the real clients' error shapes, so that the `scalingo` npm client (0.14.x) and the CLI
// work against it unchanged. The auth service's token exchange is served on the same
// port: SCALINGO_AUTH_URL and SCALINGO_API_URL may both be base_url().
//
// Stricter than the real service (FoundationDB's mock S3): every field is type-checked
// (422), unknown fields are accepted but journaled, tokens expire on the platform's
// clock. Control-plane time comes only from the platform, handler latency (data plane)
// from a Clock, randomness only from its Rng.
//
// Thread-safety: requests run on the server's own threads and call the Platform, which
// locks itself; start() and stop() belong to the owner's thread.

#include <cstdint>
#include <memory>
#include <string>

#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/platform.h"

namespace mepsim::fakes::scalingo {

class GithubIntegration;

struct ScalingoApiOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free one; port() tells which
  // The long-lived API token the exchange accepts; "" draws one ("tk-us-…") from the Rng.
  std::string api_token;
  // The HMAC key of bearer JWTs and attach URLs; "" draws one from the Rng.
  std::string jwt_secret;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
  // Server threads. A `GET {attach_url}/wait` holds one while it blocks, so at most half
  // of them may wait at once (429 beyond).
  int threads = 16;
  // How long, in real time, `GET {attach_url}/wait` blocks before answering 408.
  Duration one_off_wait_max = std::chrono::minutes(10);
  std::size_t body_bytes_max = 1 << 20;  // larger request bodies are answered 413
  // Measures handler latency for the journal (real time, the data plane); null: an
  // unscaled RealClock of the fake's own.
  const Clock* latency_clock = nullptr;
};

class ScalingoApi {
 public:
  // `rng` should be the fake's own stream (`run_rng.fork("scalingo-api")`): what it draws
  // (API token, JWT secret, token nonces) then changes no other component's draws.
  ScalingoApi(platform::Platform& platform, Rng rng, ScalingoApiOptions options = {});
  ~ScalingoApi();  // stops the server
  ScalingoApi(const ScalingoApi&) = delete;
  ScalingoApi& operator=(const ScalingoApi&) = delete;

  // Binds, then serves on a background thread. An address that cannot be bound is
  // `unavailable`; calling it twice is `conflict`.
  Result<void> start();
  // Wakes blocked waits, stops serving, joins the thread. Idempotent.
  void stop();

  std::uint16_t port() const;
  // "http://127.0.0.1:PORT" (the bind address, or 127.0.0.1 when bound to every address).
  std::string base_url() const;
  const std::string& api_token() const;
  const RequestJournal& journal() const;
  // Serves GitHub's webhook deliveries at {base_url}/hooks/github from now on (null:
  // 404 again). `integration` must outlive the server or be unset before it goes.
  void set_github_integration(GithubIntegration* integration);
  // Where GitHub delivers to: base_url() + "/hooks/github".
  std::string github_hook_url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::scalingo
