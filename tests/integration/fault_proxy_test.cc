// The fault proxy (sim/net/fault_proxy.h) between real clients and real servers: an echo
// server for raw byte streams, the machine's redis-server for a real protocol. Pass-through
// is byte-exact; each fault does what it says, seen by the client and by the counters; a
// policy changed while a connection is open applies to it.

#include "sim/net/fault_proxy.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"

using namespace mepsim;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Echoes whatever each connection sends, until it closes; with `close_after_bytes`, closes
// its side once it has echoed that many (a server that ends the conversation).
class EchoServer {
 public:
  explicit EchoServer(asio::io_context& io, std::size_t close_after_bytes = 0)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        close_after_bytes_(close_after_bytes) {
    accept();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(tcp::socket s, std::size_t close_after)
        : socket(std::move(s)), close_after_bytes(close_after) {}
    void read() {
      socket.async_read_some(
          asio::buffer(buffer),
          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            if (ec) return;
            asio::async_write(
                self->socket, asio::buffer(self->buffer.data(), n),
                [self](boost::system::error_code wec, std::size_t written) {
                  if (wec) return;
                  self->echoed += written;
                  if (self->close_after_bytes != 0 && self->echoed >= self->close_after_bytes) {
                    boost::system::error_code ignored;
                    self->socket.shutdown(tcp::socket::shutdown_send, ignored);
                  }
                  self->read();
                });
          });
    }
    tcp::socket socket;
    std::size_t close_after_bytes;
    std::size_t echoed = 0;
    std::array<char, 16 * 1024> buffer{};
  };
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      std::make_shared<Session>(std::move(socket), close_after_bytes_)->read();
      accept();
    });
  }
  tcp::acceptor acceptor_;
  std::size_t close_after_bytes_;
};

// A blocking client socket, for the test thread.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  // Exactly `n` bytes, or what came before the error `ec` tells.
  std::string read(std::size_t n, boost::system::error_code& ec) {
    std::string out(n, '\0');
    const std::size_t got = asio::read(socket_, asio::buffer(out), ec);
    out.resize(got);
    return out;
  }
  std::string read(std::size_t n) {
    boost::system::error_code ec;
    auto out = read(n, ec);
    EXPECT_FALSE(ec) << ec.message();
    return out;
  }
  // Whether something (bytes, an end, an error) arrives within `wait`: the test's read
  // timeout, so that a stalled link fails the read instead of the test hanging.
  bool readable_within(std::chrono::milliseconds wait) {
    pollfd fd{socket_.native_handle(), POLLIN, 0};
    return ::poll(&fd, 1, static_cast<int>(wait.count())) == 1;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
};

std::string pseudo_random_bytes(std::size_t n) {
  Rng rng(99);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng.uniform_int(0, 255));
  return out;
}

// The proxy's counters once `done` holds of them, or as they are after 5 s: a write is
// counted when it completes, which the io thread may learn after the client read its bytes.
template <typename Done>
FaultCounters counters_when(const FaultProxy& proxy, Done done) {
  for (int i = 0; i < 1000 && !done(proxy.counters()); ++i) {
    std::this_thread::sleep_for(5ms);
  }
  return proxy.counters();
}

class FaultProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = RedisServer::start({}, clock_, rng_);
    ASSERT_TRUE(server) << server.error().message;
    redis_ = std::move(server.value());
  }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(redis_) << "redis-server did not start";
    servers_.push_back(std::make_unique<EchoServer>(io_));
    thread_ = std::thread([this] { io_.run(); });
  }
  // The io thread stops first: the servers and proxies are then only this thread's.
  void TearDown() override {
    io_.stop();
    thread_.join();
    proxies_.clear();
    servers_.clear();
  }

  FaultProxy& proxy_to(std::uint16_t upstream_port, std::uint64_t seed = 1) {
    FaultProxyOptions options;
    options.link = "test";
    options.upstream_port = upstream_port;
    proxies_.push_back(std::make_unique<FaultProxy>(io_, options, Rng(seed), clock_));
    auto listening = proxies_.back()->listen();
    EXPECT_TRUE(listening) << listening.error().message;
    return *proxies_.back();
  }
  FaultProxy& echo_proxy() { return proxy_to(servers_.front()->port()); }
  FaultProxy& redis_proxy() { return proxy_to(redis_->url().port); }
  static RedisUrl through(const FaultProxy& proxy) {
    RedisUrl url = redis_->url();
    url.port = proxy.port();
    return url;
  }
  // "+PONG" on a raw socket: AUTH first, as the server wants its password.
  static void authenticate(Client& client) {
    client.send("AUTH " + redis_->url().user + " " + redis_->url().password + "\r\n");
    EXPECT_EQ(client.read(5), "+OK\r\n");
  }

  static inline RealClock clock_;
  static inline Rng rng_{20261127};
  static inline std::unique_ptr<RedisServer> redis_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::vector<std::unique_ptr<EchoServer>> servers_;  // the first one echoes forever
  std::vector<std::unique_ptr<FaultProxy>> proxies_;
  std::thread thread_;
};

TEST_F(FaultProxyTest, PassThroughIsByteExact) {
  // A megabyte of arbitrary bytes comes back unchanged, counted both ways, no fault fired.
  auto& proxy = echo_proxy();
  const std::string payload = pseudo_random_bytes(1 << 20);
  Client client(proxy.port());
  std::thread writer([&] { client.send(payload); });
  const std::string echoed = client.read(payload.size());
  writer.join();
  EXPECT_TRUE(echoed == payload);
  const auto counters = counters_when(
      proxy, [&](const FaultCounters& c) { return c.bytes_to_client == payload.size(); });
  EXPECT_EQ(counters.connections, 1u);
  EXPECT_EQ(counters.bytes_to_server, payload.size());
  EXPECT_EQ(counters.bytes_to_client, payload.size());
  EXPECT_TRUE(counters.faults_fired().empty());
}

TEST_F(FaultProxyTest, RedisThroughPassThroughProxy) {
  // A real Redis client sets and reads back a 256 KiB value through the proxy.
  auto& proxy = redis_proxy();
  auto redis = RedisConnection::open(through(proxy), 5s);
  ASSERT_TRUE(redis) << redis.error().message;
  const std::string value = pseudo_random_bytes(256 * 1024);
  ASSERT_TRUE(redis->command({"SET", "fault-proxy:big", value}));
  auto read_back = redis->command({"GET", "fault-proxy:big"});
  ASSERT_TRUE(read_back) << read_back.error().message;
  EXPECT_TRUE(read_back.value() == value);
}

TEST_F(FaultProxyTest, LatencyDelaysEachWayAndRoundTripsComplete) {
  // With 40 ± 10 ms, each of 5 PINGs still answers PONG; each request and each reply was
  // delayed, so 5 round trips took at least 5 × 2 × 30 ms.
  auto& proxy = redis_proxy();
  auto redis = RedisConnection::open(through(proxy), 5s);
  ASSERT_TRUE(redis) << redis.error().message;
  FaultPolicy policy;
  policy.latency_ms = 40;
  policy.jitter_ms = 10;
  proxy.set_policy(policy);
  const auto before = proxy.counters().chunks_delayed;
  const Instant started = clock_.now();
  for (int i = 0; i < 5; ++i) {
    auto pong = redis->command({"PING"});
    ASSERT_TRUE(pong) << pong.error().message;
    EXPECT_EQ(pong.value(), "PONG");
  }
  EXPECT_GE(clock_.now() - started, 5 * 2 * 30ms);
  EXPECT_GE(proxy.counters().chunks_delayed - before, 10u);
  EXPECT_EQ(proxy.policy(), policy);
}

TEST_F(FaultProxyTest, ResetGivesTheClientEconnreset) {
  // reset_probability 1: the client's connection is reset before anything goes through.
  auto& proxy = echo_proxy();
  FaultPolicy policy;
  policy.reset_probability = 1;
  proxy.set_policy(policy);
  Client client(proxy.port());
  ASSERT_TRUE(client.readable_within(5000ms));
  boost::system::error_code ec;
  client.read(1, ec);
  EXPECT_EQ(ec, asio::error::connection_reset) << ec.message();
  EXPECT_EQ(proxy.counters().connections_reset, 1u);
  EXPECT_EQ(proxy.counters().bytes_to_server, 0u);
}

TEST_F(FaultProxyTest, ResetAfterBytesCutsAConversation) {
  // reset_after_bytes 1500 (both ways together): 600 bytes out and back make 1200, the next
  // 600 out cross the bound and the connection is reset.
  auto& proxy = echo_proxy();
  FaultPolicy policy;
  policy.reset_after_bytes = 1500;
  proxy.set_policy(policy);
  Client client(proxy.port());
  const std::string first = pseudo_random_bytes(600);
  client.send(first);
  EXPECT_TRUE(client.read(600) == first);
  boost::system::error_code ec;
  try {
    client.send(first);
  } catch (const boost::system::system_error&) {
    // The reset may come before the second write ends: the read below says the same.
  }
  client.read(600, ec);
  EXPECT_EQ(ec, asio::error::connection_reset) << ec.message();
  EXPECT_EQ(proxy.counters().connections_reset, 1u);
}

TEST_F(FaultProxyTest, BlackholeStallsThenHealLetsNewConnectionsThrough) {
  // During a blackhole a new connection's PING gets nothing back (the client's read times
  // out), and a connection open before stalls too; at heal the one opened during the
  // blackhole is reset, the one opened before gets its answer, and a new one works.
  auto& proxy = redis_proxy();
  Client before(proxy.port());
  authenticate(before);
  FaultPolicy policy;
  policy.blackhole = true;
  proxy.set_policy(policy);
  Client during(proxy.port());
  during.send("PING\r\n");
  before.send("PING\r\n");
  EXPECT_FALSE(during.readable_within(300ms));
  EXPECT_FALSE(before.readable_within(300ms));
  const auto held = proxy.counters();
  EXPECT_EQ(held.connections_blackholed, 1u);
  EXPECT_GE(held.chunks_held, 1u);

  proxy.heal();
  boost::system::error_code ec;
  ASSERT_TRUE(during.readable_within(5000ms));
  during.read(1, ec);
  EXPECT_EQ(ec, asio::error::connection_reset) << ec.message();
  ASSERT_TRUE(before.readable_within(5000ms));
  EXPECT_EQ(before.read(7), "+PONG\r\n");
  auto fresh = RedisConnection::open(through(proxy), 5s);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(fresh->command({"PING"}).value(), "PONG");
}

TEST_F(FaultProxyTest, PolicyChangesApplyToAnOpenConnection) {
  // One connection: pass-through, then latency (its next round trip is delayed and still
  // completes), then healed (nothing more is delayed).
  auto& proxy = redis_proxy();
  auto redis = RedisConnection::open(through(proxy), 5s);
  ASSERT_TRUE(redis) << redis.error().message;
  EXPECT_EQ(redis->command({"PING"}).value(), "PONG");
  EXPECT_EQ(proxy.counters().chunks_delayed, 0u);
  FaultPolicy policy;
  policy.latency_ms = 20;
  proxy.set_policy(policy);
  EXPECT_EQ(redis->command({"PING"}).value(), "PONG");
  const auto delayed = proxy.counters().chunks_delayed;
  EXPECT_EQ(delayed, 2u);
  proxy.heal();
  EXPECT_EQ(redis->command({"PING"}).value(), "PONG");
  EXPECT_EQ(proxy.counters().chunks_delayed, delayed);
  EXPECT_EQ(proxy.counters().connections, 1u);
}

TEST_F(FaultProxyTest, BandwidthThrottlesAndStaysByteExact) {
  // 64 KiB each way at 800 kbit/s (100 kB/s) come back unchanged, in many throttled chunks,
  // after at least half a second.
  auto& proxy = echo_proxy();
  FaultPolicy policy;
  policy.bandwidth_kbps = 800;
  proxy.set_policy(policy);
  const std::string payload = pseudo_random_bytes(64 * 1024);
  Client client(proxy.port());
  const Instant started = clock_.now();
  std::thread writer([&] { client.send(payload); });
  const std::string echoed = client.read(payload.size());
  writer.join();
  EXPECT_TRUE(echoed == payload);
  EXPECT_GE(clock_.now() - started, 500ms);
  EXPECT_GE(proxy.counters().chunks_throttled, 10u);
}

TEST_F(FaultProxyTest, SlowCloseHoldsTheFin) {
  // An upstream that closes after its answer: the client gets the answer, then the end of
  // the stream no sooner than slow_close_ms later.
  servers_.push_back(std::make_unique<EchoServer>(io_, 5));
  auto& proxy = proxy_to(servers_.back()->port());
  FaultPolicy policy;
  policy.slow_close_ms = 300;
  proxy.set_policy(policy);
  Client client(proxy.port());
  client.send("hello");
  EXPECT_EQ(client.read(5), "hello");
  const Instant answered = clock_.now();
  boost::system::error_code ec;
  client.read(1, ec);
  EXPECT_EQ(ec, asio::error::eof) << ec.message();
  EXPECT_GE(clock_.now() - answered, 250ms);
  EXPECT_EQ(proxy.counters().closes_delayed, 1u);
}

TEST_F(FaultProxyTest, UnreachableUpstreamResetsTheClient) {
  // An upstream that refuses connections: the client's connection is reset, as a refused
  // connect would end it; this is no fault of the policy's.
  auto& proxy = proxy_to(1);  // port 1: nothing listens there
  Client client(proxy.port());
  ASSERT_TRUE(client.readable_within(5000ms));
  boost::system::error_code ec;
  client.read(1, ec);
  EXPECT_EQ(ec, asio::error::connection_reset) << ec.message();
  EXPECT_EQ(proxy.counters().connections_reset, 0u);
}

}  // namespace
