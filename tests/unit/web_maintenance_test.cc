// Maintenance mode as FACTS.md states it, and the bypass attempts that must all fail.

#include <gtest/gtest.h>

#include "sim/web/maintenance.h"
#include "sim/web/request_parts.h"

using namespace mepsim::web;

namespace {

const SessionUser kAdmin{1, "admin-01@signal-logement.fr", {"ROLE_ADMIN"}, std::nullopt};
const SessionUser kPartner{2, "user-13-01@signal-logement.fr", {"ROLE_USER_PARTNER"}, 13};
const SessionUser kTerritoryAdmin{
    3, "admin-territoire-13-01@signal-logement.fr", {"ROLE_ADMIN_TERRITORY"}, 13};

MaintenanceAction decide(std::string_view raw, const SessionUser* user) {
  auto target = parse_target(raw);
  EXPECT_TRUE(target) << raw;
  return maintenance_decision(target ? target->path : "/", user);
}

}  // namespace

TEST(Maintenance, ApiIsUnavailableButItsDoc) {
  // Every /api route answers 503, /api/login included, even for an admin; /api/doc stays.
  EXPECT_EQ(decide("/api/signalements", nullptr), MaintenanceAction::api_unavailable);
  EXPECT_EQ(decide("/api/login", &kAdmin), MaintenanceAction::api_unavailable);
  EXPECT_EQ(decide("/api", nullptr), MaintenanceAction::api_unavailable);
  EXPECT_EQ(decide("/api/doc", nullptr), MaintenanceAction::pass);
  EXPECT_EQ(kMaintenanceApiBody,
            R"({"error":"Service indisponible","message":"Maintenance en cours"})");
}

TEST(Maintenance, PublicFormsRedirectHomeUnlessAdmin) {
  // The blocked prefixes send visitors home; a super admin passes.
  for (const char* path :
       {"/signalement", "/signalement-draft/new", "/suivre-mon-signalement/x", "/mot-de-pass-perdu",
        "/contact", "/demande-lien-signalement", "/activation/abc"}) {
    EXPECT_EQ(decide(path, nullptr), MaintenanceAction::redirect_home) << path;
    EXPECT_EQ(decide(path, &kAdmin), MaintenanceAction::pass) << path;
  }
  EXPECT_EQ(decide("/", nullptr), MaintenanceAction::pass);
  EXPECT_EQ(decide("/connexion", nullptr), MaintenanceAction::pass);
  EXPECT_EQ(decide("/bo", nullptr), MaintenanceAction::pass);
}

TEST(Maintenance, LoggedInNonAdminsAreLoggedOut) {
  // Any logged-in user but ROLE_ADMIN goes to /logout, territory admins included; the
  // logout itself passes so that it can happen.
  EXPECT_EQ(decide("/bo", &kPartner), MaintenanceAction::redirect_logout);
  EXPECT_EQ(decide("/", &kTerritoryAdmin), MaintenanceAction::redirect_logout);
  EXPECT_EQ(decide("/logout", &kPartner), MaintenanceAction::pass);
  EXPECT_EQ(decide("/bo", &kAdmin), MaintenanceAction::pass);
}

TEST(Maintenance, PathTricksDoNotBypass) {
  // Case, encoded slashes, dot segments: either blocked or resolving to no route at all.
  EXPECT_EQ(decide("/Signalement", nullptr), MaintenanceAction::redirect_home);
  EXPECT_EQ(decide("/SIGNALEMENT-draft/new", nullptr), MaintenanceAction::redirect_home);
  EXPECT_EQ(decide("/api/../api/signalements", nullptr), MaintenanceAction::api_unavailable);
  EXPECT_EQ(decide("/bo/../signalement", nullptr), MaintenanceAction::redirect_home);
  EXPECT_EQ(decide("/%61pi/signalements", nullptr), MaintenanceAction::api_unavailable);
  EXPECT_EQ(decide("/API/signalements", nullptr), MaintenanceAction::api_unavailable);
}
