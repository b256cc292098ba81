// mepsim-web as a real process: the router's health route over keep-alive HTTP.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "sim/datastore/scratch_dir.h"
#include "sim/net/free_port.h"
#include "sim/process/child_process.h"

using namespace mepsim;
using namespace std::chrono_literals;

namespace {

// The health route and a 404 touch no datastore: URLs nothing listens on are enough.
constexpr const char* kNoDatabase = "mysql://app:pw@127.0.0.1:1/histologe";
constexpr const char* kNoRedis = "redis://default:pw@127.0.0.1:1/0";

}  // namespace

TEST(MepsimWeb, HealthRouteAnswersAndSigtermStopsIt) {
  // A container listens on $PORT, answers /_mepsim/health with its version, 404s the rest,
  // keeps connections alive, and exits 0 on SIGTERM.
  auto scratch = ScratchDir::create("mepsim-web-test").value();
  const std::uint16_t port = free_loopback_port().value();
  auto web = ChildProcess::spawn({MEPSIM_WEB_BINARY,
                                  {},
                                  {{"PORT", std::to_string(port)},
                                   {"APP_VERSION", "1.7.4"},
                                   {"DATABASE_URL", kNoDatabase},
                                   {"REDIS_URL", kNoRedis}},
                                  scratch.path() / "web.log",
                                  {}});
  ASSERT_TRUE(web) << web.error().message;
  for (int i = 0; i < 500 && !loopback_port_accepts(port); ++i) web->wait_exit(10ms);

  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  auto health = client.Get("/_mepsim/health");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  const auto body = nlohmann::json::parse(health->body);
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("version"), "1.7.4");
  auto missing = client.Get("/nowhere");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  web->send_signal(SIGTERM);
  const auto exit = web->wait_exit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 0);
}

TEST(MepsimWeb, BadPortIsExitTwo) {
  // A PORT that is not a number is refused with exit code 2 and a message naming it.
  auto scratch = ScratchDir::create("mepsim-web-test").value();
  auto web = ChildProcess::spawn(
      {MEPSIM_WEB_BINARY, {}, {{"PORT", "eighty"}}, scratch.path() / "web.log", {}});
  ASSERT_TRUE(web);
  const auto exit = web->wait_exit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
}

TEST(MepsimWeb, MissingDatabaseUrlIsExitTwo) {
  // Like the real app, a container without DATABASE_URL cannot boot: exit 2, naming it.
  auto scratch = ScratchDir::create("mepsim-web-test").value();
  auto web = ChildProcess::spawn({MEPSIM_WEB_BINARY,
                                  {},
                                  {{"PORT", "0"}, {"REDIS_URL", kNoRedis}},
                                  scratch.path() / "web.log",
                                  {}});
  ASSERT_TRUE(web);
  const auto exit = web->wait_exit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(tail_of_file(scratch.path() / "web.log", 5).find("DATABASE_URL"), std::string::npos);
}
