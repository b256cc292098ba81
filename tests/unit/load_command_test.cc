// Unit tests of harness/cli/load_command.h: the --mix syntax, and the generator's options
// from the flags and the env file `mepsim up` wrote.

#include "harness/cli/load_command.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sim/datastore/scratch_dir.h"

namespace mepsim {
namespace {

using scenario::UserClass;

TEST(LoadCommand, MixOfClassesInPercent) {
  // "class=percent" or "class:percent", comma-separated; a class named twice adds up.
  auto mix = load_cli::parse_mix("anonymous=70,partner:20,admin=5,admin=5");
  ASSERT_TRUE(mix) << mix.error().message;
  EXPECT_EQ(mix->at(UserClass::anonymous), 70);
  EXPECT_EQ(mix->at(UserClass::partner), 20);
  EXPECT_EQ(mix->at(UserClass::admin), 10);
  for (const char* bad : {"visitor=10", "admin", "admin=ten", "admin=-5"}) {
    auto refused = load_cli::parse_mix(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("--mix"), std::string::npos);
  }
}

TEST(LoadCommand, AppUrlAndPasswordFromTheEnvFile) {
  // --app histologe-staging reads APP_URL_HISTOLOGE_STAGING and the fixture password.
  auto scratch = ScratchDir::create("mepsim-load-command").value();
  const auto env = scratch.path() / "env";
  std::ofstream(env) << "APP_URL_HISTOLOGE_STAGING=http://127.0.0.1:4321\n"
                        "MEPSIM_FIXTURE_PASSWORD=abc123\n";
  LoadCommandOptions o;
  o.app = "histologe-staging";
  o.env_file = env.string();
  o.mix = "anonymous=50,partner=50";
  o.duration = "90s";
  auto options = load_cli::load_options_of(o);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->target_url, "http://127.0.0.1:4321");
  EXPECT_EQ(options->app, "histologe-staging");
  EXPECT_EQ(options->password, "abc123");
  EXPECT_EQ(options->duration, std::chrono::seconds(90));
  EXPECT_EQ(options->mix_percent.size(), 2u);

  o.app = "histologe-demo";
  auto missing = load_cli::load_options_of(o);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("APP_URL_HISTOLOGE_DEMO"), std::string::npos);
}

TEST(LoadCommand, OneTargetAndValidFlags) {
  // Neither or both of --target and --app, a bad duration, a mix not summing to 100:
  // refused before anything is sent, naming the flag.
  LoadCommandOptions o;
  o.env_file = "/nonexistent/env";
  EXPECT_FALSE(load_cli::load_options_of(o));
  o.target = "http://127.0.0.1:9";
  o.app = "histologe";
  EXPECT_FALSE(load_cli::load_options_of(o));
  o.app.reset();
  o.duration = "ten";
  auto bad_duration = load_cli::load_options_of(o);
  ASSERT_FALSE(bad_duration);
  EXPECT_NE(bad_duration.error().message.find("--duration"), std::string::npos);
  o.duration.reset();
  o.mix = "anonymous=60";
  auto bad_mix = load_cli::load_options_of(o);
  ASSERT_FALSE(bad_mix);
  EXPECT_NE(bad_mix.error().message.find("100"), std::string::npos);
  o.mix.clear();
  o.closed = true;
  o.connections = 4;
  auto closed = load_cli::load_options_of(o);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_TRUE(closed->closed);
}

}  // namespace
}  // namespace mepsim
