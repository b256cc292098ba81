#include "fakes/brevo/brevo_fake.h"

#include <deque>
#include <mutex>
#include <set>
#include <utility>

#include "fakes/brevo/send_email_body.h"
#include "fakes/common/fake_server.h"

namespace mepsim::fakes::brevo {
namespace {

using nlohmann::json;

void brevo_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  const char* code = status == 401   ? "unauthorized"
                     : status == 404 ? "not_found"
                     : status == 429 ? "too_many_requests"
                     : status >= 500 ? "internal_error"
                                     : "bad_request";
  res.set_content(json{{"code", code}, {"message", message}}.dump(), "application/json");
}

// "<202611262100.48213907561@smtp-relay.mailin.fr>": the shape of Brevo's ids.
std::string make_message_id(Instant at, Rng& rng) {
  std::string stamp = format_iso8601(at);  // "2026-11-26T21:00:00.000Z"
  std::string digits;
  for (char c : stamp.substr(0, 16)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  std::string serial;
  for (int i = 0; i < 11; ++i) serial += static_cast<char>('0' + rng.uniform_int(0, 9));
  return "<" + digits + "." + serial + "@smtp-relay.mailin.fr>";
}

}  // namespace

struct BrevoFake::Impl {
  Impl(Rng fake_rng, BrevoFakeOptions opts)
      : options(std::move(opts)),
        rng(std::move(fake_rng)),
        api_key(options.api_key.empty() ? "xkeysib-" + rng.alnum(64) : options.api_key) {}

  void send_email(FakeExchange& ex);
  void publish_sent(const BrevoMessage& message) const;
  FakeServerOptions server_options() const;

  BrevoFakeOptions options;
  Rng rng;  // guarded by mutex
  const std::string api_key;
  mutable std::mutex mutex;
  std::deque<BrevoMessage> messages;  // bounded by options.messages_max
  std::uint64_t next_seq = 1;
  std::uint64_t dropped = 0;
  RealClock own_clock;
  std::unique_ptr<FakeServer> server;
};

FakeServerOptions BrevoFake::Impl::server_options() const {
  FakeServerOptions out;
  out.name = "brevo";
  out.address = options.address;
  out.port = options.port;
  out.threads = options.threads;
  out.body_bytes_max = options.body_bytes_max;
  out.journal_capacity = options.journal_capacity;
  out.control_clock = options.control_clock;
  out.latency_clock = options.latency_clock;
  out.chaos = options.chaos;
  out.error_body = brevo_error;
  return out;
}

void BrevoFake::Impl::publish_sent(const BrevoMessage& message) const {
  if (options.events == nullptr) return;
  constexpr std::size_t kTextBytesMax = 200;
  std::string to;
  for (std::size_t i = 0; i < message.to.size() && i < kRecipientsPublishedMax; ++i) {
    to += (i == 0 ? "" : ",") + cut_utf8(message.to[i].email, kTextBytesMax);
  }
  options.events->publish(
      message.at, Plane::data, "brevo", "brevo.email.sent",
      {{"to", to},
       {"subject", cut_utf8(message.subject, kTextBytesMax)},
       {"template_id", message.template_id ? std::to_string(*message.template_id) : ""}});
}

void BrevoFake::Impl::send_email(FakeExchange& ex) {
  // Brevo reads the key before the body: a bad key with a bad body is a 401.
  const std::string key = ex.req.get_header_value("api-key");
  if (key.empty()) {
    ex.notes.push_back("no api-key header");
    brevo_error(ex.res, 401, "Key not found");
    return;
  }
  if (key != api_key) {
    ex.notes.push_back("unknown api-key");
    brevo_error(ex.res, 401, "Key not found");
    return;
  }
  BrevoMessage message;
  if (auto error =
          read_send_email_body(ex.req.body, options.content_bytes_kept_max, message, ex.notes)) {
    ex.res.status = 400;
    ex.res.set_content(json{{"code", error->code}, {"message", error->message}}.dump(),
                       "application/json");
    return;
  }
  const Instant at = options.control_clock != nullptr   ? options.control_clock->now()
                     : options.latency_clock != nullptr ? options.latency_clock->now()
                                                        : own_clock.now();
  {
    std::lock_guard lock(mutex);
    message.seq = next_seq++;
    message.at = at;
    message.message_id = make_message_id(at, rng);
    if (messages.size() == options.messages_max) {
      messages.pop_front();
      ++dropped;
    }
    messages.push_back(message);
  }
  publish_sent(message);
  ex.res.status = 201;
  ex.res.set_content(json{{"messageId", message.message_id}}.dump(), "application/json");
}

nlohmann::json to_json(const BrevoMessage& message) {
  auto addresses = [](const std::vector<BrevoAddress>& list) {
    json out = json::array();
    for (const auto& a : list) {
      json one = {{"email", a.email}};
      if (!a.name.empty()) one["name"] = a.name;
      out.push_back(std::move(one));
    }
    return out;
  };
  json sender = {{"email", message.sender.email}};
  if (!message.sender.name.empty()) sender["name"] = message.sender.name;
  return {{"seq", message.seq},
          {"at", format_iso8601(message.at)},
          {"messageId", message.message_id},
          {"sender", std::move(sender)},
          {"to", addresses(message.to)},
          {"cc", addresses(message.cc)},
          {"bcc", addresses(message.bcc)},
          {"subject", message.subject},
          {"templateId", message.template_id ? json(*message.template_id) : json()},
          {"params", message.params},
          {"htmlContent", message.html_content},
          {"textContent", message.text_content},
          {"tags", message.tags}};
}

BrevoFake::BrevoFake(Rng rng, BrevoFakeOptions options)
    : impl_(std::make_unique<Impl>(std::move(rng), std::move(options))) {
  std::vector<FakeRoute> routes = {
      {"POST", R"(/v3/smtp/email)", "send_email",
       [im = impl_.get()](FakeExchange& ex) { im->send_email(ex); }},
  };
  impl_->server = std::make_unique<FakeServer>(impl_->server_options(), std::move(routes));
}

BrevoFake::~BrevoFake() {
  stop();
}

Result<void> BrevoFake::start() {
  return impl_->server->start();
}

void BrevoFake::stop() {
  impl_->server->stop();
}

std::uint16_t BrevoFake::port() const {
  return impl_->server->port();
}

std::string BrevoFake::base_url() const {
  return impl_->server->base_url();
}

const std::string& BrevoFake::api_key() const {
  return impl_->api_key;
}

std::string BrevoFake::mailer_dsn() const {
  const std::string host =
      impl_->options.address == "0.0.0.0" ? "127.0.0.1" : impl_->options.address;
  return "brevo+api://" + impl_->api_key + "@" + host + ":" + std::to_string(port());
}

RequestJournal& BrevoFake::journal() {
  return impl_->server->journal();
}

std::vector<BrevoMessage> BrevoFake::messages() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->messages.begin(), impl_->messages.end()};
}

void BrevoFake::clear_messages() {
  std::lock_guard lock(impl_->mutex);
  impl_->messages.clear();
}

std::uint64_t BrevoFake::dropped_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->dropped;
}

}  // namespace mepsim::fakes::brevo
