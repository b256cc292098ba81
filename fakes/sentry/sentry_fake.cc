#include "fakes/sentry/sentry_fake.h"

#include <fmt/format.h>

#include <utility>

#include "fakes/common/fake_server.h"
#include "fakes/common/hmac.h"
#include "fakes/sentry/sentry_context.h"

namespace mepsim::fakes::sentry {

void reply_json(FakeExchange& ex, int status, const nlohmann::json& body) {
  ex.res.status = status;
  ex.res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     "application/json");
}

void reply_detail(FakeExchange& ex, int status, const std::string& detail) {
  reply_json(ex, status, {{"detail", detail}});
}

SentryContext::SentryContext(Rng rng, SentryFakeOptions opts, const Clock& clock)
    : options(std::move(opts)),
      control_clock(clock),
      auth_token(options.auth_token.empty() ? "sntrys_" + rng.alnum(48) : options.auth_token),
      store(options.capacities),
      limiter(options.rate_limits),
      rng_(rng.fork("event-ids")) {
  Rng keys = rng.fork("dsn-keys");
  int next_id = 1;
  for (const auto& slug : options.projects) {
    std::string key;
    for (int i = 0; i < 4; ++i) key += fmt::format("{:08x}", keys.next_u64() & 0xffffffffU);
    projects.push_back({slug, std::to_string(next_id++), std::move(key)});
  }
}

const SentryProject* SentryContext::project_by_id(const std::string& id) const {
  for (const auto& project : projects) {
    if (project.id == id) return &project;
  }
  return nullptr;
}

const SentryProject* SentryContext::project_by_key(const std::string& key) const {
  for (const auto& project : projects) {
    if (constant_time_equal(project.public_key, key)) return &project;
  }
  return nullptr;
}

const SentryProject* SentryContext::project_by_slug(const std::string& slug) const {
  for (const auto& project : projects) {
    if (project.slug == slug) return &project;
  }
  return nullptr;
}

std::string SentryContext::new_event_id() {
  std::lock_guard lock(rng_mutex_);
  return fmt::format("{:016x}{:016x}", rng_.next_u64(), rng_.next_u64());
}

void SentryContext::count_item(const std::string& type) {
  std::lock_guard lock(items_mutex_);
  if (items_by_type_.count(type) == 0 && items_by_type_.size() >= kItemTypesMax) {
    ++items_by_type_["(other)"];
    return;
  }
  ++items_by_type_[type];
}

std::map<std::string, std::uint64_t> SentryContext::items_by_type() const {
  std::lock_guard lock(items_mutex_);
  return items_by_type_;
}

struct SentryFake::Impl {
  Impl(Rng rng, SentryFakeOptions opts)
      : control_clock(opts.control_clock != nullptr   ? *opts.control_clock
                      : opts.latency_clock != nullptr ? *opts.latency_clock
                                                      : own_clock),
        context(std::move(rng), opts, control_clock),
        server(server_options(opts), routes(context)) {}

  static FakeServerOptions server_options(const SentryFakeOptions& opts) {
    FakeServerOptions server_opts;
    server_opts.name = "sentry";
    server_opts.address = opts.address;
    server_opts.port = opts.port;
    server_opts.threads = opts.threads;
    server_opts.body_bytes_max = opts.capacities.body_bytes_max;
    server_opts.journal_capacity = opts.capacities.journal_capacity;
    server_opts.control_clock = opts.control_clock;
    server_opts.latency_clock = opts.latency_clock;
    server_opts.chaos = opts.chaos;
    server_opts.error_body = [](httplib::Response& res, int status, const std::string& message) {
      res.status = status;
      res.set_content(nlohmann::json{{"detail", message}}.dump(), "application/json");
    };
    return server_opts;
  }

  static std::vector<FakeRoute> routes(SentryContext& ctx) {
    auto all = ingest_routes(ctx);
    auto api = web_api_routes(ctx);
    all.insert(all.end(), api.begin(), api.end());
    return all;
  }

  RealClock own_clock;
  const Clock& control_clock;
  SentryContext context;
  FakeServer server;
};

SentryFake::SentryFake(Rng rng, SentryFakeOptions options)
    : impl_(std::make_unique<Impl>(std::move(rng), std::move(options))) {}

SentryFake::~SentryFake() {
  stop();
}

Result<void> SentryFake::start() {
  return impl_->server.start();
}

void SentryFake::stop() {
  impl_->server.stop();
}

std::uint16_t SentryFake::port() const {
  return impl_->server.port();
}

std::string SentryFake::base_url() const {
  return impl_->server.base_url();
}

std::string SentryFake::dsn(const std::string& project_slug) const {
  const SentryProject* project = impl_->context.project_by_slug(project_slug);
  if (project == nullptr) return "";
  const std::string& address = impl_->context.options.address;
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  return fmt::format("http://{}@{}:{}/{}", project->public_key, host, port(), project->id);
}

std::string SentryFake::project_id(const std::string& project_slug) const {
  const SentryProject* project = impl_->context.project_by_slug(project_slug);
  return project != nullptr ? project->id : "";
}

const std::string& SentryFake::organization() const {
  return impl_->context.options.organization;
}

const std::string& SentryFake::auth_token() const {
  return impl_->context.auth_token;
}

RequestJournal& SentryFake::journal() {
  return impl_->server.journal();
}

void SentryFake::set_rate_limits(std::vector<RateLimitRule> rules) {
  impl_->context.limiter.set_rules(std::move(rules));
}

std::vector<SentryIssue> SentryFake::issues(const std::string& project_slug,
                                            std::optional<Instant> since,
                                            const std::string& release) const {
  return impl_->context.store.issues(project_slug, since, release);
}

std::optional<SentryIssue> SentryFake::issue(const std::string& issue_id) const {
  return impl_->context.store.issue(issue_id);
}

std::vector<SentryStoredEvent> SentryFake::events(const std::string& issue_id) const {
  return impl_->context.store.events(issue_id);
}

std::vector<SentryReleaseHealth> SentryFake::release_health(const std::string& project_slug) const {
  return impl_->context.store.release_health(project_slug);
}

std::vector<SentryClientReport> SentryFake::client_reports(const std::string& project_slug) const {
  return impl_->context.store.client_reports(project_slug);
}

SentryIngestStats SentryFake::stats() const {
  const SentryContext& ctx = impl_->context;
  SentryIngestStats stats;
  stats.envelopes_accepted = ctx.envelopes_accepted;
  stats.requests_refused_auth = ctx.requests_refused_auth;
  stats.requests_malformed = ctx.requests_malformed;
  stats.items_rate_limited = ctx.items_rate_limited;
  stats.items_by_type = ctx.items_by_type();
  ctx.store.fill_stats(stats);
  return stats;
}

}  // namespace mepsim::fakes::sentry
