#pragma once
// The virtual users and their scripted flows, one per class (FACTS.md, the replica's
// routes): anonymous visitors browse the public pages and send reports (a draft, then its
// sending); usagers follow reports by their code; partners and admins log in on
// /connexion and work in /bo; API clients trade credentials for a token on /api/login
// and list or create reports. Each user has its own cookie jar and state; a flow plans
// the user's next request and reads its answer (login kept, session lost, report
// accepted…). The flows know nothing of sockets or time: the shard runs them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/cookie_jar.h"
#include "harness/load/http_response_parser.h"
#include "harness/load/load_options.h"
#include "sim/core/rng.h"

namespace mepsim::load {

enum class RequestKind {
  page,          // a GET of a page or an API listing
  login,         // POST /connexion
  api_login,     // POST /api/login
  report_draft,  // POST /signalement-draft/new
  report_send,   // POST /signalement-draft/{uuid}/send
  api_report,    // POST /api/signalements
};

struct PlannedRequest {
  std::string_view method = "GET";
  std::string path;
  std::string_view route;  // the route's label for per-route counts: "GET /bo"
  std::string body;
  std::string_view content_type;
  RequestKind kind = RequestKind::page;
  bool keep_body = false;  // the flow reads the answer's body
  bool idempotent() const { return method == "GET"; }
};

struct VirtualUser {
  UserClass user_class = UserClass::anonymous;
  const Account* account = nullptr;  // null: anonymous, or a usager without an account
  CookieJar cookies;
  std::string api_token;
  bool logged_in = false;
  bool lost_since_login = false;  // the next successful login is a relogin
  std::string draft_uuid;         // a report draft waiting to be sent
  std::uint64_t id = 0;

  bool is_admin() const { return account != nullptr && account->role == "ROLE_ADMIN"; }
  bool logs_in() const { return account != nullptr; }
};

// What the flows share within a shard.
struct FlowContext {
  Rng* rng = nullptr;
  std::string_view password;
  bool maintenance_expected = false;
  // Codes de suivi a usager may type: the fixtures' and those of reports sent in this
  // run; at most kCodesMax, the newest replacing the oldest.
  static constexpr std::size_t kCodesMax = 256;
  std::vector<std::string> codes;
  std::size_t next_code_slot = 0;
  std::uint64_t reports_planned = 0;  // numbers the occupants of the reports sent

  void remember_code(std::string code);
};

// What one answer meant for the user and the run.
enum class SessionEvent { none, unexpected_loss, expected_logout };
enum class Outcome { other, login_ok, login_refused, submission_accepted, submission_refused };

struct AcceptedReport {
  std::string uuid;
  std::string reference;
};

struct Verdict {
  SessionEvent session = SessionEvent::none;
  Outcome outcome = Outcome::other;
  bool relogin = false;
  // A report (not a draft) the app accepted, refused, or failed on.
  std::optional<AcceptedReport> report_accepted;
  bool report_refused = false;
  bool report_failed = false;
  int logged_in_delta = 0;  // +1 a login, -1 a loss
};

const char* outcome_name(Outcome outcome);
// Whether the request is one R10 looks at (a login attempt or a form submission).
bool is_watched(RequestKind kind);

// The user's next request.
PlannedRequest plan_next(VirtualUser& user, FlowContext& context);
// Reads the answer to `request`; `now` dates cookies.
Verdict on_answer(VirtualUser& user, const PlannedRequest& request, const HttpResponse& response,
                  FlowContext& context, Instant now);
// The request got no answer (refused connection, reset, timeout).
Verdict on_no_answer(VirtualUser& user, const PlannedRequest& request);

// application/x-www-form-urlencoded encoding of one value.
std::string form_encode(std::string_view value);

}  // namespace mepsim::load
