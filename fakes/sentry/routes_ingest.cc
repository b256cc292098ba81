// Ingestion: POST /api/{project_id}/envelope/ and the legacy /api/{project_id}/store/.
// Auth first (header, query, then the envelope's dsn), then the body (inflated within its
// bound), then every item read and checked before any is stored, so that a malformed
// envelope stores nothing; then rate limits per item category, as Relay applies them.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "fakes/sentry/body_encoding.h"
#include "fakes/sentry/envelope.h"
#include "fakes/sentry/event_summary.h"
#include "fakes/sentry/sentry_auth.h"
#include "fakes/sentry/sentry_context.h"

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

// Where the request says its key is, short of the envelope's own dsn.
std::optional<std::string> request_key(const httplib::Request& req) {
  for (const char* header : {"X-Sentry-Auth", "Authorization"}) {
    if (req.has_header(header)) {
      if (auto key = key_from_auth_header(req.get_header_value(header))) return key;
    }
  }
  if (req.has_param("sentry_key")) {
    std::string key = req.get_param_value("sentry_key");
    if (!key.empty()) return key;
  }
  return std::nullopt;
}

// The request's body, inflated if the HTTP server has not done it already: cpp-httplib
// built with zlib and brotli (Debian's is) inflates gzip, deflate and br bodies before
// any handler runs, and refuses other encodings with 415 itself.
Result<std::string> request_body(SentryContext& ctx, FakeExchange& ex) {
  std::string encoding = ex.req.get_header_value("Content-Encoding");
  std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ex.req.get_header_value("Transfer-Encoding") == "chunked") ex.notes.push_back("chunked");
  const std::size_t bound = ctx.options.capacities.inflated_bytes_max;
  if (encoding.empty() || encoding == "identity") {
    // cpp-httplib 0.11 checks its payload limit against Content-Length only: a chunked
    // body of any size reaches us, and is refused here.
    return decode_body(ex.req.body, "", std::min(bound, ctx.options.capacities.body_bytes_max));
  }
  ex.notes.push_back("content-encoding " + encoding.substr(0, 20));
  const bool still_compressed = encoding == "gzip" || encoding == "x-gzip" ? looks_gzip(ex.req.body)
                                : encoding == "deflate"                    ? looks_zlib(ex.req.body)
                                                                           : encoding != "br";
  return decode_body(ex.req.body, still_compressed ? encoding : "", bound);
}

void refuse_malformed(SentryContext& ctx, FakeExchange& ex, const Error& error,
                      std::string_view what) {
  ++ctx.requests_malformed;
  ex.notes.push_back(fmt::format("refused: {}", error.message));
  reply_detail(ex, error.code == ErrorCode::capacity ? 413 : 400,
               fmt::format("{}: {}", what, error.message));
}

// The project the request is for once its key checks out; nullopt after answering.
const SentryProject* authenticate(SentryContext& ctx, FakeExchange& ex,
                                  const std::optional<std::string>& key) {
  const std::string url_project = ex.param(1);
  if (!key) {
    ++ctx.requests_refused_auth;
    reply_detail(ex, 403, "missing authorization information");
    return nullptr;
  }
  const SentryProject* project = ctx.project_by_key(*key);
  if (project == nullptr) {
    ++ctx.requests_refused_auth;
    ex.notes.push_back("unknown DSN key");
    reply_detail(ex, 401, "invalid api key");
    return nullptr;
  }
  if (project->id != url_project) {
    ++ctx.requests_refused_auth;
    ex.notes.push_back("DSN key of another project");
    reply_detail(ex, 403, fmt::format("the DSN key is not valid for project {}", url_project));
    return nullptr;
  }
  return project;
}

bool valid_event_id(std::string& id) {
  std::erase(id, '-');
  if (id.size() != 32) return false;
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// One item, read and checked, ready to be stored.
struct ReadyItem {
  std::string type;
  std::string category;
  std::optional<EventSummary> event;  // event, or a legacy store body
  std::string event_json;
  std::optional<SessionUpdate> session;
  std::optional<std::vector<SentryDiscardedEvents>> client_report;
};

Result<ReadyItem> read_item(const EnvelopeItem& item) {
  ReadyItem ready{item.type, item_category(item.type), {}, {}, {}, {}};
  if (item.type == "attachment") return ready;  // raw bytes: counted, not kept
  const bool known = item.type == "event" || item.type == "transaction" || item.type == "session" ||
                     item.type == "sessions" || item.type == "client_report";
  if (!known) return ready;  // forwards compatible, as Relay is: counted, noted
  const auto where = [&](const Error& e) {
    return e.context(fmt::format("the {} item at byte {}", item.type, item.offset));
  };
  json payload = json::parse(item.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) {
    return where(make_error(ErrorCode::invalid_input, "the payload is not valid JSON"));
  }
  if (item.type == "event") {
    auto summary = summarize_event(payload);
    if (!summary) return where(summary.error());
    if (!summary->event_id.empty() && !valid_event_id(summary->event_id)) {
      return where(make_error(ErrorCode::invalid_input, "\"event_id\" is not 32 hex digits"));
    }
    ready.event = std::move(summary).value();
    ready.event_json = item.payload;
  } else if (item.type == "transaction") {
    if (!payload.is_object()) {
      return where(make_error(ErrorCode::invalid_input, "the payload is not an object"));
    }
  } else if (item.type == "session" || item.type == "sessions") {
    auto update = item.type == "session" ? read_session(payload) : read_sessions(payload);
    if (!update) return where(update.error());
    ready.session = std::move(update).value();
  } else {
    auto discarded = read_client_report(payload);
    if (!discarded) return where(discarded.error());
    ready.client_report = std::move(discarded).value();
  }
  return ready;
}

// A new issue on the run's timeline (rule R11): the data plane, since real traffic decides
// when it comes; at its firstSeen. Strings cut: titles come from the outside.
void publish_new_issue(SentryContext& ctx, const SentryProject& project, const std::string& id,
                       const EventSummary& summary, Instant first_seen) {
  if (ctx.options.events == nullptr) return;
  constexpr std::size_t kTextBytesMax = 200;
  ctx.options.events->publish(first_seen, Plane::data, "sentry", "sentry.issue.created",
                              {{"project", project.slug},
                               {"issue", id},
                               {"title", cut_utf8(summary.title, kTextBytesMax)},
                               {"culprit", cut_utf8(summary.culprit, kTextBytesMax)},
                               {"level", cut_utf8(summary.level, kTextBytesMax)},
                               {"release", cut_utf8(summary.release, kTextBytesMax)},
                               {"environment", cut_utf8(summary.environment, kTextBytesMax)}});
}

// Rate limits, then storage, for items already checked. Answers the request.
void store_items(SentryContext& ctx, FakeExchange& ex, const SentryProject& project,
                 std::vector<ReadyItem>& items, std::string event_id) {
  const Instant now = ctx.control_clock.now();
  std::map<std::string, std::int64_t> retry_after_by_category;
  std::size_t limitable = 0, accepted = 0;
  for (auto& item : items) {
    ctx.count_item(item.type);
    if (item.category != "internal") {
      ++limitable;
      if (const auto retry_after_s = ctx.limiter.admit(project.slug, item.category, now)) {
        ++ctx.items_rate_limited;
        auto& worst = retry_after_by_category[item.category];
        worst = std::max(worst, retry_after_s);
        continue;
      }
      ++accepted;
    }
    if (item.event) {
      if (item.event->event_id.empty()) item.event->event_id = ctx.new_event_id();
      if (event_id.empty()) event_id = item.event->event_id;
      bool created = false;
      const std::string issue_id =
          ctx.store.add_event(project.slug, *item.event, std::move(item.event_json), now, &created);
      if (created) publish_new_issue(ctx, project, issue_id, *item.event, now);
    } else if (item.session) {
      ctx.store.add_session(project.slug, *item.session);
    } else if (item.client_report) {
      ctx.store.add_client_report(project.slug, std::move(*item.client_report), now);
    }
  }
  ++ctx.envelopes_accepted;
  std::string types;
  for (const auto& item : items) types += (types.empty() ? "" : ",") + item.type;
  ex.notes.push_back("items: " + (types.empty() ? std::string("none") : types));
  if (event_id.empty()) event_id = ctx.new_event_id();
  if (!retry_after_by_category.empty()) {
    std::int64_t retry_after_s = 0;
    for (const auto& [category, seconds] : retry_after_by_category) {
      retry_after_s = std::max(retry_after_s, seconds);
      ex.notes.push_back("rate limited: " + category);
    }
    ex.res.set_header("X-Sentry-Rate-Limits", rate_limits_header(retry_after_by_category));
    // Relay answers 429 when nothing but internal items would be kept, 200 otherwise.
    if (accepted == 0 && limitable > 0) {
      ex.res.set_header("Retry-After", std::to_string(retry_after_s));
      reply_detail(ex, 429, "event submission rejected with_reason: rate limited");
      return;
    }
  }
  reply_json(ex, 200, {{"id", event_id}});
}

void post_envelope(SentryContext& ctx, FakeExchange& ex) {
  auto body = request_body(ctx, ex);
  std::optional<std::string> key = request_key(ex.req);
  if (!body) {
    // An unreadable body from a client without a key is refused for the key first.
    if (!key) {
      authenticate(ctx, ex, key);
      return;
    }
    refuse_malformed(ctx, ex, body.error(), "invalid body");
    return;
  }
  EnvelopeLimits limits{ctx.options.capacities.items_per_envelope_max,
                        ctx.options.capacities.inflated_bytes_max};
  auto envelope = parse_envelope(*body, limits);
  if (!key && envelope) {
    const auto dsn = envelope->header.find("dsn");
    if (dsn != envelope->header.end() && dsn->is_string()) {
      if (auto from_dsn = key_from_dsn(dsn->get<std::string>())) key = from_dsn->public_key;
    }
  }
  const SentryProject* project = authenticate(ctx, ex, key);
  if (project == nullptr) return;
  if (!envelope) return refuse_malformed(ctx, ex, envelope.error(), "invalid envelope");
  std::vector<ReadyItem> items;
  for (const auto& item : envelope->items) {
    auto ready = read_item(item);
    if (!ready) return refuse_malformed(ctx, ex, ready.error(), "invalid envelope");
    if (ready->type != "event" && ready->type != "transaction" && ready->type != "session" &&
        ready->type != "sessions" && ready->type != "client_report" &&
        ready->type != "attachment") {
      ex.notes.push_back("unknown item type " + ready->type.substr(0, 40));
    }
    items.push_back(std::move(ready).value());
  }
  std::string event_id;
  const auto header_id = envelope->header.find("event_id");
  if (header_id != envelope->header.end() && header_id->is_string()) {
    event_id = header_id->get<std::string>();
    if (!valid_event_id(event_id)) {
      return refuse_malformed(
          ctx, ex,
          make_error(ErrorCode::invalid_input, "at byte 0: \"event_id\" is not 32 hex digits"),
          "invalid envelope");
    }
  }
  store_items(ctx, ex, *project, items, std::move(event_id));
}

// The legacy endpoint: the body is one event.
void post_store(SentryContext& ctx, FakeExchange& ex) {
  const SentryProject* project = authenticate(ctx, ex, request_key(ex.req));
  if (project == nullptr) return;
  auto body = request_body(ctx, ex);
  if (!body) return refuse_malformed(ctx, ex, body.error(), "invalid body");
  EnvelopeItem item{"event", json::object(), std::move(body).value(), 0};
  auto ready = read_item(item);
  if (!ready) return refuse_malformed(ctx, ex, ready.error(), "invalid event");
  std::vector<ReadyItem> items;
  items.push_back(std::move(ready).value());
  store_items(ctx, ex, *project, items, "");
}

}  // namespace

std::vector<FakeRoute> ingest_routes(SentryContext& ctx) {
  return {
      {"POST", R"(/api/(\d+)/envelope/?)", "envelope",
       [&ctx](FakeExchange& ex) { post_envelope(ctx, ex); }, 0},
      {"POST", R"(/api/(\d+)/store/?)", "store", [&ctx](FakeExchange& ex) { post_store(ctx, ex); },
       0},
  };
}

}  // namespace mepsim::fakes::sentry
