#include "fakes/mattermost/mattermost_fake.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "fakes/common/fake_server.h"
#include "fakes/common/hmac.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::mattermost {
namespace {

using nlohmann::json;

constexpr std::string_view kIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::size_t kIdLength = 26;
// The fields of an incoming webhook's payload Mattermost reads; the others are journaled.
constexpr std::string_view kKnownFields[] = {"text",     "username",   "channel",
                                             "icon_url", "icon_emoji", "props",
                                             "type",     "priority",   "attachments"};

}  // namespace

json to_json(const MattermostMessage& m) {
  return {{"seq", m.seq},
          {"at", format_iso8601(m.at)},
          {"channel", m.channel},
          {"username", m.username},
          {"icon_url", m.icon_url},
          {"text", m.text},
          {"attachments", m.attachments}};
}

std::string new_mattermost_id(Rng& rng) {
  std::string id;
  for (std::size_t i = 0; i < kIdLength; ++i) {
    id += kIdAlphabet[static_cast<std::size_t>(
        rng.uniform_int(0, static_cast<std::int64_t>(kIdAlphabet.size()) - 1))];
  }
  return id;
}

struct MattermostFake::Impl {
  Impl(Rng stream, MattermostFakeOptions opts)
      : options(std::move(opts)),
        rng(std::move(stream)),
        hook_id(options.hook_id.empty() ? new_mattermost_id(rng) : options.hook_id),
        control_clock(options.control_clock != nullptr   ? *options.control_clock
                      : options.latency_clock != nullptr ? *options.latency_clock
                                                         : own_clock),
        server(server_options(), routes()) {}

  FakeServerOptions server_options() {
    FakeServerOptions made;
    made.name = "mattermost";
    made.address = options.address;
    made.port = options.port;
    made.threads = options.threads;
    made.journal_capacity = options.journal_capacity;
    made.control_clock = &control_clock;
    made.latency_clock = options.latency_clock;
    made.chaos = options.chaos;
    made.journal_secrets = {hook_id};
    made.error_body = [this](httplib::Response& res, int status, const std::string& message) {
      app_error(res, status, "api.context.http_error", message);
    };
    return made;
  }

  std::vector<FakeRoute> routes() {
    return {
        {"POST", "/hooks/([A-Za-z0-9]+)", "post", [this](FakeExchange& ex) { post(ex); }, 1},
        {"GET", "/_mepsim/messages", "admin.messages", [this](FakeExchange& ex) { list(ex); }},
    };
  }

  // Mattermost's AppError: {"id","message","detailed_error","request_id","status_code"}.
  void app_error(httplib::Response& res, int status, std::string_view id,
                 const std::string& message) {
    std::string request_id;
    {
      std::lock_guard lock(mutex);
      request_id = new_mattermost_id(rng);
    }
    res.status = status;
    res.set_content(json{{"id", id},
                         {"message", message},
                         {"detailed_error", ""},
                         {"request_id", request_id},
                         {"status_code", status}}
                        .dump(),
                    "application/json");
  }

  // The payload's JSON: the body itself, or the `payload` field of a form body.
  std::optional<json> payload_of(const httplib::Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    std::string text = req.body;
    if (type.starts_with("application/x-www-form-urlencoded")) {
      if (req.has_param("payload")) {
        text = req.get_param_value("payload");
      } else {
        // httplib leaves the body unparsed for some requests: read `payload=` ourselves.
        std::optional<std::string> found;
        std::string_view rest = req.body;
        while (!rest.empty() && !found) {
          const auto amp = rest.find('&');
          const std::string_view pair = rest.substr(0, amp);
          if (pair.starts_with("payload=")) {
            auto decoded = url_decode(pair.substr(8));
            if (!decoded) return std::nullopt;
            found = std::move(decoded).value();
          }
          rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        }
        if (!found) return std::nullopt;
        text = std::move(*found);
      }
    }
    auto parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    return parsed;
  }

  void post(FakeExchange& ex) {
    if (!constant_time_equal(ex.param(1), hook_id)) {
      return app_error(ex.res, 400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
    }
    const auto payload = payload_of(ex.req);
    if (!payload) {
      return app_error(ex.res, 400, "web.incoming_webhook.decode.app_error",
                       "Failed to decode the payload of incoming webhook.");
    }
    MattermostMessage message;
    const auto text_field = [&](const char* key) -> std::optional<std::string> {
      const auto found = payload->find(key);
      if (found == payload->end() || found->is_null()) return std::string();
      if (!found->is_string()) return std::nullopt;
      return found->get<std::string>();
    };
    const auto text = text_field("text");
    const auto username = text_field("username");
    const auto channel = text_field("channel");
    const auto icon_url = text_field("icon_url");
    if (!text || !username || !channel || !icon_url) {
      return app_error(ex.res, 400, "web.incoming_webhook.decode.app_error",
                       "Failed to decode the payload of incoming webhook.");
    }
    if (const auto attachments = payload->find("attachments"); attachments != payload->end()) {
      if (attachments->is_array()) message.attachments = attachments->size();
    }
    if (text->empty() && message.attachments == 0) {
      return app_error(ex.res, 400, "web.incoming_webhook.text.app_error", "No text specified.");
    }
    if (text->size() > options.text_bytes_max) {
      return app_error(ex.res, 400, "web.incoming_webhook.text.length.app_error",
                       "Text is too long.");
    }
    for (const auto& [key, value] : payload->items()) {
      if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) ==
          std::end(kKnownFields)) {
        ex.notes.push_back("unknown field " + key);
      }
    }
    message.at = control_clock.now();
    message.text = *text;
    message.username = *username;
    message.channel = channel->empty() ? options.channel : *channel;
    message.icon_url = *icon_url;
    if (options.events != nullptr) {
      options.events->publish(message.at, Plane::control, "mattermost", "mattermost.message",
                              {{"channel", message.channel},
                               {"username", message.username},
                               {"text", cut_utf8(message.text, kTextEventBytesMax)},
                               {"attachments", std::to_string(message.attachments)}});
    }
    {
      std::lock_guard lock(mutex);
      message.seq = next_seq++;
      messages.push_back(std::move(message));
      if (messages.size() > options.messages_max) {
        messages.pop_front();
        ++dropped;
      }
    }
    ex.res.status = 200;
    ex.res.set_content("ok", "text/plain");
  }

  void list(FakeExchange& ex) {
    json items = json::array();
    std::uint64_t dropped_now = 0;
    {
      std::lock_guard lock(mutex);
      dropped_now = dropped;
      for (const auto& m : messages) items.push_back(to_json(m));
    }
    ex.res.status = 200;
    ex.res.set_content(json{{"messages", items}, {"dropped", dropped_now}}.dump(
                           -1, ' ', false, json::error_handler_t::replace),
                       "application/json");
  }

  MattermostFakeOptions options;
  mutable std::mutex mutex;
  Rng rng;
  const std::string hook_id;
  RealClock own_clock;
  const Clock& control_clock;
  std::deque<MattermostMessage> messages;  // oldest first, at most options.messages_max
  std::uint64_t next_seq = 1;
  std::uint64_t dropped = 0;
  FakeServer server;
};

MattermostFake::MattermostFake(Rng rng, MattermostFakeOptions options)
    : impl_(std::make_unique<Impl>(std::move(rng), std::move(options))) {}

MattermostFake::~MattermostFake() {
  stop();
}

Result<void> MattermostFake::start() {
  return impl_->server.start();
}

void MattermostFake::stop() {
  impl_->server.stop();
}

std::uint16_t MattermostFake::port() const {
  return impl_->server.port();
}

std::string MattermostFake::base_url() const {
  return impl_->server.base_url();
}

std::string MattermostFake::webhook_url() const {
  return base_url() + "/hooks/" + impl_->hook_id;
}

const std::string& MattermostFake::hook_id() const {
  return impl_->hook_id;
}

RequestJournal& MattermostFake::journal() {
  return impl_->server.journal();
}

std::vector<MattermostMessage> MattermostFake::messages() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->messages.begin(), impl_->messages.end()};
}

std::uint64_t MattermostFake::dropped_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->dropped;
}

}  // namespace mepsim::fakes::mattermost
