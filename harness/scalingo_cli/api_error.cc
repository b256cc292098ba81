#include "harness/scalingo_cli/api_error.h"

#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/json_fields.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

// The body's "error" string, or the body itself when it is plain text (a 429 says
// "Retry later"), trimmed.
std::string error_text(const json& body, std::string_view raw) {
  if (body.is_object()) return string_field(body, "error");
  std::string text(raw);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string not_found_message(const json& body, std::string_view raw) {
  const std::string resource = string_field(body, "resource");
  if (resource == "app") return "The application was not found, did you make a typo?";
  if (resource == "container_type") {
    return "This type of container was not found, please ensure it is present in your "
           "Procfile\n→ https://doc.scalingo.com/platform/app/procfile";
  }
  if (!resource.empty()) return "The " + resource + " was not found";
  const std::string text = error_text(body, raw);
  return text.empty() ? "404 Not Found" : text;
}

// "* field → message, message" lines, fields in name order (nlohmann keeps objects sorted).
std::string unprocessable_message(const json& body, std::string_view raw) {
  std::string out = "422 Unprocessable Content";
  const json* errors = body.is_object() && body.contains("errors") ? &body["errors"] : nullptr;
  if (errors == nullptr || !errors->is_object()) {
    const std::string text = error_text(body, raw);
    return text.empty() ? out : out + "\n" + text;
  }
  for (const auto& [field, messages] : errors->items()) {
    out += "\n* " + field + " →";
    std::string joined;
    if (messages.is_array()) {
      for (const auto& message : messages) {
        if (!joined.empty()) joined += ",";
        joined += " " + (message.is_string() ? message.get<std::string>() : message.dump());
      }
    } else {
      joined = " " + (messages.is_string() ? messages.get<std::string>() : messages.dump());
    }
    out += joined;
  }
  return out;
}

}  // namespace

Error api_error(int status, std::string_view raw) {
  const json body = json::parse(raw, nullptr, /*allow_exceptions=*/false);
  switch (status) {
    case 400:
      return make_error(ErrorCode::invalid_input, "400 Bad Request → " + error_text(body, raw));
    case 401: {
      // The real CLI drops the API's reason here; it is kept in parentheses because a
      // rehearsal's stand-in may refuse a token for reasons worth reading.
      const std::string reason = error_text(body, raw);
      return make_error(ErrorCode::invalid_input,
                        "unauthorized - you are not authorized to do this operation" +
                            (reason.empty() ? std::string() : " (" + reason + ")"));
    }
    case 402:
      return make_error(ErrorCode::invalid_input,
                        error_text(body, raw) + "\n→ " + string_field(body, "url"));
    case 403:
      return make_error(ErrorCode::invalid_input,
                        "Request forbidden (403): " + error_text(body, raw));
    case 404:
      return make_error(ErrorCode::not_found, not_found_message(body, raw));
    case 409:
      return make_error(ErrorCode::conflict, "409 Conflict → " + error_text(body, raw));
    case 422:
      return make_error(ErrorCode::invalid_input, unprocessable_message(body, raw));
    case 429:
      return make_error(ErrorCode::capacity, "429 Too Many Requests → " + error_text(body, raw));
    case 500:
      return make_error(ErrorCode::unavailable,
                        "server internal error - our team has been notified");
    case 503:
      return make_error(ErrorCode::unavailable,
                        "upstream provider returned an error, please retry later");
    default:
      return make_error(ErrorCode::unavailable,
                        "invalid status from server: " + std::to_string(status));
  }
}

}  // namespace mepsim::scalingo_cli
