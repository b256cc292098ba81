// The router against real mepsim-web containers: round-robin, request ids, drain, 503,
// retry past a killed container, 504 past a silent one, 413 for a huge body.

#include "sim/router/router.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/datastore/scratch_dir.h"
#include "sim/net/free_port.h"
#include "sim/process/child_process.h"

using namespace mepsim;
using namespace mepsim::router;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct WebContainer {
  ChildProcess process;
  std::uint16_t port;
};

WebContainer start_web(const ScratchDir& scratch, const std::string& version) {
  const std::uint16_t port = free_loopback_port().value();
  auto web = ChildProcess::spawn({MEPSIM_WEB_BINARY,
                                  {},
                                  // The health route touches no datastore: URLs nothing
                                  // listens on are enough.
                                  {{"PORT", std::to_string(port)},
                                   {"APP_VERSION", version},
                                   {"DATABASE_URL", "mysql://app:pw@127.0.0.1:1/histologe"},
                                   {"REDIS_URL", "redis://default:pw@127.0.0.1:1/0"}},
                                  scratch.path() / (version + ".log"),
                                  {}});
  EXPECT_TRUE(web) << web.error().message;
  for (int i = 0; i < 500 && !loopback_port_accepts(port); ++i) web->wait_exit(10ms);
  return {std::move(web).value(), port};
}

// A backend that accepts connections and never answers. Its sockets live on the test's
// io_context thread.
class SilentBackend {
 public:
  explicit SilentBackend(asio::io_context& io)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      held_.push_back(std::move(socket));
      accept();
    });
  }
  asio::ip::tcp::acceptor acceptor_;
  std::vector<asio::ip::tcp::socket> held_;
};

std::string version_of(const httplib::Result& result) {
  if (!result || result->status != 200) return "";
  return nlohmann::json::parse(result->body).at("version").get<std::string>();
}

}  // namespace

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    webs_.push_back(start_web(scratch_, "v1"));
    webs_.push_back(start_web(scratch_, "v2"));
  }

  void start_router(RouterOptions options, std::vector<Backend> backends) {
    options.access_events_one_in = 1;
    router_ = std::make_unique<Router>(io_, options, events_, clock_);
    const auto listening = router_->listen();
    ASSERT_TRUE(listening) << listening.error().message;
    ASSERT_TRUE(router_->set_backends(std::move(backends)));
    thread_ = std::thread([this] { io_.run(); });
  }
  void start_router() {
    start_router({},
                 {{"web-1", "127.0.0.1", webs_[0].port}, {"web-2", "127.0.0.1", webs_[1].port}});
  }

  void TearDown() override {
    if (router_) router_->close();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", router_->port());
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    c.set_read_timeout(10, 0);
    return c;
  }

  ScratchDir scratch_ = ScratchDir::create("mepsim-router-test").value();
  std::vector<WebContainer> webs_;
  EventLog events_;
  RealClock clock_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<SilentBackend> silent_;  // used on the io thread: dropped after its join
  std::unique_ptr<Router> router_;
  std::thread thread_;
};

TEST_F(RouterTest, RoundRobinOverPooledConnections) {
  // One keep-alive client sees the two versions alternate, and the router reuses one
  // upstream connection per backend instead of opening one per request.
  start_router();
  auto c = client();
  std::vector<std::string> versions;
  for (int i = 0; i < 10; ++i) versions.push_back(version_of(c.Get("/_mepsim/health")));
  for (std::size_t i = 0; i < versions.size(); ++i) {
    ASSERT_FALSE(versions[i].empty()) << "request " << i;
    if (i > 0) {
      EXPECT_NE(versions[i], versions[i - 1]) << "request " << i;
    }
  }
  for (const auto& backend : router_->backends()) {
    EXPECT_EQ(backend.requests, 5u) << backend.id;
    EXPECT_EQ(backend.in_flight, 0u) << backend.id;
    EXPECT_EQ(backend.idle_connections, 1u) << backend.id;
  }
}

TEST_F(RouterTest, RequestIdGeneratedOrKept) {
  // A request without X-Request-Id gets one, in the response; an incoming one is kept.
  start_router();
  auto c = client();
  auto generated = c.Get("/_mepsim/health");
  ASSERT_TRUE(generated);
  EXPECT_TRUE(generated->get_header_value("X-Request-Id").starts_with("mepsim-"));
  auto kept = c.Get("/_mepsim/health", {{"X-Request-Id", "from-the-client-42"}});
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->get_header_value("X-Request-Id"), "from-the-client-42");
}

TEST_F(RouterTest, AccessEventsNameBackendAndStatus) {
  // With access events on, each request leaves a data-plane event naming its backend.
  start_router();
  auto c = client();
  ASSERT_TRUE(c.Get("/_mepsim/health"));
  ASSERT_TRUE(c.Get("/nowhere"));
  std::vector<Event> access;
  for (const auto& event : events_.retained()) {
    if (event.component == "router" && event.name == "access") access.push_back(event);
  }
  ASSERT_EQ(access.size(), 2u);
  EXPECT_EQ(access[0].plane, Plane::data);
  EXPECT_EQ(access[0].field("method"), "GET");
  EXPECT_EQ(access[0].field("path"), "/_mepsim/health");
  EXPECT_EQ(access[0].field("status"), "200");
  EXPECT_EQ(access[0].field("backend"), "web-1");
  EXPECT_EQ(access[1].field("status"), "404");
  EXPECT_EQ(access[1].field("backend"), "web-2");
  EXPECT_FALSE(access[1].field("duration_ms").empty());
}

TEST_F(RouterTest, DrainSendsEverythingToTheOther) {
  // A draining backend gets no new request; with none in flight it reports drained at once.
  start_router();
  auto c = client();
  ASSERT_EQ(version_of(c.Get("/_mepsim/health")), "v1");
  bool drained = false;
  ASSERT_TRUE(router_->drain("web-1", [&] { drained = true; }));
  EXPECT_TRUE(drained);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(version_of(c.Get("/_mepsim/health")), "v2");
  const auto backends = router_->backends();
  ASSERT_EQ(backends.size(), 2u);
  EXPECT_TRUE(backends[0].draining);
  EXPECT_EQ(backends[0].idle_connections, 0u);
  EXPECT_EQ(router_->drain("web-9").error().code, ErrorCode::not_found);
}

TEST_F(RouterTest, DrainWaitsForTheRequestInFlight) {
  // drain's callback comes once the exchange in flight has ended, not before.
  silent_ = std::make_unique<SilentBackend>(io_);
  RouterOptions options;
  options.upstream_timeout = 500ms;
  start_router(options, {{"silent", "127.0.0.1", silent_->port()}});
  auto pending = std::async(std::launch::async, [port = router_->port()] {
    httplib::Client c("127.0.0.1", port);
    auto result = c.Get("/slow");
    return result ? result->status : -1;
  });
  for (int i = 0; i < 200 && router_->backends().at(0).in_flight == 0; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(router_->backends().at(0).in_flight, 1u);
  auto drained = std::make_shared<std::promise<void>>();
  auto drained_future = drained->get_future();
  ASSERT_TRUE(router_->drain("silent", [drained] { drained->set_value(); }));
  EXPECT_EQ(drained_future.wait_for(100ms), std::future_status::timeout);
  EXPECT_EQ(pending.get(), 504);
  EXPECT_EQ(drained_future.wait_for(5s), std::future_status::ready);
}

TEST_F(RouterTest, NoBackendIs503) {
  // Without backends the router answers a small "Application unavailable" page itself.
  start_router();
  ASSERT_TRUE(router_->set_backends({}));
  auto c = client();
  auto result = c.Get("/_mepsim/health");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_NE(result->body.find("Application unavailable"), std::string::npos);
  EXPECT_TRUE(result->get_header_value("Content-Type").starts_with("text/html"));
  EXPECT_FALSE(result->get_header_value("X-Request-Id").empty());
}

TEST_F(RouterTest, KilledBackendGetsAreRetriedPostsAre502) {
  // After a SIGKILL, every GET still succeeds on the other container; a POST that met the
  // dead one is not replayed.
  start_router();
  auto c = client();
  for (int i = 0; i < 2; ++i) ASSERT_FALSE(version_of(c.Get("/_mepsim/health")).empty());
  webs_[0].process.send_signal(SIGKILL);
  ASSERT_TRUE(webs_[0].process.wait_exit(5s));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(version_of(c.Get("/_mepsim/health")), "v2") << i;
  std::vector<int> post_statuses;
  for (int i = 0; i < 2; ++i) {
    auto result = c.Post("/_mepsim/health", "x", "text/plain");
    ASSERT_TRUE(result);
    post_statuses.push_back(result->status);
  }
  std::sort(post_statuses.begin(), post_statuses.end());
  EXPECT_EQ(post_statuses, (std::vector<int>{200, 502}));
}

TEST_F(RouterTest, SilentBackendIs504) {
  // A backend that accepts and never answers costs the upstream timeout, then a 504.
  silent_ = std::make_unique<SilentBackend>(io_);
  RouterOptions options;
  options.upstream_timeout = 300ms;
  start_router(options, {{"silent", "127.0.0.1", silent_->port()}});
  auto c = client();
  auto result = c.Get("/_mepsim/health");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 504);
  EXPECT_EQ(router_->backends().at(0).in_flight, 0u);
}

TEST_F(RouterTest, HugeBodyIs413) {
  // A body over the bound is refused with 413, readable by the client that sent it.
  start_router();
  auto c = client();
  const std::string body(11 << 20, 'x');
  auto result = c.Post("/_mepsim/health", body, "application/octet-stream");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 413);
  auto after = client().Get("/_mepsim/health");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}
