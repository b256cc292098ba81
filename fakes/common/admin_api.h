#pragma once
// The admin API of the fakes (MEPSIM_ADMIN_URL): their journals, their named listings
// (Brevo's messages, Sentry's issues…) and the chaos layer's policies and fault counts,
// over plain HTTP on loopback, for tests, scenarios and people with curl:
//   GET    /fakes                           registered fakes, journal counts, listings
//   GET    /fakes/{fake}/journal?since=N&limit=M   entries with seq > N, oldest first
//   DELETE /fakes/{fake}/journal
//   GET    /fakes/{fake}/{listing}          e.g. /fakes/brevo/messages
//   DELETE /fakes/{fake}/{listing}
//   GET    /chaos                           {"policies":{"brevo.send_email":{…}}}
//   PUT    /chaos/{fake}/{operation}        a policy (chaos.h's JSON); 422 naming the field
//   DELETE /chaos/{fake}/{operation}   DELETE /chaos
//   GET    /faults                          {"faults":{"brevo.send_email.rate_limit":3}}
//   GET    /_mepsim/{document}              what the harness adds (register_document), e.g.
//                                           /_mepsim/rehearsal/report
//   GET    /network                         the network links and their counters, when the
//   PUT    /network/{link}                  topology has them (register_network): a link's
//   DELETE /network/{link}                  fault policy (fault_policy.h's JSON), or heal it
// It carries no secrets: journals are redacted where they are written, and listings must
// be too. Errors are {"error": message} (422: {"errors":{field:[message]}}).
//
// Thread-safety: register_fake() may be called before or while it serves.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/net/fault_policy.h"

namespace mepsim::fakes {

// A named collection a fake keeps for expectations: read as JSON, emptied on request.
struct AdminListing {
  std::function<nlohmann::json()> list;
  std::function<void()> clear;  // null: the listing cannot be cleared (405)
};

// The topology's network links (harness/topology/network_links.h), seen from here.
struct AdminNetwork {
  std::function<nlohmann::json()> list;
  // Fails `not_found` for an unknown link.
  std::function<Result<void>(const std::string& link, const FaultPolicy& policy)> set;
};

struct AdminApiOptions {
  std::string address = "127.0.0.1";  // loopback: it changes chaos for everyone
  std::uint16_t port = 0;
  Clock* latency_clock = nullptr;  // null: a RealClock of its own
  int threads = 2;
};

class AdminApi {
 public:
  // A page of the journal holds at most this many entries, whatever `limit` asks.
  static constexpr std::size_t kJournalPageMax = 1'000;
  static constexpr std::size_t kJournalPageDefault = 100;

  // `chaos` must outlive the API.
  explicit AdminApi(Chaos& chaos, AdminApiOptions options = {});
  ~AdminApi();  // stops
  AdminApi(const AdminApi&) = delete;
  AdminApi& operator=(const AdminApi&) = delete;

  // `journal` must outlive the API; registering a name again replaces it.
  void register_fake(const std::string& name, RequestJournal& journal,
                     std::map<std::string, AdminListing> listings = {});

  // A JSON document the harness serves here while it runs (GET /_mepsim/{name}), built on
  // each request; `build` runs on a server thread and returns nullopt once the document is
  // gone (404). Registering a name again replaces it. `name` is a path below /_mepsim/:
  // letters, digits, '-', '_' and '/'.
  void register_document(const std::string& name,
                         std::function<std::optional<nlohmann::json>()> build);

  // Serves /network from now on (404 until then).
  void register_network(AdminNetwork network);

  Result<void> start();
  void stop();  // idempotent
  std::uint16_t port() const;
  std::string base_url() const;  // MEPSIM_ADMIN_URL
  RequestJournal& journal();     // the admin API's own requests

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes
