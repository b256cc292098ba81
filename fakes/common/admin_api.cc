#include "fakes/common/admin_api.h"

#include <charconv>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "fakes/common/fake_server.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;

void reply(FakeExchange& ex, int status, const json& body) {
  ex.res.status = status;
  ex.res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void admin_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

std::optional<std::uint64_t> parse_count(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

struct AdminApi::Impl {
  struct Registered {
    RequestJournal* journal = nullptr;
    std::map<std::string, AdminListing> listings;
  };

  Impl(Chaos& c, AdminApiOptions opts) : chaos(c), options(std::move(opts)) {}

  std::optional<Registered> find(const std::string& name) const {
    std::lock_guard lock(mutex);
    const auto found = fakes.find(name);
    if (found == fakes.end()) return std::nullopt;
    return found->second;
  }
  // The fake named by the route's first group, or a 404 already answered.
  std::optional<Registered> fake_of(FakeExchange& ex) const {
    auto fake = find(ex.param(1));
    if (!fake) reply(ex, 404, {{"error", "no fake named " + ex.param(1)}});
    return fake;
  }

  void list_fakes(FakeExchange& ex) const;
  void read_journal(FakeExchange& ex) const;
  void listing(FakeExchange& ex, bool clear) const;
  void put_policy(FakeExchange& ex) const;
  void document(FakeExchange& ex) const;
  void network(FakeExchange& ex, bool heal) const;
  std::vector<FakeRoute> routes();

  Chaos& chaos;
  AdminApiOptions options;
  mutable std::mutex mutex;
  std::map<std::string, Registered> fakes;  // by name; one entry per fake of the run
  // By name below /_mepsim/; a handful per run (the rehearsal report).
  std::map<std::string, std::function<std::optional<json>()>> documents;
  AdminNetwork links;  // empty until the topology registers its links
  std::unique_ptr<FakeServer> server;
};

void AdminApi::Impl::list_fakes(FakeExchange& ex) const {
  json out = json::array();
  std::lock_guard lock(mutex);
  for (const auto& [name, fake] : fakes) {
    json listings = json::array();
    for (const auto& [listing, fns] : fake.listings) listings.push_back(listing);
    out.push_back({{"name", name},
                   {"journal",
                    {{"recorded", fake.journal->recorded_count()},
                     {"dropped", fake.journal->dropped_count()},
                     {"capacity", fake.journal->capacity()}}},
                   {"listings", std::move(listings)}});
  }
  reply(ex, 200, {{"fakes", std::move(out)}});
}

void AdminApi::Impl::read_journal(FakeExchange& ex) const {
  auto fake = fake_of(ex);
  if (!fake) return;
  std::uint64_t since = 0;
  std::uint64_t limit = kJournalPageDefault;
  for (const auto& [key, value] : ex.req.params) {
    const auto count = parse_count(value);
    if (key != "since" && key != "limit") {
      return reply(ex, 400, {{"error", "unknown parameter " + key}});
    }
    if (!count || (key == "limit" && (*count == 0 || *count > kJournalPageMax))) {
      return reply(
          ex, 400,
          {{"error", key + " must be " + (key == "limit" ? "1-1000" : "a non-negative integer")}});
    }
    (key == "since" ? since : limit) = *count;
  }
  json entries = json::array();
  std::uint64_t last = since;
  for (const auto& entry : fake->journal->entries_since(since, static_cast<std::size_t>(limit))) {
    last = entry.seq;
    entries.push_back(to_json(entry));
  }
  reply(ex, 200,
        {{"entries", std::move(entries)},
         {"next_since", last},
         {"recorded", fake->journal->recorded_count()},
         {"dropped", fake->journal->dropped_count()}});
}

void AdminApi::Impl::listing(FakeExchange& ex, bool clear) const {
  auto fake = fake_of(ex);
  if (!fake) return;
  const std::string name = ex.param(2);
  if (name == "journal") {
    if (!clear) return read_journal(ex);
    fake->journal->clear();
    ex.res.status = 204;
    return;
  }
  const auto found = fake->listings.find(name);
  if (found == fake->listings.end()) {
    return reply(ex, 404, {{"error", ex.param(1) + " has no listing named " + name}});
  }
  if (!clear) return reply(ex, 200, found->second.list());
  if (!found->second.clear) return reply(ex, 405, {{"error", name + " cannot be cleared"}});
  found->second.clear();
  ex.res.status = 204;
}

void AdminApi::Impl::put_policy(FakeExchange& ex) const {
  if (!fake_of(ex)) return;
  const json body = json::parse(ex.req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return reply(ex, 400, {{"error", "the body is not JSON"}});
  auto policy = chaos_policy_from_json(body);
  if (!policy) {
    // chaos.h's errors read "field: message".
    const std::string& text = policy.error().message;
    const auto colon = text.find(": ");
    const std::string field = colon == std::string::npos ? "policy" : text.substr(0, colon);
    const std::string message = colon == std::string::npos ? text : text.substr(colon + 2);
    ex.notes.push_back("refused policy field " + field);
    return reply(ex, 422, {{"errors", {{field, {message}}}}});
  }
  chaos.set(ex.param(1), ex.param(2), *policy);
  reply(ex, 200, to_json(*policy));
}

void AdminApi::Impl::document(FakeExchange& ex) const {
  std::function<std::optional<json>()> build;
  {
    std::lock_guard lock(mutex);
    const auto found = documents.find(ex.param(1));
    if (found != documents.end()) build = found->second;
  }
  auto document = build ? build() : std::nullopt;
  if (!document) return reply(ex, 404, {{"error", "no document named " + ex.param(1)}});
  reply(ex, 200, *document);
}

void AdminApi::Impl::network(FakeExchange& ex, bool heal) const {
  AdminNetwork registered;
  {
    std::lock_guard lock(mutex);
    registered = links;
  }
  if (!registered.set) return reply(ex, 404, {{"error", "this topology has no network links"}});
  if (ex.req.method == "GET") return reply(ex, 200, {{"links", registered.list()}});
  FaultPolicy policy;
  if (!heal) {
    const json body = json::parse(ex.req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return reply(ex, 400, {{"error", "the body is not JSON"}});
    auto parsed = fault_policy_from_json(body);
    if (!parsed) {
      // fault_policy.h's errors read "field: message", as chaos.h's do.
      const std::string& text = parsed.error().message;
      const auto colon = text.find(": ");
      return reply(ex, 422, {{"errors", {{text.substr(0, colon), {text.substr(colon + 2)}}}}});
    }
    policy = parsed.value();
  }
  if (auto set = registered.set(ex.param(1), policy); !set) {
    return reply(ex, set.error().code == ErrorCode::not_found ? 404 : 422,
                 {{"error", set.error().message}});
  }
  reply(ex, 200, to_json(policy));
}

std::vector<FakeRoute> AdminApi::Impl::routes() {
  constexpr const char* kName = R"(([A-Za-z0-9_-]+))";
  constexpr const char* kOperation = R"(([A-Za-z0-9_*-]+))";
  const std::string fake_path = std::string("/fakes/") + kName + "/" + kName;
  const std::string chaos_path = std::string("/chaos/") + kName + "/" + kOperation;
  return {
      {"GET", "/fakes", "fakes", [this](FakeExchange& ex) { list_fakes(ex); }},
      {"GET", fake_path, "fake_listing", [this](FakeExchange& ex) { listing(ex, false); }},
      {"DELETE", fake_path, "fake_listing_clear", [this](FakeExchange& ex) { listing(ex, true); }},
      {"GET", "/chaos", "chaos",
       [this](FakeExchange& ex) {
         json policies = json::object();
         for (const auto& [key, policy] : chaos.policies()) policies[key] = to_json(policy);
         reply(ex, 200, {{"policies", std::move(policies)}});
       }},
      {"PUT", chaos_path, "chaos_set", [this](FakeExchange& ex) { put_policy(ex); }},
      {"DELETE", chaos_path, "chaos_clear",
       [this](FakeExchange& ex) {
         if (!fake_of(ex)) return;
         chaos.clear(ex.param(1), ex.param(2));
         ex.res.status = 204;
       }},
      {"DELETE", "/chaos", "chaos_clear_all",
       [this](FakeExchange& ex) {
         chaos.clear_all();
         ex.res.status = 204;
       }},
      {"GET", R"(/_mepsim/([A-Za-z0-9_/-]+))", "document",
       [this](FakeExchange& ex) { document(ex); }},
      {"GET", "/network", "network", [this](FakeExchange& ex) { network(ex, false); }},
      {"PUT", std::string("/network/") + kName, "network_set",
       [this](FakeExchange& ex) { network(ex, false); }},
      {"DELETE", std::string("/network/") + kName, "network_heal",
       [this](FakeExchange& ex) { network(ex, true); }},
      {"GET", "/faults", "faults",
       [this](FakeExchange& ex) {
         reply(ex, 200, {{"faults", chaos.faults_used()}});
       }},
  };
}

AdminApi::AdminApi(Chaos& chaos, AdminApiOptions options)
    : impl_(std::make_unique<Impl>(chaos, std::move(options))) {
  FakeServerOptions server;
  server.name = "admin";
  server.address = impl_->options.address;
  server.port = impl_->options.port;
  server.threads = impl_->options.threads;
  server.body_bytes_max = 64 * 1024;  // a policy is a few hundred bytes
  server.latency_clock = impl_->options.latency_clock;
  server.error_body = admin_error;
  impl_->server = std::make_unique<FakeServer>(std::move(server), impl_->routes());
}

AdminApi::~AdminApi() {
  stop();
}

void AdminApi::register_fake(const std::string& name, RequestJournal& journal,
                             std::map<std::string, AdminListing> listings) {
  std::lock_guard lock(impl_->mutex);
  impl_->fakes[name] = {&journal, std::move(listings)};
}

void AdminApi::register_document(const std::string& name,
                                 std::function<std::optional<json>()> build) {
  std::lock_guard lock(impl_->mutex);
  impl_->documents[name] = std::move(build);
}

void AdminApi::register_network(AdminNetwork network) {
  std::lock_guard lock(impl_->mutex);
  impl_->links = std::move(network);
}

Result<void> AdminApi::start() {
  return impl_->server->start();
}

void AdminApi::stop() {
  impl_->server->stop();
}

std::uint16_t AdminApi::port() const {
  return impl_->server->port();
}

std::string AdminApi::base_url() const {
  return impl_->server->base_url();
}

RequestJournal& AdminApi::journal() {
  return impl_->server->journal();
}

}  // namespace mepsim::fakes
