#include "fakes/github/github_fake.h"

#include <cctype>
#include <utility>

#include "fakes/common/fake_server.h"
#include "fakes/common/hmac.h"
#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {

const char* to_string(CiResult result) {
  return result == CiResult::success ? "success" : "failure";
}

Result<CiResult> ci_result_from_string(const std::string& text) {
  if (text == "success") return CiResult::success;
  if (text == "failure") return CiResult::failure;
  return make_error(ErrorCode::invalid_input,
                    "CI result '" + text + "': expected success or failure");
}

const char* to_string(CombinedState state) {
  switch (state) {
    case CombinedState::pending:
      return "pending";
    case CombinedState::success:
      return "success";
    case CombinedState::failure:
      return "failure";
  }
  return "pending";
}

namespace {

// Why a REST request is refused (401), or nullopt when it carries the token.
std::optional<std::string> token_refusal(const GitHubContext& ctx, const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) return "Requires authentication";
  const auto space = header.find(' ');
  if (space == std::string::npos) return "Bad credentials";
  std::string scheme = header.substr(0, space);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string_view credentials = std::string_view(header).substr(space + 1);
  if ((scheme == "token" || scheme == "bearer") && constant_time_equal(credentials, ctx.token)) {
    return std::nullopt;
  }
  if (scheme == "basic") {
    if (const auto decoded = base64_decode(credentials)) {
      const auto colon = decoded->find(':');
      if (colon != std::string::npos &&
          constant_time_equal(std::string_view(*decoded).substr(colon + 1), ctx.token)) {
        return std::nullopt;
      }
    }
  }
  return "Bad credentials";
}

std::vector<GitHubRoute> all_routes() {
  std::vector<GitHubRoute> routes;
  // Statuses before git routes: `commits/{ref}/status` must not read as `commits/{sha}`.
  for (auto&& table : {admin_routes(), smart_http_routes(), status_routes(), pull_routes(),
                       git_routes(), release_routes(), issue_routes(), hook_routes()}) {
    routes.insert(routes.end(), table.begin(), table.end());
  }
  return routes;
}

std::string draw_token(Rng& rng) {
  return "ghp_" + rng.alnum(36);
}

}  // namespace

struct GitHubFake::Impl {
  Impl(GitOrigin& origin, Rng rng, EventLog& events, GitHubFakeOptions opts)
      : options(std::move(opts)),
        control_clock(options.control_clock != nullptr ? *options.control_clock : own_clock),
        token(options.token.empty() ? draw_token(rng) : options.token),
        ctx(std::make_shared<GitHubContext>(origin, rng.fork("model"), events, options,
                                            control_clock, token)) {}

  FakeServerOptions server_options() const;

  GitHubFakeOptions options;
  RealClock own_clock;
  const Clock& control_clock;
  const std::string token;
  std::shared_ptr<GitHubContext> ctx;
  std::unique_ptr<FakeServer> server;
  bool seeded = false;
};

FakeServerOptions GitHubFake::Impl::server_options() const {
  FakeServerOptions out;
  out.name = "github";
  out.address = options.address;
  out.port = options.port;
  out.threads = options.threads;
  // A push carries a pack: larger than any JSON body, still bounded.
  out.body_bytes_max = std::size_t{64} << 20;
  out.journal_capacity = options.journal_capacity;
  out.control_clock = &control_clock;
  out.latency_clock = options.latency_clock;
  out.chaos = options.chaos;
  out.error_body = [](httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    const nlohmann::json body = {{"message", status == 404 ? "Not Found" : message},
                                 {"documentation_url", kDocumentationUrl}};
    res.set_content(body.dump(), "application/json; charset=utf-8");
  };
  return out;
}

GitHubFake::GitHubFake(GitOrigin& origin, Rng rng, EventLog& events, GitHubFakeOptions options)
    : impl_(std::make_unique<Impl>(origin, std::move(rng), events, std::move(options))) {
  std::weak_ptr<GitHubContext> weak = impl_->ctx;
  origin.on_push([weak](const std::vector<RefUpdate>& updates) {
    auto ctx = weak.lock();
    if (!ctx) return;
    Txn txn(*ctx);
    ctx->refs_moved(txn, updates, pusher_on_this_thread());
  });
}

GitHubFake::~GitHubFake() {
  stop();
  impl_->ctx->origin.on_push({});
}

Result<void> GitHubFake::seed(const GitHubSeed& seed) {
  return seed_repository(*impl_->ctx, seed);
}

Result<void> GitHubFake::start() {
  if (impl_->server) return make_error(ErrorCode::conflict, "GitHub fake already started");
  std::vector<FakeRoute> routes;
  std::weak_ptr<GitHubContext> weak = impl_->ctx;
  for (auto& route : all_routes()) {
    FakeRoute fake_route;
    fake_route.method = route.method;
    fake_route.pattern = route.pattern;
    fake_route.operation = route.operation;
    fake_route.handler = [weak, route](FakeExchange& ex) {
      auto ctx = weak.lock();
      if (!ctx) return reply_message(ex, 503, "Service Unavailable");
      if (route.access == Access::token) {
        if (const auto refusal = token_refusal(*ctx, ex.req)) {
          ex.notes.push_back(*refusal);
          return reply_message(ex, 401, *refusal);
        }
      }
      route.handler(*ctx, ex);
    };
    routes.push_back(std::move(fake_route));
  }
  impl_->server = std::make_unique<FakeServer>(impl_->server_options(), std::move(routes));
  if (auto started = impl_->server->start(); !started) {
    impl_->server.reset();
    return started.error().context("starting the GitHub fake");
  }
  impl_->ctx->base_url = impl_->server->base_url();
  impl_->ctx->dispatcher.start();
  return {};
}

void GitHubFake::stop() {
  if (impl_->server) impl_->server->stop();
  impl_->ctx->dispatcher.stop();
}

std::uint16_t GitHubFake::port() const {
  return impl_->server ? impl_->server->port() : 0;
}
std::string GitHubFake::base_url() const {
  return impl_->ctx->base_url;
}
std::string GitHubFake::git_url() const {
  return impl_->ctx->base_url + "/" + impl_->ctx->full_name() + ".git";
}
const std::string& GitHubFake::token() const {
  return impl_->token;
}

const RequestJournal& GitHubFake::journal() const {
  static const RequestJournal kEmpty(1);
  return impl_->server ? impl_->server->journal() : kEmpty;
}

Result<RequestJournal*> GitHubFake::mutable_journal() {
  if (!impl_->server) return make_error(ErrorCode::conflict, "the GitHub fake is not started");
  return &impl_->server->journal();
}

SubscriptionId GitHubFake::subscribe(std::vector<std::string> events, WebhookListener listener) {
  return impl_->ctx->subscribe(std::move(events), std::move(listener));
}

void GitHubFake::unsubscribe(SubscriptionId id) {
  impl_->ctx->unsubscribe(id);
}

void GitHubFake::set_ci_override(const std::string& branch, std::optional<CiResult> result) {
  Txn txn(*impl_->ctx);
  if (!impl_->ctx->set_ci_override(txn, branch, result)) {
    impl_->ctx->publish(txn, "ci", "ci.override_refused",
                        {{"branch", branch}, {"reason", "too many branch overrides"}});
  }
}

std::map<std::string, CiResult> GitHubFake::ci_overrides() const {
  Txn txn(*impl_->ctx);
  return txn.model.ci_overrides;
}

Result<CombinedState> GitHubFake::combined_status(const std::string& ref) const {
  auto& ctx = *impl_->ctx;
  auto sha = ctx.origin.resolve(ref);
  if (!sha) return sha.error();
  Txn txn(ctx);
  return ctx.combined_state(txn, *sha);
}

namespace {

PullRequestView view_of(const PullRequest& pull) {
  PullRequestView view;
  view.number = pull.number;
  view.title = pull.title;
  view.state = pull.state;
  view.merged = pull.merged;
  view.merged_at = pull.merged_at;
  view.merged_by = pull.merged_by;
  view.head_ref = pull.head_ref;
  view.head_sha = pull.head_sha;
  view.base_ref = pull.base_ref;
  view.base_sha = pull.base_sha;
  view.labels = pull.labels;
  view.user = pull.user;
  return view;
}

}  // namespace

std::vector<PullRequestView> GitHubFake::pull_requests() const {
  Txn txn(*impl_->ctx);
  std::vector<PullRequestView> views;
  for (const auto& [number, pull] : txn.model.pulls) views.push_back(view_of(pull));
  return views;
}

Result<PullRequestView> GitHubFake::pull_request(int number) const {
  Txn txn(*impl_->ctx);
  const auto it = txn.model.pulls.find(number);
  if (it == txn.model.pulls.end()) {
    return make_error(ErrorCode::not_found, "no pull request #" + std::to_string(number));
  }
  return view_of(it->second);
}

Result<PullRequestView> GitHubFake::open_pull_request(const std::string& head,
                                                      const std::string& base,
                                                      const std::string& title) {
  Txn txn(*impl_->ctx);
  const auto opened = impl_->ctx->open_pull(txn, {head, base, title, ""});
  if (const auto* refusal = std::get_if<PullRefusal>(&opened)) {
    return make_error(
        ErrorCode::invalid_input,
        "pull request " + head + " → " + base + ": " +
            (refusal->message.empty() ? refusal->field + " " + refusal->code : refusal->message));
  }
  return view_of(txn.model.pulls.at(std::get<int>(opened)));
}

std::vector<WebhookDelivery> GitHubFake::deliveries() const {
  return impl_->ctx->dispatcher.deliveries();
}

DeliveryStats GitHubFake::delivery_stats() const {
  return impl_->ctx->dispatcher.stats();
}

bool GitHubFake::wait_deliveries_idle(Duration timeout) const {
  return impl_->ctx->dispatcher.wait_idle(timeout);
}

}  // namespace mepsim::fakes::github
