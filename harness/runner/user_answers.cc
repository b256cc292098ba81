// How the user agents read the app's answers (user_agents.h): headers, redirects, whether
// an answer logs the user out, and what an exchange was for the procedure's rules.

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "harness/runner/user_agents.h"

namespace mepsim::runner {
namespace {

using scenario::UserClass;

bool equals_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// `path` is `prefix` or below it ("/connexion", "/connexion/x"), or `prefix` followed by
// anything when `open_ended` ("/signalement-draft/…" under "/signalement").
bool under(std::string_view path, std::string_view prefix, bool open_ended = false) {
  if (!path.starts_with(prefix)) return false;
  return open_ended || path.size() == prefix.size() || path[prefix.size()] == '/';
}

// What the app treats as a form: the routes maintenance closes to all but super admins
// (sim/web/maintenance.cc), and the API's report creation.
bool is_submission(const std::string& method, std::string_view path) {
  if (method != "POST" && method != "PUT" && method != "PATCH") return false;
  static constexpr std::array<std::string_view, 6> kForms = {
      "/signalement", "/suivre-mon-signalement",   "/mot-de-pass-perdu",
      "/contact",     "/demande-lien-signalement", "/activation"};
  for (const auto form : kForms) {
    if (under(path, form, true)) return true;
  }
  return under(path, "/api/signalements");
}

// Sent back to the home page, the login form or the logout: the app did not take it.
bool redirect_refuses(const HttpReply& reply) {
  const std::string path = location_path(reply);
  return path == "/" || under(path, "/connexion") || under(path, "/logout");
}

// A Set-Cookie giving PHPSESSID a value (not the deletion a logout sends).
bool opens_session(const HttpReply& reply) {
  for (const auto& [key, value] : reply.headers) {
    if (equals_nocase(key, "Set-Cookie") && value.starts_with("PHPSESSID=") &&
        !value.starts_with("PHPSESSID=deleted;")) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string reply_header(const HttpReply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (equals_nocase(key, name)) return value;
  }
  return {};
}

std::string location_target(const HttpReply& reply) {
  std::string location = reply_header(reply, "Location");
  const auto scheme = location.find("://");
  if (scheme != std::string::npos) {
    const auto path = location.find('/', scheme + 3);
    location = path == std::string::npos ? "/" : location.substr(path);
  }
  return location;
}

std::string location_path(const HttpReply& reply) {
  return target_path(location_target(reply));
}

std::string target_path(const std::string& target) {
  return target.substr(0, target.find_first_of("?#"));
}

std::string describe_answer(const HttpReply& reply) {
  const std::string location = location_target(reply);
  if (reply.status >= 300 && reply.status < 400 && !location.empty()) {
    return fmt::format("{} {}", reply.status, location);
  }
  return std::to_string(reply.status);
}

bool is_logged_out_answer(UserClass user_class, const HttpReply& reply) {
  switch (user_class) {
    case UserClass::anonymous:
      return false;
    case UserClass::api:
      return reply.status == 401;
    case UserClass::usager:
    case UserClass::partner:
    case UserClass::admin: {
      if (reply.status < 300 || reply.status >= 400) return false;
      const std::string path = location_path(reply);
      return under(path, "/connexion") || under(path, "/logout");
    }
  }
  return false;
}

bool expects_answer_as_is(const scenario::HttpExpect& expect, const HttpReply& reply) {
  if (!expect.status && !expect.location) return false;
  if (expect.status && *expect.status != reply.status) return false;
  if (expect.location) {
    // A query in the expectation is compared too; without one, the path alone.
    const bool with_query = expect.location->find('?') != std::string::npos;
    const std::string got = with_query ? location_target(reply) : location_path(reply);
    if (got != *expect.location) return false;
  }
  return true;
}

std::string exchange_outcome(const std::string& method, const std::string& path,
                             const HttpReply* reply) {
  if (method == "POST" && path == "/connexion") {
    // A login opens a session and goes on to /bo or /; a refusal comes back to the form.
    const bool ok = reply != nullptr && reply->status >= 300 && reply->status < 400 &&
                    opens_session(*reply) && !under(location_path(*reply), "/connexion") &&
                    !under(location_path(*reply), "/logout");
    return ok ? "login_ok" : "login_refused";
  }
  if (method == "POST" && path == "/api/login") {
    return reply != nullptr && reply->status == 200 ? "login_ok" : "login_refused";
  }
  if (is_submission(method, path)) {
    if (reply == nullptr) return "submission_refused";
    const bool accepted =
        (reply->status >= 200 && reply->status < 300) ||
        (reply->status >= 300 && reply->status < 400 && !redirect_refuses(*reply));
    return accepted ? "submission_accepted" : "submission_refused";
  }
  return "other";
}

}  // namespace mepsim::runner
