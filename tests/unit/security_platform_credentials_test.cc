// Credentials of the fakes a release is driven through: the Scalingo API (the token
// exchange, bearer JWTs, attach URLs) and GitHub (REST token, pushes over smart HTTP).
// Each refuses a missing, wrong, forged or misplaced credential with the real service's
// status and error shape, changes nothing for it, and never journals the right one.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fakes/common/hmac.h"
#include "fakes/github/git_origin.h"
#include "fakes/github/github_fake.h"
#include "fakes/scalingo/jwt.h"
#include "fakes/scalingo/scalingo_api.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform.h"
#include "sim/platform/source_provider.h"
#include "tests/unit/security_refusals.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;
using testing::expect_journal_lacks;
using testing::expect_refusals;
using testing::Refusal;

constexpr const char* kApiToken = "tk-us-security-test-token";
constexpr const char* kGithubToken = "ghp_securitytest0123456789abcdefghijklm";

std::string basic(const std::string& user, const std::string& password) {
  return "Basic " + base64_encode(user + ":" + password);
}

platform::PlatformProfile one_app_profile() {
  platform::PlatformProfile profile;
  profile.apps = {{"histologe", {{"web", 1, "M"}}, {{"APP_ENV", "prod"}}, std::nullopt, "main"}};
  return profile;
}

TEST(SecurityCredentials, ScalingoRefusesWhatIsNotAFreshBearerOfItsOwn) {
  // The exchange wants the API token as Basic password; the API a JWT it signed, unexpired;
  // attach URLs their signature. Refusals are 401 {"error"} (404 for an attach URL, which
  // is a capability), and a refused restart starts nothing.
  VirtualClock clock(default_scenario_start());
  EventLog log;
  platform::MapSourceProvider source;
  platform::ModelContainerRuntime runtime;
  platform::Platform platform(clock, Rng(42), log, one_app_profile(), source, runtime);
  ASSERT_TRUE(platform.boot().ok());
  scalingo::ScalingoApiOptions options;
  options.api_token = kApiToken;
  options.jwt_secret = "security-test-jwt-secret";
  scalingo::ScalingoApi api(platform, Rng(7), options);
  ASSERT_TRUE(api.start().ok());

  httplib::Client client(api.base_url());
  client.set_basic_auth("", kApiToken);
  const auto exchanged = client.Post("/v1/tokens/exchange", "{}", "application/json");
  ASSERT_TRUE(exchanged && exchanged->status == 200);
  const std::string token = json::parse(exchanged->body).value("token", "");
  ASSERT_FALSE(token.empty());
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  const auto run =
      client.Post("/v1/apps/histologe/run", bearer, R"({"command":"echo hi"})", "application/json");
  ASSERT_TRUE(run && run->status == 200) << (run ? run->body : "no answer");
  const std::string attach = json::parse(run->body).value("attach_url", "");
  const std::string attach_path = attach.substr(api.base_url().size());
  const std::string forged_attach = attach_path.substr(0, attach_path.rfind('/') + 1) + "0000";

  const auto unix_now = scalingo::unix_seconds(clock.now());
  const json claims = {{"uuid", "u"}, {"iat", unix_now}, {"exp", unix_now + 3600}};
  const std::string other_secret = scalingo::sign_jwt_hs256(claims, "another-secret");
  const std::string unsigned_jwt = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                                   base64url_encode(claims.dump()) + ".";
  const std::string expired =
      scalingo::sign_jwt_hs256({{"uuid", "u"}, {"exp", unix_now - 1}}, "security-test-jwt-secret");
  std::string tampered = token;
  const auto claim = tampered.find('.') + 2;  // a claim changed, the signature kept
  tampered[claim] = tampered[claim] == 'A' ? 'B' : 'A';
  const std::string xchg = "/v1/tokens/exchange";
  const std::string challenge = R"(Basic realm="Scalingo")";
  const std::string apps = "/v1/apps";
  const json err = {{"error", nullptr}};  // {"error": "<why>"}
  const auto with = [](std::string value) {
    return httplib::Headers{{"Authorization", std::move(value)}};
  };
  const std::uint64_t events_before = log.published_count();
  expect_refusals(
      api.base_url(),
      {
          {"exchange without credentials", "POST", xchg, {}, "{}", 401, err, "", challenge},
          {"exchange with a wrong token",
           "POST",
           xchg,
           with(basic("", "tk-us-wrong")),
           "{}",
           401,
           {{"error", "invalid API token"}},
           "",
           challenge},
          {"exchange with the token as user",
           "POST",
           xchg,
           with(basic(kApiToken, "")),
           "{}",
           401,
           {{"error", "invalid API token"}}},
          {"exchange with a token prefix",
           "POST",
           xchg,
           with(basic("", "tk-us-security")),
           "{}",
           401,
           {{"error", "invalid API token"}}},
          {"exchange with the token as bearer", "POST", xchg,
           with(std::string("Bearer ") + kApiToken), "{}", 401, err},
          {"apps without a bearer", "GET", apps, {}, "", 401, err},
          {"apps with an empty bearer", "GET", apps, with("Bearer "), "", 401, err},
          {"apps with the API token as bearer", "GET", apps,
           with(std::string("Bearer ") + kApiToken), "", 401, err},
          {"apps with the API token as Basic", "GET", apps, with(basic("", kApiToken)), "", 401,
           err},
          {"apps with the bearer in the query", "GET", apps + "?token=" + token, {}, "", 401, err},
          {"apps with another secret's JWT",
           "GET",
           apps,
           with("Bearer " + other_secret),
           "",
           401,
           {{"error", "invalid token signature"}}},
          {"apps with an unsigned JWT",
           "GET",
           apps,
           with("Bearer " + unsigned_jwt),
           "",
           401,
           {{"error", "invalid token signature"}}},
          {"apps with a tampered JWT",
           "GET",
           apps,
           with("Bearer " + tampered),
           "",
           401,
           {{"error", "invalid token signature"}}},
          {"apps with an expired JWT",
           "GET",
           apps,
           with("Bearer " + expired),
           "",
           401,
           {{"error", "token expired"}}},
          {"restart without a bearer",
           "POST",
           "/v1/apps/histologe/restart",
           {},
           R"({"scope":["web"]})",
           401,
           err},
          {"variables not in effect without a bearer",
           "GET",
           "/_mepsim/apps/histologe/variables_not_in_effect",
           {},
           "",
           401,
           err},
          {"an attach URL with a forged signature",
           "GET",
           forged_attach + "/output",
           {},
           "",
           404,
           {{"resource", "container"}, {"error", "not found"}}},
      });
  EXPECT_EQ(log.published_count(), events_before) << "a refused request changed the platform";
  expect_journal_lacks(api.journal(),
                       {kApiToken, token, attach_path.substr(attach_path.rfind('/'))});
}

TEST(SecurityCredentials, GithubRefusesPushesAndCallsWithoutItsToken) {
  // REST: 401 {"message":"Requires authentication"|"Bad credentials"}; smart HTTP: clones
  // are anonymous, a push's advertisement or receive-pack without the token is 401 with a
  // Basic challenge, and no ref moves.
  auto dir = ScratchDir::create("security-github");
  ASSERT_TRUE(dir.ok());
  github::RepositorySeed seed;
  seed.epoch = default_scenario_start();
  seed.branches = {
      {"main", "", {{"Initial commit", "version: 1.7.3\n", {{"README.md", "x\n"}}, ""}}}};
  auto origin = github::GitOrigin::create(dir->path() / "origin", seed);
  ASSERT_TRUE(origin.ok()) << origin.error().message;
  VirtualClock clock(default_scenario_start());
  EventLog events;
  github::GitHubFakeOptions options;
  options.token = kGithubToken;
  options.control_clock = &clock;
  github::GitHubFake fake(**origin, Rng(42), events, options);
  ASSERT_TRUE(fake.start().ok());
  const auto branches_before = (*origin)->branches();
  ASSERT_TRUE(branches_before.ok());

  const std::string repo = "/repos/MTES-MCT/histologe";
  const std::string git = "/MTES-MCT/histologe.git";
  const std::string token = kGithubToken;
  const json requires_auth = {{"message", "Requires authentication"}};
  const json bad = {{"message", "Bad credentials"}};
  const auto with = [](std::string value) {
    return httplib::Headers{{"Authorization", std::move(value)}};
  };
  const std::string ref =
      R"({"ref":"refs/heads/evil","sha":"0000000000000000000000000000000000000000"})";
  const std::string refused_push = "Invalid username or token.\n";
  const std::string challenge = R"(Basic realm="GitHub")";
  expect_refusals(
      fake.base_url(),
      {
          {"REST without a token", "GET", repo + "/pulls", {}, "", 401, requires_auth},
          {"REST with a wrong token", "GET", repo + "/pulls", with("token ghp_wrong"), "", 401,
           bad},
          {"REST with an empty token", "GET", repo + "/pulls", with("token "), "", 401, bad},
          {"REST with a token prefix", "GET", repo + "/pulls",
           with("Bearer " + token.substr(0, 20)), "", 401, bad},
          {"REST with the token under an unknown scheme", "GET", repo + "/pulls",
           with("Digest " + token), "", 401, bad},
          {"REST with a wrong Basic password", "GET", repo + "/pulls",
           with(basic("x-access-token", "wrong")), "", 401, bad},
          {"a ref created without a token",
           "POST",
           repo + "/git/refs",
           {},
           ref,
           401,
           requires_auth},
          {"CI steered without a token",
           "PUT",
           "/_mepsim/ci/branches/main",
           {},
           R"({"result":"failure"})",
           401,
           requires_auth},
          {"push advertisement without a token",
           "GET",
           git + "/info/refs?service=git-receive-pack",
           {},
           "",
           401,
           json(),
           refused_push,
           challenge},
          {"push advertisement with a wrong password", "GET",
           git + "/info/refs?service=git-receive-pack", with(basic("x-access-token", "wrong")), "",
           401, json(), refused_push, challenge},
          {"push advertisement behind an upload-pack service",
           "GET",
           git + "/info/refs?service=git-upload-pack&service=git-receive-pack",
           {},
           "",
           401,
           json(),
           "",
           challenge},
          {"receive-pack without a token",
           "POST",
           git + "/git-receive-pack",
           {},
           "0000",
           401,
           json(),
           refused_push,
           challenge},
      });
  const auto branches_after = (*origin)->branches();
  ASSERT_TRUE(branches_after.ok());
  EXPECT_EQ(*branches_after, *branches_before);
  // Clones stay anonymous, as github.com serves public repositories.
  expect_refusals(
      fake.base_url(),
      {{"clone advertisement", "GET", git + "/info/refs?service=git-upload-pack", {}, "", 200}});
  expect_journal_lacks(fake.journal(), {token});
}

}  // namespace
}  // namespace mepsim::fakes
