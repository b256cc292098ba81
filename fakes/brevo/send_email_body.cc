#include "fakes/brevo/send_email_body.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace mepsim::fakes::brevo {
namespace {

using nlohmann::json;

BrevoBodyError missing(const std::string& field) {
  return {"missing_parameter", field + " is missing"};
}

BrevoBodyError invalid(const std::string& message) {
  return {"invalid_parameter", message};
}

// {"email": …, "name": …} at `where` ("sender", "to[0]"…).
std::optional<BrevoBodyError> read_address(const json& value, const std::string& where,
                                           BrevoAddress& out) {
  if (!value.is_object()) return invalid(where + " must be an object");
  for (const auto& [key, field] : value.items()) {
    if (key != "email" && key != "name")
      return invalid(where + "." + key + " is not a valid field");
  }
  const auto email = value.find("email");
  if (email == value.end() || email->is_null()) return missing(where + ".email");
  if (!email->is_string() || !looks_like_email(email->get<std::string>())) {
    return invalid("email is not valid in " + where);
  }
  out.email = email->get<std::string>();
  const auto name = value.find("name");
  if (name != value.end() && !name->is_null()) {
    if (!name->is_string()) return invalid(where + ".name must be a string");
    out.name = name->get<std::string>();
  }
  return std::nullopt;
}

std::optional<BrevoBodyError> read_addresses(const json& body, const char* key, bool required,
                                             std::vector<BrevoAddress>& out) {
  const auto list = body.find(key);
  if (list == body.end() || list->is_null()) {
    return required ? std::optional(missing(key)) : std::nullopt;
  }
  if (!list->is_array()) return invalid(std::string(key) + " must be an array");
  if (list->empty()) {
    return required ? std::optional(missing(key)) : invalid(std::string(key) + " is empty");
  }
  // Brevo's own limit on recipients of one message.
  constexpr std::size_t kRecipientsMax = 99;
  if (list->size() > kRecipientsMax) {
    return invalid(std::string(key) + " has more than 99 recipients");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    BrevoAddress address;
    if (auto error =
            read_address((*list)[i], std::string(key) + "[" + std::to_string(i) + "]", address)) {
      return error;
    }
    out.push_back(std::move(address));
  }
  return std::nullopt;
}

std::optional<BrevoBodyError> read_string(const json& body, const char* key, std::string& out) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  if (!found->is_string()) return invalid(std::string(key) + " must be a string");
  out = found->get<std::string>();
  return std::nullopt;
}

std::string cut(std::string text, std::size_t bytes_max) {
  if (text.size() > bytes_max) text.resize(bytes_max);
  return text;
}

std::optional<BrevoBodyError> read_content(const json& body, std::size_t bytes_max,
                                           BrevoMessage& message) {
  std::string html, text;
  if (auto e = read_string(body, "htmlContent", html)) return e;
  if (auto e = read_string(body, "textContent", text)) return e;
  const auto template_id = body.find("templateId");
  if (template_id != body.end() && !template_id->is_null()) {
    if (!template_id->is_number_integer() || template_id->get<std::int64_t>() <= 0) {
      return invalid("templateId must be a positive integer");
    }
    message.template_id = template_id->get<std::int64_t>();
  }
  if (html.empty() && text.empty() && !message.template_id) {
    return missing("htmlContent, textContent or templateId");
  }
  message.html_content = cut(std::move(html), bytes_max);
  message.text_content = cut(std::move(text), bytes_max);
  return std::nullopt;
}

std::optional<BrevoBodyError> read_fields(const json& body, std::size_t bytes_max,
                                          BrevoMessage& message) {
  const auto sender = body.find("sender");
  if (sender == body.end() || sender->is_null()) return missing("sender");
  if (auto e = read_address(*sender, "sender", message.sender)) return e;
  if (auto e = read_addresses(body, "to", true, message.to)) return e;
  if (auto e = read_addresses(body, "cc", false, message.cc)) return e;
  if (auto e = read_addresses(body, "bcc", false, message.bcc)) return e;
  if (auto e = read_string(body, "subject", message.subject)) return e;
  if (auto e = read_content(body, bytes_max, message)) return e;
  // A template carries its own subject; a message without one must have one.
  if (message.subject.empty() && !message.template_id) return missing("subject");
  const auto params = body.find("params");
  if (params != body.end() && !params->is_null()) {
    if (!params->is_object()) return invalid("params must be an object");
    message.params = *params;
  }
  const auto tags = body.find("tags");
  if (tags != body.end() && !tags->is_null()) {
    if (!tags->is_array()) return invalid("tags must be an array");
    for (const auto& tag : *tags) {
      if (!tag.is_string()) return invalid("tags must be an array of strings");
      message.tags.push_back(tag.get<std::string>());
    }
  }
  return std::nullopt;
}

}  // namespace

bool looks_like_email(std::string_view address) {
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos ||
      address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = address.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == domain.size()) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    return c == ' ' || c == '<' || c == '>' || c == ',' || c == '\t' || c == '\n';
  });
}

std::optional<BrevoBodyError> read_send_email_body(std::string_view body,
                                                   std::size_t content_bytes_kept_max,
                                                   BrevoMessage& message,
                                                   std::vector<std::string>& notes) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return BrevoBodyError{"bad_request", "Input must be a valid JSON object"};
  }
  // What Brevo accepts and the fake keeps, what it accepts and the fake does not model.
  static constexpr std::array<std::string_view, 10> kRead = {
      "sender",      "to",          "cc",         "bcc",    "subject",
      "htmlContent", "textContent", "templateId", "params", "tags"};
  static constexpr std::array<std::string_view, 7> kIgnored = {
      "replyTo",     "headers", "attachment", "messageVersions",
      "scheduledAt", "batchId", "previewText"};
  for (const auto& [key, value] : parsed.items()) {
    if (std::find(kRead.begin(), kRead.end(), key) != kRead.end()) continue;
    const bool known = std::find(kIgnored.begin(), kIgnored.end(), key) != kIgnored.end();
    notes.push_back((known ? "ignored field " : "unknown field ") + key);
  }
  if (auto error = read_fields(parsed, content_bytes_kept_max, message)) {
    notes.push_back("refused: " + error->code);
    return error;
  }
  return std::nullopt;
}

}  // namespace mepsim::fakes::brevo
