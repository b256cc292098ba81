// How the flows read the app's answers (virtual_user.h): logins kept or refused, sessions
// lost, reports accepted or refused, by what the replica answers (sim/web/routes_*.cc).

#include <nlohmann/json.hpp>

#include "harness/load/virtual_user.h"

namespace mepsim::load {
namespace {

constexpr std::string_view kSessionCookie = "PHPSESSID";

bool is_redirect(int status) {
  return status >= 300 && status < 400;
}
bool is_success(int status) {
  return status >= 200 && status < 300;
}
bool is_client_error(int status) {
  return status >= 400 && status < 500;
}

// The path part of a Location, absolute or not.
std::string_view location_path(std::string_view location) {
  if (const auto scheme = location.find("://"); scheme != std::string_view::npos) {
    const auto slash = location.find('/', scheme + 3);
    location = slash == std::string_view::npos ? std::string_view("/") : location.substr(slash);
  }
  return location.substr(0, location.find_first_of("?#"));
}

// A string field of a JSON object body, "" when absent.
std::string json_field(const HttpResponse& r, const char* key) {
  const auto json = nlohmann::json::parse(r.body, nullptr, false);
  if (!json.is_object()) return "";
  const auto found = json.find(key);
  return found != json.end() && found->is_string() ? found->get<std::string>() : "";
}

void lose_session(VirtualUser& u, const FlowContext& c, Verdict& v) {
  v.session = c.maintenance_expected && !u.is_admin() ? SessionEvent::expected_logout
                                                      : SessionEvent::unexpected_loss;
  u.logged_in = false;
  u.lost_since_login = true;
  u.api_token.clear();
  u.cookies.clear();
  v.logged_in_delta = -1;
}

void logged_in(VirtualUser& u, Verdict& v) {
  v.outcome = Outcome::login_ok;
  u.logged_in = true;
  v.logged_in_delta = +1;
  v.relogin = u.lost_since_login;
  u.lost_since_login = false;
}

void read_login(VirtualUser& u, const HttpResponse& r, Verdict& v) {
  const auto to = location_path(r.location);
  if (is_redirect(r.status) && to != "/connexion" && u.cookies.contains(kSessionCookie)) {
    logged_in(u, v);
  } else if ((is_redirect(r.status) && to == "/connexion") || is_client_error(r.status)) {
    v.outcome = Outcome::login_refused;
  }
}

void read_api_login(VirtualUser& u, const HttpResponse& r, Verdict& v) {
  if (is_success(r.status)) {
    u.api_token = json_field(r, "token");
    if (!u.api_token.empty()) logged_in(u, v);
  } else if (is_client_error(r.status)) {
    v.outcome = Outcome::login_refused;
  }
}

// A report (or its draft) is refused when the app says so: a 4xx, maintenance sending
// the visitor home, or the API's maintenance 503. Anything else leaves it unknown.
bool refused(const HttpResponse& r) {
  return is_redirect(r.status) || is_client_error(r.status) ||
         (r.status == 503 && r.body.find("Maintenance") != std::string::npos);
}

void read_report(VirtualUser& u, const PlannedRequest& request, const HttpResponse& r,
                 FlowContext& c, Verdict& v) {
  const bool draft = request.kind == RequestKind::report_draft;
  if (request.kind == RequestKind::report_send) u.draft_uuid.clear();
  if (is_success(r.status)) {
    if (draft) {
      u.draft_uuid = json_field(r, "uuid");
      v.outcome = u.draft_uuid.empty() ? Outcome::other : Outcome::submission_accepted;
      v.report_failed = u.draft_uuid.empty();
      return;
    }
    AcceptedReport report{json_field(r, "uuid"), json_field(r, "reference")};
    if (report.uuid.empty() || report.reference.empty()) {
      v.report_failed = true;
      return;
    }
    c.remember_code(json_field(r, "code_suivi"));
    v.outcome = Outcome::submission_accepted;
    v.report_accepted = std::move(report);
  } else if (refused(r)) {
    v.outcome = Outcome::submission_refused;
    v.report_refused = true;
  } else {
    v.report_failed = true;
  }
}

}  // namespace

Verdict on_answer(VirtualUser& u, const PlannedRequest& request, const HttpResponse& r,
                  FlowContext& c, Instant now) {
  Verdict v;
  const bool had_session = u.logged_in && u.user_class != UserClass::api;
  for (const auto& header : r.set_cookies) u.cookies.set_from_header(header, request.path, now);
  switch (request.kind) {
    case RequestKind::login:
      read_login(u, r, v);
      return v;
    case RequestKind::api_login:
      read_api_login(u, r, v);
      return v;
    case RequestKind::report_draft:
    case RequestKind::report_send:
    case RequestKind::api_report:
      read_report(u, request, r, c, v);
      break;
    case RequestKind::page:
      break;
  }
  if (had_session) {
    const auto to = location_path(r.location);
    const bool sent_away = is_redirect(r.status) && (to == "/connexion" || to == "/logout");
    if (sent_away || !u.cookies.contains(kSessionCookie)) lose_session(u, c, v);
  } else if (u.user_class == UserClass::api && u.logged_in && r.status == 401) {
    lose_session(u, c, v);  // the token is no longer taken
  }
  return v;
}

Verdict on_no_answer(VirtualUser& u, const PlannedRequest& request) {
  Verdict v;
  switch (request.kind) {
    case RequestKind::report_send:
      u.draft_uuid.clear();
      v.report_failed = true;
      break;
    case RequestKind::report_draft:
    case RequestKind::api_report:
      v.report_failed = true;
      break;
    default:
      break;
  }
  return v;
}

}  // namespace mepsim::load
