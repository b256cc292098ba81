#include "fakes/common/fake_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <utility>

namespace mepsim::fakes {
namespace {

// What a reset answers: headers promising this many bytes, then fewer, then the
// connection closes. httplib gives a handler no socket to close, so the cut-short body
// is how a client is made to see a transport failure mid-response.
constexpr std::size_t kResetPromisedBytes = 4'096;
constexpr std::string_view kResetSentBody = R"({"id":")";
// A malformed answer: JSON cut off mid-value, what a proxy dropping a connection leaves.
constexpr std::string_view kMalformedBody = R"({"id":"4f1c0a, "status":)";

void default_error_body(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

const char* reason_for(int status) {
  switch (status) {
    case 404:
      return "not found";
    case 413:
      return "request body too large";
    case 429:
      return "too many requests";
    case 500:
      return "internal error";
    case 503:
      return "service unavailable";
    default:
      return status >= 500 ? "server error" : "bad request";
  }
}

// Set when a route's handler answered the request this thread serves; httplib's own
// errors (a malformed request, a body over the limit) reach the error handler without it.
thread_local bool t_served_by_route = false;

}  // namespace

struct FakeServer::Impl {
  explicit Impl(FakeServerOptions opts)
      : options(std::move(opts)),
        journal(options.journal_capacity),
        // Chaos latency sleeps on it (a virtual one moves on): hence not const.
        latency_clock(options.latency_clock != nullptr ? *options.latency_clock : own_clock),
        control_clock(options.control_clock != nullptr ? *options.control_clock : latency_clock) {
    if (!options.error_body) options.error_body = default_error_body;
  }

  void serve(const FakeRoute& route, const httplib::Request& req, httplib::Response& res);
  void apply_fault(const ChaosDecision& decision, httplib::Response& res);
  void record(const FakeRoute* route, const httplib::Request& req, const httplib::Response& res,
              Instant arrived, Instant started, std::vector<std::string> notes, std::string fault);
  void add_routes();

  FakeServerOptions options;
  RequestJournal journal;
  RealClock own_clock;
  Clock& latency_clock;
  const Clock& control_clock;
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  bool started = false;
  int port = 0;
  std::vector<FakeRoute> routes;  // the server's handlers point into it
  FakeRoute no_route;
};

// The path with the route's capability group replaced, and the query, as journaled;
// then every known capability left anywhere in it.
std::string journal_path(const FakeRoute* route, const httplib::Request& req,
                         const std::vector<std::string>& secrets) {
  std::string path = req.path;
  const auto group = route != nullptr ? static_cast<std::size_t>(route->secret_group) : 0;
  if (group > 0 && group < req.matches.size()) {
    path.replace(static_cast<std::size_t>(req.matches.position(group)),
                 static_cast<std::size_t>(req.matches.length(group)), "[redacted]");
  }
  std::vector<std::pair<std::string, std::string>> query(req.params.begin(), req.params.end());
  std::string target = journal_target(path, query);
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = target.find(secret); at != std::string::npos; at = target.find(secret, at)) {
      target.replace(at, secret.size(), "[redacted]");
    }
  }
  return target;
}

void FakeServer::Impl::record(const FakeRoute* route, const httplib::Request& req,
                              const httplib::Response& res, Instant arrived, Instant started_at,
                              std::vector<std::string> notes, std::string fault) {
  const std::chrono::duration<double, std::milli> latency = latency_clock.now() - started_at;
  JournalEntry entry;
  entry.at = arrived;
  entry.method = req.method;
  entry.path = journal_path(route, req, options.journal_secrets);
  entry.status = res.status;
  entry.latency_ms = latency.count();
  entry.notes = std::move(notes);
  entry.operation = route != nullptr ? route->operation : "";
  entry.headers = journal_headers({req.headers.begin(), req.headers.end()});
  entry.body_bytes = req.body.size();
  entry.body_sha256 = body_digest(req.body);
  entry.fault = std::move(fault);
  journal.record(std::move(entry));
}

void FakeServer::Impl::apply_fault(const ChaosDecision& decision, httplib::Response& res) {
  using Kind = ChaosDecision::Kind;
  switch (decision.kind) {
    case Kind::pass:
      return;
    case Kind::outage:
      options.error_body(res, decision.status, "service unavailable");
      return;
    case Kind::error_status:
      options.error_body(res, decision.status, reason_for(decision.status));
      return;
    case Kind::rate_limit:
      options.error_body(res, 429, reason_for(429));
      res.set_header("Retry-After", std::to_string(decision.retry_after_s));
      return;
    case Kind::malformed:
      res.status = 200;
      res.set_content(std::string(kMalformedBody), "application/json");
      return;
    case Kind::reset:
      res.status = 200;
      res.set_header("Connection", "close");
      res.set_content_provider(
          kResetPromisedBytes, "application/json",
          [](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset == 0) sink.write(kResetSentBody.data(), kResetSentBody.size());
            return false;  // httplib closes the connection short of the promised length
          });
      return;
  }
}

void FakeServer::Impl::serve(const FakeRoute& route, const httplib::Request& req,
                             httplib::Response& res) {
  t_served_by_route = true;
  const Instant arrived = control_clock.now();
  const Instant started_at = latency_clock.now();
  std::vector<std::string> notes;
  std::string fault;
  const bool routed = &route != &no_route;
  ChaosDecision decision;
  if (routed && options.chaos != nullptr) {
    decision = options.chaos->decide(options.name, route.operation);
  }
  if (decision.delay > Duration::zero()) latency_clock.sleep(decision.delay);
  if (decision.kind != ChaosDecision::Kind::pass) {
    fault = to_string(decision.kind);
    notes.push_back("chaos: " + fault);
    apply_fault(decision, res);
  } else if (!routed) {
    notes.push_back("no such route");
    options.error_body(res, 404, reason_for(404));
  } else {
    FakeExchange ex{req, res, {}};
    try {
      route.handler(ex);
    } catch (const std::exception& e) {
      // A bug, not the client's fault: answered, journaled, and the server keeps serving.
      ex.notes.push_back(std::string("internal error: ") + e.what());
      res = httplib::Response();
      options.error_body(res, 500, reason_for(500));
    }
    notes = std::move(ex.notes);
    if (decision.delay > Duration::zero()) notes.push_back("chaos: latency");
  }
  if (res.status < 100) res.status = 200;
  record(routed ? &route : nullptr, req, res, arrived, started_at, std::move(notes),
         std::move(fault));
}

void FakeServer::Impl::add_routes() {
  no_route = FakeRoute{"*", ".*", "", nullptr, 0};
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
  // Last, since the first pattern that matches wins: whatever nothing else serves.
  auto unknown = [this](const httplib::Request& req, httplib::Response& res) {
    serve(no_route, req, res);
  };
  server.Get(".*", unknown);
  server.Post(".*", unknown);
  server.Put(".*", unknown);
  server.Patch(".*", unknown);
  server.Delete(".*", unknown);
  server.Options(".*", unknown);

  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_served_by_route = false;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // What httplib answers by itself (a malformed request, a body over the limit) gets the
  // fake's own error shape and a journal entry, as every other error does.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (t_served_by_route) return httplib::Server::HandlerResponse::Unhandled;
        const int status = res.status;
        const Instant now = latency_clock.now();
        options.error_body(res, status, reason_for(status));
        record(nullptr, req, res, control_clock.now(), now, {"rejected by the HTTP server"}, "");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [this](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        options.error_body(res, 500, reason_for(500));
      });
}

FakeServer::FakeServer(FakeServerOptions options, std::vector<FakeRoute> routes)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->routes = std::move(routes);
}

FakeServer::~FakeServer() {
  stop();
}

Result<void> FakeServer::start() {
  auto& im = *impl_;
  const std::string what = "fake " + im.options.name;
  if (im.started) return make_error(ErrorCode::conflict, what + " was already started");
  im.started = true;
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
    return make_error(ErrorCode::unavailable, what + ": cannot listen on " + address + ":" +
                                                  std::to_string(im.options.port));
  }
  im.thread = std::thread([&im] {
    (void)im.server.listen_after_bind();
    im.listen_returned = true;
  });
  // stop() is a no-op until the accept loop runs: wait for it, so that a start() right
  // before a stop() cannot leave the thread serving. It takes microseconds.
  while (!im.server.is_running() && !im.listen_returned) std::this_thread::yield();
  if (im.listen_returned) {
    im.thread.join();
    return make_error(ErrorCode::unavailable, what + ": the accept loop failed");
  }
  return {};
}

void FakeServer::stop() {
  auto& im = *impl_;
  if (!im.thread.joinable()) return;
  im.server.stop();
  im.thread.join();
}

std::uint16_t FakeServer::port() const {
  return impl_->port > 0 ? static_cast<std::uint16_t>(impl_->port) : 0;
}

std::string FakeServer::base_url() const {
  const auto& address = impl_->options.address;
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  return "http://" + host + ":" + std::to_string(port());
}

RequestJournal& FakeServer::journal() {
  return impl_->journal;
}

const FakeServerOptions& FakeServer::options() const {
  return impl_->options;
}

}  // namespace mepsim::fakes
