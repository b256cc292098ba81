// Unit tests of harness/load/virtual_user.h: each class's flow plans what the replica
// expects and reads its answers as the replica means them (logins, session losses,
// maintenance logouts, reports accepted and refused, API tokens).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/load/virtual_user.h"

namespace mepsim::load {
namespace {

const Instant kNow = default_scenario_start();

HttpResponse answer(int status, std::string location = "", std::vector<std::string> cookies = {},
                    std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.location = std::move(location);
  r.set_cookies = std::move(cookies);
  r.body = std::move(body);
  return r;
}

class LoadFlows : public ::testing::Test {
 protected:
  LoadFlows() {
    context_.rng = &rng_;
    context_.password = "s3cret pass";
    context_.codes = {"code-a"};
  }
  VirtualUser user_of(UserClass c, const Account* account) {
    VirtualUser u;
    u.user_class = c;
    u.account = account;
    return u;
  }
  Rng rng_{7};
  FlowContext context_;
  Account partner_{"user-13-01@signal-logement.fr", "ROLE_USER_PARTNER", UserClass::partner};
  Account admin_{"admin-01@signal-logement.fr", "ROLE_ADMIN", UserClass::admin};
  Account api_{"api-01@signal-logement.fr", "ROLE_API_USER", UserClass::api};
};

TEST_F(LoadFlows, PartnerLogsInThenWorksInTheBackOffice) {
  // The first request is the login form, urlencoded; a 302 to /bo with a session logs in.
  auto u = user_of(UserClass::partner, &partner_);
  const auto login = plan_next(u, context_);
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.path, "/connexion");
  EXPECT_EQ(login.body, "email=user-13-01%40signal-logement.fr&password=s3cret+pass");
  EXPECT_EQ(login.content_type, "application/x-www-form-urlencoded");
  const auto v =
      on_answer(u, login, answer(302, "/bo", {"PHPSESSID=s1; path=/; httponly"}), context_, kNow);
  EXPECT_EQ(v.outcome, Outcome::login_ok);
  EXPECT_EQ(v.logged_in_delta, 1);
  EXPECT_FALSE(v.relogin);
  EXPECT_TRUE(u.logged_in);
  for (int i = 0; i < 50; ++i) {
    const auto page = plan_next(u, context_);
    EXPECT_EQ(page.method, "GET");
    EXPECT_TRUE(page.path == "/" || page.path.starts_with("/bo")) << page.path;
  }
}

TEST_F(LoadFlows, RefusedLoginIsNotALogin) {
  // Back to /connexion?error=1 (or a 429) is a refusal; the user stays logged out.
  auto u = user_of(UserClass::partner, &partner_);
  const auto login = plan_next(u, context_);
  EXPECT_EQ(on_answer(u, login, answer(302, "/connexion?error=1"), context_, kNow).outcome,
            Outcome::login_refused);
  EXPECT_EQ(on_answer(u, login, answer(429), context_, kNow).outcome, Outcome::login_refused);
  EXPECT_EQ(on_answer(u, login, answer(500), context_, kNow).outcome, Outcome::other);
  EXPECT_FALSE(u.logged_in);
}

TEST_F(LoadFlows, MaintenanceLogoutIsExpectedForNonAdminsThenTheyLogInAgain) {
  // Sent to /logout while maintenance is expected: an expected logout; the partner waits
  // on the home page, and logs in again (a relogin) once maintenance is over.
  auto u = user_of(UserClass::partner, &partner_);
  (void)on_answer(u, plan_next(u, context_), answer(302, "/bo", {"PHPSESSID=s1; path=/"}), context_,
                  kNow);
  context_.maintenance_expected = true;
  const auto page = plan_next(u, context_);
  const auto v = on_answer(u, page, answer(302, "/logout"), context_, kNow);
  EXPECT_EQ(v.session, SessionEvent::expected_logout);
  EXPECT_EQ(v.logged_in_delta, -1);
  EXPECT_FALSE(u.logged_in);
  EXPECT_FALSE(u.cookies.contains("PHPSESSID"));
  EXPECT_EQ(plan_next(u, context_).path, "/") << "no login while maintenance is on";
  context_.maintenance_expected = false;
  const auto login = plan_next(u, context_);
  ASSERT_EQ(login.kind, RequestKind::login);
  const auto again =
      on_answer(u, login, answer(302, "/bo", {"PHPSESSID=s2; path=/"}), context_, kNow);
  EXPECT_EQ(again.outcome, Outcome::login_ok);
  EXPECT_TRUE(again.relogin);
}

TEST_F(LoadFlows, AnAdminSentAwayIsAnUnexpectedLossEvenInMaintenance) {
  // Admins keep their session through maintenance: losing it is never expected; nor is a
  // partner's outside maintenance.
  auto admin = user_of(UserClass::admin, &admin_);
  (void)on_answer(admin, plan_next(admin, context_), answer(302, "/bo", {"PHPSESSID=a; path=/"}),
                  context_, kNow);
  context_.maintenance_expected = true;
  EXPECT_EQ(on_answer(admin, plan_next(admin, context_), answer(302, "/connexion"), context_, kNow)
                .session,
            SessionEvent::unexpected_loss);
  EXPECT_EQ(plan_next(admin, context_).kind, RequestKind::login) << "an admin logs in at once";

  context_.maintenance_expected = false;
  auto partner = user_of(UserClass::partner, &partner_);
  (void)on_answer(partner, plan_next(partner, context_),
                  answer(302, "/bo", {"PHPSESSID=p; path=/"}), context_, kNow);
  EXPECT_EQ(on_answer(partner, plan_next(partner, context_), answer(302, "/logout"), context_, kNow)
                .session,
            SessionEvent::unexpected_loss);
}

TEST_F(LoadFlows, AnAnswerKeepingTheSessionLosesNothing) {
  // 200s, and redirects elsewhere, keep the session.
  auto u = user_of(UserClass::admin, &admin_);
  (void)on_answer(u, plan_next(u, context_), answer(302, "/bo", {"PHPSESSID=a; path=/"}), context_,
                  kNow);
  const auto page = plan_next(u, context_);
  EXPECT_EQ(on_answer(u, page, answer(200), context_, kNow).session, SessionEvent::none);
  EXPECT_EQ(on_answer(u, page, answer(302, "/"), context_, kNow).session, SessionEvent::none);
  EXPECT_TRUE(u.logged_in);
}

TEST_F(LoadFlows, ReportDraftThenSendIsOneAcceptedWrite) {
  // The draft's uuid makes the next request its sending; the 201 with a reference is an
  // accepted report, whose code de suivi usagers may follow next.
  auto u = user_of(UserClass::anonymous, nullptr);
  PlannedRequest draft;
  for (int i = 0; i < 200 && draft.kind != RequestKind::report_draft; ++i)
    draft = plan_next(u, context_);
  ASSERT_EQ(draft.kind, RequestKind::report_draft);
  EXPECT_EQ(draft.path, "/signalement-draft/new");
  const auto payload = nlohmann::json::parse(draft.body);
  EXPECT_EQ(payload.at("profil"), "locataire");
  EXPECT_EQ(payload.at("adresse_logement_adresse_detail_code_postal").get<std::string>().size(),
            5u);
  const auto d = on_answer(u, draft, answer(201, "", {}, R"({"uuid":"u-1"})"), context_, kNow);
  EXPECT_EQ(d.outcome, Outcome::submission_accepted);
  EXPECT_FALSE(d.report_accepted) << "a draft is not a report yet";
  const auto send = plan_next(u, context_);
  EXPECT_EQ(send.path, "/signalement-draft/u-1/send");
  const auto s = on_answer(
      u, send, answer(201, "", {}, R"({"uuid":"r-1","reference":"2026-17","code_suivi":"c-9"})"),
      context_, kNow);
  ASSERT_TRUE(s.report_accepted);
  EXPECT_EQ(s.report_accepted->uuid, "r-1");
  EXPECT_EQ(s.report_accepted->reference, "2026-17");
  EXPECT_EQ(context_.codes.back(), "c-9");
  EXPECT_TRUE(u.draft_uuid.empty());
}

TEST_F(LoadFlows, ReportsRefusedByMaintenanceOrRateLimitAreRefused) {
  // Maintenance sends the form home; a 429 or 400 refuses it; a 500 leaves it unknown.
  auto u = user_of(UserClass::anonymous, nullptr);
  PlannedRequest draft;
  draft.method = "POST";
  draft.kind = RequestKind::report_draft;
  for (int status : {302, 400, 429}) {
    const auto v = on_answer(u, draft, answer(status, "/"), context_, kNow);
    EXPECT_TRUE(v.report_refused) << status;
    EXPECT_EQ(v.outcome, Outcome::submission_refused) << status;
  }
  const auto failed = on_answer(u, draft, answer(500), context_, kNow);
  EXPECT_TRUE(failed.report_failed);
  EXPECT_EQ(failed.outcome, Outcome::other);
  EXPECT_TRUE(on_no_answer(u, draft).report_failed);
}

TEST_F(LoadFlows, ApiClientTradesCredentialsForATokenAndLosesItOn401) {
  // /api/login with JSON credentials; the token then authorises the API; a 401 drops it.
  auto u = user_of(UserClass::api, &api_);
  const auto login = plan_next(u, context_);
  EXPECT_EQ(login.path, "/api/login");
  EXPECT_EQ(nlohmann::json::parse(login.body).at("email"), "api-01@signal-logement.fr");
  const auto v = on_answer(u, login, answer(200, "", {}, R"({"token":"t0k","expires_at":"x"})"),
                           context_, kNow);
  EXPECT_EQ(v.outcome, Outcome::login_ok);
  EXPECT_EQ(u.api_token, "t0k");
  const auto call = plan_next(u, context_);
  EXPECT_TRUE(call.path == "/api/signalements") << call.path;
  EXPECT_EQ(on_answer(u, call, answer(503, "", {}, "Maintenance en cours"), context_, kNow).session,
            SessionEvent::none);
  EXPECT_EQ(on_answer(u, call, answer(401), context_, kNow).session, SessionEvent::unexpected_loss);
  EXPECT_TRUE(u.api_token.empty());
  context_.maintenance_expected = true;
  EXPECT_EQ(plan_next(u, context_).path, "/api/doc") << "no API login while maintenance is on";
}

TEST_F(LoadFlows, UsagersFollowCodesWithOrWithoutAnAccount) {
  // Without an account a usager only follows reports; the code comes from the pool.
  auto u = user_of(UserClass::usager, nullptr);
  bool followed = false;
  for (int i = 0; i < 50; ++i) {
    const auto r = plan_next(u, context_);
    EXPECT_EQ(r.method, "GET");
    followed = followed || r.path == "/suivre-mon-signalement/code-a";
  }
  EXPECT_TRUE(followed);
}

TEST(LoadFlowsEncoding, FormEncoding) {
  // application/x-www-form-urlencoded: unreserved kept, space as '+', the rest %XX.
  EXPECT_EQ(form_encode("a-b_c.d*e"), "a-b_c.d*e");
  EXPECT_EQ(form_encode("a b&c=d@é"), "a+b%26c%3Dd%40%C3%A9");
}

}  // namespace
}  // namespace mepsim::load
