#pragma once
// Brevo's transactional email API, faked: `POST /v3/smtp/email` with the `api-key`
// header, as Symfony's Brevo bridge (and the web container's mailer) sends it
// (FACTS.md "Other third parties"). The messages are kept, bounded, for expectations and
// the admin API's listing; nothing is delivered.
//
// Stricter than the real service: sender.email is required even with a template, every
// address must look like one, params must be an object, and fields it does not know are
// journaled. Errors come in Brevo's shape: 401 {"code":"unauthorized","message":"Key not
// found"}, 400 {"code":"missing_parameter"|"invalid_parameter","message":…}.
//
// Thread-safety: every public member may be called from any thread while it serves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::brevo {

struct BrevoFakeOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free one; port() tells which
  // The key clients must send; "" draws one ("xkeysib-…") from the Rng.
  std::string api_key;
  // Messages kept for messages(); past it the oldest goes first and dropped_count() says so.
  std::size_t messages_max = 1'000;
  // A kept message's htmlContent/textContent past this is cut (the digest stays whole).
  std::size_t content_bytes_kept_max = 16 * 1024;
  std::size_t body_bytes_max = 1 << 20;  // 413 past it
  // Message times and outage windows; null: the latency clock.
  const Clock* control_clock = nullptr;
  Clock* latency_clock = nullptr;  // handler latency; null: a RealClock of its own
  Chaos* chaos = nullptr;          // null: no chaos; operation "send_email"
  int threads = 4;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
  // Where each accepted message is published (data plane: the web containers send mail
  // as real traffic decides), as `brevo.email.sent` {to (addresses, comma-separated, at
  // most kRecipientsPublishedMax), subject (cut to 200 bytes), template_id}. Null: nowhere.
  EventLog* events = nullptr;
};

inline constexpr std::size_t kRecipientsPublishedMax = 20;

struct BrevoAddress {
  std::string email;
  std::string name;  // "" when not given
};

struct BrevoMessage {
  std::uint64_t seq = 0;  // 1, 2, 3… over the fake's life
  Instant at{};
  std::string message_id;  // "<…@smtp-relay.mailin.fr>", as answered
  BrevoAddress sender;
  std::vector<BrevoAddress> to;
  std::vector<BrevoAddress> cc;
  std::vector<BrevoAddress> bcc;
  std::string subject;
  std::optional<std::int64_t> template_id;
  nlohmann::json params = nlohmann::json::object();
  std::string html_content;  // cut past content_bytes_kept_max
  std::string text_content;
  std::vector<std::string> tags;
};

nlohmann::json to_json(const BrevoMessage& message);

class BrevoFake {
 public:
  // `rng` should be the fake's own stream (`run_rng.fork("brevo")`).
  explicit BrevoFake(Rng rng, BrevoFakeOptions options = {});
  ~BrevoFake();  // stops
  BrevoFake(const BrevoFake&) = delete;
  BrevoFake& operator=(const BrevoFake&) = delete;

  Result<void> start();  // `conflict` when started twice, `unavailable` when it cannot bind
  void stop();           // idempotent

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  const std::string& api_key() const;
  // "brevo+api://KEY@127.0.0.1:PORT": MAILER_DSN as the web container reads it.
  std::string mailer_dsn() const;
  RequestJournal& journal();

  std::vector<BrevoMessage> messages() const;  // oldest first
  void clear_messages();
  std::uint64_t dropped_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::brevo
