#pragma once
// Mattermost, faked: the incoming webhook the team posts its release notes to
// (`POST /hooks/{id}`, FACTS.md "Other third parties"), so that curl, fetch and the
// scenarios post to it unchanged, and the messages kept for expectations (rule R6).
//
// As the real server: a JSON body (`text`, `username`, `channel`, `icon_url`, `props`,
// `attachments`…) or an application/x-www-form-urlencoded body whose `payload` field holds
// that JSON; 200 `ok` (text/plain) when posted; 400 with Mattermost's AppError shape
// ({"id":"web.incoming_webhook.invalid.app_error","message":…,"detailed_error":"",
// "request_id":…,"status_code":400}) for an unknown hook, a body that cannot be decoded,
// or a post without text nor attachments. Stricter than the real one: fields it does not
// know are journaled.
//
// mepsim's own route `GET /_mepsim/messages` lists what was posted (open on the loopback
// server, like every fake's admin API).
//
// Thread-safety: every public member may be called from any thread while it serves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::mattermost {

struct MattermostFakeOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free one; port() tells which
  // The incoming webhook's id (26 characters of [a-z0-9]); "" draws one from the Rng.
  std::string hook_id;
  std::string channel = "histologe-equipe";  // where a post without `channel` goes
  // Posts kept for messages(); past it the oldest goes first and dropped_count() says so.
  std::size_t messages_max = 1'000;
  // Mattermost's own limit on a post's text (characters of UTF-8 bytes here: stricter).
  std::size_t text_bytes_max = 16'383;
  // Message times and outage windows; null: the latency clock.
  const Clock* control_clock = nullptr;
  Clock* latency_clock = nullptr;  // handler latency; null: a RealClock of its own
  Chaos* chaos = nullptr;          // null: no chaos; operation "post"
  int threads = 4;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
  // Where each post is published (control plane: the procedure's steps post), as
  // `mattermost.message` {channel, username, text (cut to kTextEventBytesMax), attachments}:
  // rule R6 reads it. Null: nowhere.
  EventLog* events = nullptr;
};

inline constexpr std::size_t kTextEventBytesMax = 16 * 1024;

struct MattermostMessage {
  std::uint64_t seq = 0;  // 1, 2, 3… over the fake's life
  Instant at{};
  std::string channel;
  std::string username;
  std::string icon_url;
  std::string text;
  std::size_t attachments = 0;  // how many attachments came with it
};

// A kept message as its listings show it (`/_mepsim/messages`, the admin API).
nlohmann::json to_json(const MattermostMessage& message);

class MattermostFake {
 public:
  // `rng` should be the fake's own stream (`run_rng.fork("mattermost")`).
  MattermostFake(Rng rng, MattermostFakeOptions options = {});
  ~MattermostFake();  // stops
  MattermostFake(const MattermostFake&) = delete;
  MattermostFake& operator=(const MattermostFake&) = delete;

  Result<void> start();  // `conflict` when started twice, `unavailable` when it cannot bind
  void stop();           // idempotent

  std::uint16_t port() const;
  std::string base_url() const;     // "http://127.0.0.1:PORT"
  std::string webhook_url() const;  // base_url() + "/hooks/<id>": MATTERMOST_WEBHOOK_URL
  const std::string& hook_id() const;
  RequestJournal& journal();

  std::vector<MattermostMessage> messages() const;  // oldest first
  std::uint64_t dropped_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Mattermost's 26-character ids ([a-z0-9]), as its NewId() gives them.
std::string new_mattermost_id(Rng& rng);

}  // namespace mepsim::fakes::mattermost
