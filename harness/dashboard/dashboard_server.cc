#include "harness/dashboard/dashboard_server.h"

#include <httplib.h>

#include <atomic>
#include <string_view>
#include <thread>

#include "harness/dashboard/dashboard_page.h"

namespace mepsim::dashboard {
namespace {

// A stream waits this long for a message before looking at the server again: how soon a
// stop is noticed.
constexpr auto kStreamWait = std::chrono::seconds(1);
// An idle stream sends a comment after this many waits, so that a page gone away is
// noticed (the write fails) and its slot freed.
constexpr int kIdleWaitsBeforeKeepalive = 5;
// The page may load nothing from anywhere: no script, style, image or font from a URL,
// and its feed from this server only.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

bool loopback_address(std::string_view address) {
  if (address.starts_with("::ffff:")) address.remove_prefix(7);
  return address.starts_with("127.") || address == "::1";
}

// The Host a request names, without its port: a page on another site whose name was made
// to resolve to 127.0.0.1 still says that name.
bool loopback_host(std::string_view host) {
  if (host.empty()) return true;  // HTTP/1.0, which no browser speaks
  if (host.starts_with('[')) return host.substr(1, host.find(']') - 1) == "::1";
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host.starts_with("127.");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(message + "\n", "text/plain");
}

}  // namespace

struct DashboardServer::Impl {
  Impl(DashboardFeed& f, const SnapshotSource& s, DashboardServerOptions o, LoadSecondsSink* l)
      : feed(f), source(s), options(std::move(o)), loads(l) {}

  void load_seconds(const httplib::Request& req, httplib::Response& res) const {
    if (!loopback_address(req.remote_addr) || !loopback_host(req.get_header_value("Host"))) {
      return refuse(res, 403, "loads post from this machine only");
    }
    if (loads == nullptr) return refuse(res, 404, "this dashboard shows a finished report");
    const std::string name = req.matches[1];
    if (!valid_load_name(name)) {
      return refuse(res, 400, "name: 1 to 64 of the characters A-Z a-z 0-9 . _ -");
    }
    const auto type = req.get_header_value("Content-Type");
    if (type != "application/json" && !type.starts_with("application/json;")) {
      return refuse(res, 415, "Content-Type: application/json is expected");
    }
    if (req.body.size() > kLoadBodyBytesMax) {
      return refuse(res, 413, "at most " + std::to_string(kLoadBodyBytesMax) + " bytes a post");
    }
    auto seconds = parse_load_seconds(req.body);
    if (!seconds) return refuse(res, 400, seconds.error().message);
    const auto kept = loads->add_load_seconds(name, seconds.value());
    res.set_content("{\"kept\":" + std::to_string(kept) +
                        ",\"stale\":" + std::to_string(seconds->size() - kept) + "}",
                    "application/json");
  }

  void page(httplib::Response& res) const {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy", kContentSecurityPolicy);
    const auto page = dashboard_page();
    res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
  }

  void snapshot(httplib::Response& res) const {
    res.set_header("Cache-Control", "no-store");
    res.set_content(source.snapshot_json(), "application/json");
  }

  void stream(httplib::Response& res) {
    auto subscription = feed.subscribe();
    if (!subscription) {
      res.status = 503;
      res.set_header("Retry-After", "5");
      res.set_content("too many dashboard pages follow the feed; close one\n", "text/plain");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    const SnapshotSource* snapshots = &source;
    res.set_chunked_content_provider(
        "text/event-stream",
        [subscription, snapshots, idle = 0](std::size_t, httplib::DataSink& sink) mutable {
          const auto next = subscription->next(kStreamWait);
          std::string frame;
          switch (next.kind) {
            case FeedSubscription::Kind::closed:
              sink.done();
              return true;
            case FeedSubscription::Kind::idle:
              if (++idle < kIdleWaitsBeforeKeepalive) return true;
              frame = ": keepalive\n\n";
              break;
            case FeedSubscription::Kind::resync:
              frame = "retry: 2000\n" + sse_frame("snapshot", snapshots->snapshot_json());
              break;
            case FeedSubscription::Kind::message:
              frame = sse_frame(next.message.event, next.message.data);
              break;
          }
          idle = 0;
          return sink.write(frame.data(), frame.size());
        });
  }

  DashboardFeed& feed;
  const SnapshotSource& source;
  DashboardServerOptions options;
  LoadSecondsSink* loads;
  httplib::Server server;
  std::thread thread;
  int port = -1;
  std::atomic<bool> listen_returned{false};
};

DashboardServer::DashboardServer(DashboardFeed& feed, const SnapshotSource& source,
                                 DashboardServerOptions options, LoadSecondsSink* loads)
    : impl_(std::make_unique<Impl>(feed, source, std::move(options), loads)) {}

DashboardServer::~DashboardServer() {
  stop();
}

Result<void> DashboardServer::start() {
  auto& im = *impl_;
  if (im.thread.joinable()) return make_error(ErrorCode::conflict, "dashboard already started");
  im.server.set_tcp_nodelay(true);
  // Every stream holds a thread; a few more answer the page and snapshots meanwhile.
  const std::size_t threads = im.feed.limits().subscribers_max + 4;
  im.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  im.server.Get("/", [&im](const httplib::Request&, httplib::Response& res) { im.page(res); });
  im.server.Get("/snapshot.json",
                [&im](const httplib::Request&, httplib::Response& res) { im.snapshot(res); });
  im.server.Get("/feed",
                [&im](const httplib::Request&, httplib::Response& res) { im.stream(res); });
  // A bigger body is refused (413) before it is read whole.
  im.server.set_payload_max_length(kLoadBodyBytesMax);
  im.server.Post(
      R"(/load/([^/]+)/seconds)",
      [&im](const httplib::Request& req, httplib::Response& res) { im.load_seconds(req, res); });
  const auto& address = im.options.address;
  im.port = im.options.port == 0
                ? im.server.bind_to_any_port(address)
                : (im.server.bind_to_port(address, im.options.port) ? im.options.port : -1);
  if (im.port <= 0) {
    return make_error(ErrorCode::unavailable, "dashboard: cannot listen on " + address + ":" +
                                                  std::to_string(im.options.port));
  }
  im.thread = std::thread([&im] {
    (void)im.server.listen_after_bind();
    im.listen_returned = true;
  });
  // stop() does nothing until the accept loop runs: wait for it (microseconds).
  while (!im.server.is_running() && !im.listen_returned) std::this_thread::yield();
  if (im.listen_returned) {
    im.thread.join();
    return make_error(ErrorCode::unavailable, "dashboard: the accept loop failed");
  }
  return {};
}

void DashboardServer::stop() {
  auto& im = *impl_;
  im.feed.close();
  if (!im.thread.joinable()) return;
  im.server.stop();
  im.thread.join();
}

std::uint16_t DashboardServer::port() const {
  return impl_->port > 0 ? static_cast<std::uint16_t>(impl_->port) : 0;
}

std::string DashboardServer::url() const {
  const auto& address = impl_->options.address;
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  return "http://" + host + ":" + std::to_string(port()) + "/";
}

}  // namespace mepsim::dashboard
