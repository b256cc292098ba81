#include "harness/runner/http_steps.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>

namespace mepsim::runner {
namespace {

using scenario::UserClass;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string form_body(const std::map<std::string, std::string>& form) {
  std::string body;
  for (const auto& [name, value] : form) {
    if (!body.empty()) body += '&';
    body += url_encode(name) + '=' + url_encode(value);
  }
  return body;
}

// "GET /bo as partner user-13-01@signal-logement.fr on histologe"
std::string describe_request(const scenario::HttpStep& step, const std::string& account) {
  std::string who = scenario::to_string(step.as);
  if (!account.empty()) who += ' ' + account;
  return fmt::format("{} {} as {} on {}", upper(step.method), step.path, who, step.app);
}

bool header_named(const std::map<std::string, std::string>& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (lower(key) == lower(name)) return true;
  }
  return false;
}

}  // namespace

std::string body_excerpt(const std::string& body, std::size_t bytes_max) {
  std::size_t end = std::min(body.size(), bytes_max);
  // Back to the start of a UTF-8 sequence, so that the message stays valid text.
  while (end < body.size() && end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) {
    --end;
  }
  std::string excerpt = body.substr(0, end);
  for (auto& c : excerpt) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (end < body.size()) excerpt += "…";
  return excerpt;
}

UserRequest user_request_of(const scenario::HttpStep& step) {
  UserRequest request;
  request.as = step.as;
  request.user = step.user.value_or("");
  request.app = step.app;
  request.method = upper(step.method);
  request.target = step.path;
  std::string content_type;
  if (!step.form.empty()) {
    content_type = "application/x-www-form-urlencoded";
    request.body = form_body(step.form);
    if (const auto email = step.form.find("email"); email != step.form.end()) {
      request.claimed_email = email->second;
    }
  } else if (step.json) {
    content_type = "application/json";
    request.body = step.json->dump();
    if (step.json->is_object() && step.json->contains("email") &&
        (*step.json)["email"].is_string()) {
      request.claimed_email = (*step.json)["email"].get<std::string>();
    }
  }
  if (!content_type.empty() && !header_named(step.headers, "Content-Type")) {
    request.headers.emplace_back("Content-Type", content_type);
  }
  for (const auto& [name, value] : step.headers) request.headers.emplace_back(name, value);
  return request;
}

std::vector<std::string> http_mismatches(const scenario::HttpExpect& expect,
                                         const HttpReply& reply) {
  std::vector<std::string> found;
  if (expect.status && *expect.status != reply.status) {
    found.push_back(fmt::format("status {}, expected {}", describe_answer(reply), *expect.status));
  }
  if (expect.location) {
    const bool with_query = expect.location->find('?') != std::string::npos;
    const std::string got = with_query ? location_target(reply) : location_path(reply);
    if (got.empty()) {
      found.push_back(fmt::format("no Location (status {}), expected Location {}", reply.status,
                                  *expect.location));
    } else if (got != *expect.location) {
      found.push_back(fmt::format("Location {}, expected {}", got, *expect.location));
    }
  }
  for (const auto& [name, value] : expect.headers) {
    bool present = false;
    for (const auto& [key, got] : reply.headers) present = present || lower(key) == lower(name);
    const std::string got = reply_header(reply, name);
    if (!present) {
      found.push_back(fmt::format("header {} absent, expected \"{}\"", name, value));
    } else if (got != value) {
      found.push_back(fmt::format("header {} is \"{}\", expected \"{}\"", name, got, value));
    }
  }
  for (const auto& text : expect.body_contains) {
    if (reply.body.find(text) == std::string::npos) {
      found.push_back(fmt::format("body lacks \"{}\"", text));
    }
  }
  for (const auto& text : expect.body_lacks) {
    if (reply.body.find(text) != std::string::npos) {
      found.push_back(fmt::format("body contains \"{}\"", text));
    }
  }
  return found;
}

StepOutcome run_http_step(const scenario::HttpStep& step, RunContext& ctx) {
  if (ctx.users == nullptr) return StepOutcome::fail("http: this run has no user agents");
  const auto request = user_request_of(step);
  const auto answer = ctx.users->send(request, [&step](const HttpReply& reply) {
    return expects_answer_as_is(step.expect, reply);
  });
  if (!answer) {
    return StepOutcome::fail(
        fmt::format("{}: {}", describe_request(step, request.user), answer.error().message));
  }
  const std::string who = describe_request(step, answer->account);
  const std::string notes = answer->notes.empty() ? "" : fmt::format(" ({})", answer->notes);
  const auto mismatches = http_mismatches(step.expect, answer->reply);
  if (mismatches.empty()) {
    return StepOutcome::pass(fmt::format("{}: {}{}", who, describe_answer(answer->reply), notes));
  }
  std::string message = fmt::format("{}: {}{}", who, fmt::join(mismatches, "; "), notes);
  if (step.expect.status && *step.expect.status != answer->reply.status) {
    message += fmt::format("; body: {}", body_excerpt(answer->reply.body));
  }
  return StepOutcome::fail(std::move(message));
}

StepOutcome run_sessions_step(const scenario::SessionsStep& step, RunContext& ctx) {
  if (ctx.users == nullptr) return StepOutcome::fail("sessions: this run has no user agents");
  const auto opened = ctx.users->open_cohort(step.cohort, step.as, step.app, step.count);
  if (!opened) {
    return StepOutcome::fail(fmt::format("sessions {}: {}", step.cohort, opened.error().message));
  }
  const std::string message =
      fmt::format("sessions {}: {} of {} {} sessions logged in on {}", step.cohort, opened.value(),
                  step.count, scenario::to_string(step.as), step.app);
  return opened.value() == step.count ? StepOutcome::pass(message) : StepOutcome::fail(message);
}

}  // namespace mepsim::runner
