#include "fakes/scalingo/scalingo_api.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/jwt.h"

namespace mepsim::fakes::scalingo {
namespace {

// Why a /v1/apps… request is refused, or nullopt when its bearer token is good.
std::optional<std::string> bearer_refusal(ApiContext& ctx, const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return "missing bearer token: exchange the API token at /v1/tokens/exchange first";
  }
  const auto claims = verify_jwt_hs256(std::string_view(header).substr(kScheme.size()),
                                       ctx.jwt_secret, ctx.platform.now());
  if (!claims) return claims.error().message;
  return std::nullopt;
}

void no_route(ApiContext&, Exchange& ex) {
  ex.notes.push_back("no such route");
  reply_json(ex, 404, {{"error", "not found"}});
}

// The path with the route's capability group replaced, and the query, as journaled.
std::string journal_path(const Route& route, const httplib::Request& req) {
  std::string path = req.path;
  const auto group = static_cast<std::size_t>(route.secret_group);
  if (group > 0 && group < req.matches.size()) {
    path.replace(static_cast<std::size_t>(req.matches.position(group)),
                 static_cast<std::size_t>(req.matches.length(group)), "[redacted]");
  }
  std::vector<std::pair<std::string, std::string>> query(req.params.begin(), req.params.end());
  return journal_target(path, query);
}

std::vector<Route> all_routes() {
  std::vector<Route> routes;
  for (auto&& table : {auth_routes(), app_routes(), deployment_routes(), container_routes(),
                       one_off_routes(), variable_routes(), scm_routes()}) {
    routes.insert(routes.end(), table.begin(), table.end());
  }
  // Last, since the first pattern that matches wins: whatever nothing else serves.
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    routes.push_back({method, ".*", Access::open, no_route});
  }
  return routes;
}

}  // namespace

struct ScalingoApi::Impl {
  Impl(platform::Platform& platform, Rng rng, ScalingoApiOptions opts)
      : options(std::move(opts)),
        api_token(options.api_token.empty() ? "tk-us-" + rng.alnum(48) : options.api_token),
        context(platform, rng.fork("jwt"), api_token,
                options.jwt_secret.empty() ? rng.alnum(64) : options.jwt_secret,
                options.one_off_wait_max, std::max(1, options.threads / 2)),
        journal(options.journal_capacity),
        latency_clock(options.latency_clock != nullptr ? *options.latency_clock : own_clock) {}

  void serve(const Route& route, const httplib::Request& req, httplib::Response& res);
  void add_routes();

  ScalingoApiOptions options;
  const std::string api_token;
  ApiContext context;
  RequestJournal journal;
  RealClock own_clock;
  const Clock& latency_clock;
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  int port = 0;
  std::vector<Route> routes;  // the server's handlers point into it
};

void ScalingoApi::Impl::serve(const Route& route, const httplib::Request& req,
                              httplib::Response& res) {
  const Instant arrived = context.platform.now();
  const Instant started = latency_clock.now();
  Exchange ex{req, res, {}};
  try {
    if (route.access == Access::bearer) {
      if (auto refusal = bearer_refusal(context, req)) {
        reply_json(ex, 401, {{"error", *refusal}});
      } else {
        route.handler(context, ex);
      }
    } else {
      route.handler(context, ex);
    }
  } catch (const std::exception& e) {
    // A bug, not the client's fault: answered, journaled, and the server keeps serving.
    ex.notes.push_back(std::string("internal error: ") + e.what());
    reply_json(ex, 500, {{"error", "internal error"}});
  }
  if (res.status < 100) res.status = 200;
  const std::chrono::duration<double, std::milli> latency = latency_clock.now() - started;
  journal.record({0, arrived, req.method, journal_path(route, req), res.status, latency.count(),
                  std::move(ex.notes)});
}

void ScalingoApi::Impl::add_routes() {
  routes = all_routes();
  for (const auto& route : routes) {
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
      serve(route, req, res);
    };
    if (route.method == "GET") server.Get(route.pattern, handler);
    if (route.method == "POST") server.Post(route.pattern, handler);
    if (route.method == "PUT") server.Put(route.pattern, handler);
    if (route.method == "PATCH") server.Patch(route.pattern, handler);
    if (route.method == "DELETE") server.Delete(route.pattern, handler);
  }
  // What httplib answers by itself (a malformed request, a body over the limit) still
  // gets a JSON body, as every other error does.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const std::string message = res.status == 413 ? "request body too large" : "bad request";
        res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(R"({"error":"internal error"})", "application/json");
      });
}

ScalingoApi::ScalingoApi(platform::Platform& platform, Rng rng, ScalingoApiOptions options)
    : impl_(std::make_unique<Impl>(platform, std::move(rng), std::move(options))) {}

ScalingoApi::~ScalingoApi() {
  stop();
}

Result<void> ScalingoApi::start() {
  auto& im = *impl_;
  if (im.thread.joinable() || !im.routes.empty()) {
    return make_error(ErrorCode::conflict, "the Scalingo API fake was already started");
  }
  // Without TCP_NODELAY every response waits ~40 ms on delayed ACKs (FACTS.md).
  im.server.set_tcp_nodelay(true);
  im.server.set_payload_max_length(im.options.body_bytes_max);
  const auto threads = static_cast<std::size_t>(std::max(2, im.options.threads));
  im.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  im.add_routes();
  const auto& address = im.options.address;
  if (im.options.port == 0) {
    im.port = im.server.bind_to_any_port(address);
  } else {
    im.port = im.server.bind_to_port(address, im.options.port) ? im.options.port : -1;
  }
  if (im.port <= 0) {
    return make_error(ErrorCode::unavailable, "Scalingo API fake: cannot listen on " + address +
                                                  ":" + std::to_string(im.options.port));
  }
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  im.context.base_url = "http://" + host + ":" + std::to_string(im.port);
  im.thread = std::thread([&im] {
    (void)im.server.listen_after_bind();
    im.listen_returned = true;
  });
  // stop() is a no-op until the accept loop runs: wait for it, so that a start() right
  // before a stop() cannot leave the thread serving. It takes microseconds.
  while (!im.server.is_running() && !im.listen_returned) std::this_thread::yield();
  if (im.listen_returned) {
    im.thread.join();
    return make_error(ErrorCode::unavailable, "Scalingo API fake: the accept loop failed");
  }
  return {};
}

void ScalingoApi::stop() {
  auto& im = *impl_;
  if (!im.thread.joinable()) return;
  {
    // Under the platform's lock, so that a wait checking its condition cannot miss it.
    std::lock_guard lock(im.context.platform.mutex());
    im.context.stopping = true;
  }
  im.context.platform.notify_changed();
  im.server.stop();
  im.thread.join();
}

std::uint16_t ScalingoApi::port() const {
  return impl_->port > 0 ? static_cast<std::uint16_t>(impl_->port) : 0;
}

std::string ScalingoApi::base_url() const {
  return impl_->context.base_url;
}

const std::string& ScalingoApi::api_token() const {
  return impl_->api_token;
}

const RequestJournal& ScalingoApi::journal() const {
  return impl_->journal;
}

void ScalingoApi::set_github_integration(GithubIntegration* integration) {
  impl_->context.github_integration = integration;
}

std::string ScalingoApi::github_hook_url() const {
  return impl_->context.base_url + "/hooks/github";
}

}  // namespace mepsim::fakes::scalingo
