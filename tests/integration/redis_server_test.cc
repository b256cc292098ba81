// The Redis launcher against the machine's real redis-server.

#include "sim/datastore/redis_server.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/redis_connection.h"
#include "tests/integration/mepsim_process.h"

using namespace mepsim;
using namespace std::chrono_literals;

TEST(RedisServer, SetGetExpireOnLaunchedServer) {
  // The launched Redis at REDIS_URL stores, reads back and expires keys.
  RealClock clock;
  Rng rng(1);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  auto redis = RedisConnection::open(server.value()->url(), 2s);
  ASSERT_TRUE(redis) << redis.error().message;
  ASSERT_TRUE(redis->command({"SET", "sf_sabc", "session-data"}));
  EXPECT_EQ(redis->command({"GET", "sf_sabc"}).value(), "session-data");
  EXPECT_EQ(redis->command({"EXPIRE", "sf_sabc", "1440"}).value(), "1");
  const auto ttl = std::stoi(redis->command({"TTL", "sf_sabc"}).value());
  EXPECT_GT(ttl, 1400);
  EXPECT_LE(ttl, 1440);
  EXPECT_EQ(redis->command({"PEXPIRE", "sf_sabc", "1"}).value(), "1");
  // An expired key reads as nil (Redis checks expiry on access).
  for (int i = 0; i < 100 && redis->command({"GET", "sf_sabc"}); ++i) clock.sleep(5ms);
  auto gone = redis->command({"GET", "sf_sabc"});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
}

TEST(RedisServer, RequiresItsPassword) {
  // Like a Scalingo Redis add-on, the server refuses clients without the password.
  RealClock clock;
  Rng rng(2);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  RedisUrl anonymous = server.value()->url();
  anonymous.user.clear();
  anonymous.password.clear();
  auto redis = RedisConnection::open(anonymous, 2s);
  ASSERT_TRUE(redis);
  auto refused = redis->command({"GET", "x"});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("NOAUTH"), std::string::npos) << refused.error().message;
}

TEST(RedisServer, RealRedisCliReachesUrl) {
  // redis-cli -u takes REDIS_URL as mepsim writes it.
  RealClock clock;
  Rng rng(3);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const auto result = mepsim::testing::run_shell("redis-cli --no-auth-warning -u '" +
                                                 server.value()->url().str() + "' SET k v 2>&1");
  EXPECT_EQ(result.code, 0);
  EXPECT_EQ(result.output, "OK\n");
}

TEST(RedisServer, StopEndsProcessFolderGoesWithServer) {
  // stop() ends redis-server and the URL stops answering; the folder goes with the object.
  RealClock clock;
  Rng rng(4);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const auto folder = server.value()->folder();
  const pid_t pid = server.value()->pid();
  const auto url = server.value()->url();
  EXPECT_EQ(server.value()->stop().code, 0);
  EXPECT_FALSE(server.value()->running());
  EXPECT_FALSE(mepsim::testing::process_alive(pid));
  EXPECT_FALSE(RedisConnection::open(url, 1s));
  EXPECT_TRUE(std::filesystem::exists(folder)) << "kept for start_again";
  server.value().reset();
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(RedisServer, StartAgainAnswersAtSameUrlWithoutOldKeys) {
  // Stopped and started again, the server answers at the same URL and password, and the
  // keys written before are gone: it runs with --save "" and --appendonly no.
  RealClock clock;
  Rng rng(6);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const auto url = server.value()->url();
  {
    auto redis = RedisConnection::open(url, 2s);
    ASSERT_TRUE(redis) << redis.error().message;
    ASSERT_TRUE(redis->command({"SET", "sf_sbefore", "session-data"}));
  }
  const pid_t first_pid = server.value()->pid();
  auto stopped = server.value()->stop_running();
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->code, 0);
  auto started = server.value()->start_again(clock);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_TRUE(server.value()->running());
  EXPECT_NE(server.value()->pid(), first_pid);
  EXPECT_EQ(server.value()->url().str(), url.str());
  auto redis = RedisConnection::open(url, 2s);
  ASSERT_TRUE(redis) << redis.error().message;
  EXPECT_EQ(redis->command({"EXISTS", "sf_sbefore"}).value(), "0");
  ASSERT_TRUE(redis->command({"SET", "sf_safter", "x"}));
  EXPECT_EQ(redis->command({"GET", "sf_safter"}).value(), "x");
}

TEST(RedisServer, StopOrStartTwiceIsConflict) {
  // Starting a running server, or stopping a stopped one, is a conflict naming its port.
  RealClock clock;
  Rng rng(7);
  auto server = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  auto running = server.value()->start_again(clock);
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ErrorCode::conflict);
  EXPECT_NE(running.error().message.find("already running"), std::string::npos);
  ASSERT_TRUE(server.value()->stop_running());
  auto again = server.value()->stop_running();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find(std::to_string(server.value()->url().port)),
            std::string::npos);
}

TEST(RedisServer, MissingBinaryIsNotFound) {
  // A missing redis-server is a not_found error that names the package to install.
  RealClock clock;
  Rng rng(5);
  RedisOptions options;
  options.server_program = "/nonexistent/redis-server";
  auto server = RedisServer::start(options, clock, rng);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, ErrorCode::not_found);
  EXPECT_NE(server.error().message.find("redis-server"), std::string::npos);
}
