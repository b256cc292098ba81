#include "fakes/sentry/event_summary.h"

#include <fmt/format.h>

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

// A string field, "" when absent or null; nullopt (the caller refuses) on another type.
std::optional<std::string> string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Error wrong_type(std::string_view field, std::string_view expected) {
  return make_error(ErrorCode::invalid_input,
                    fmt::format("event field \"{}\" is not {}", field, expected));
}

// The main exception: Sentry lists chained exceptions oldest first, the raised one last.
const json* main_exception(const json& payload) {
  const auto exception = payload.find("exception");
  if (exception == payload.end()) return nullptr;
  const json* values = nullptr;
  if (exception->is_object()) {
    const auto it = exception->find("values");
    if (it != exception->end()) values = &*it;
  } else if (exception->is_array()) {
    values = &*exception;  // the legacy shape: a bare list
  }
  if (values == nullptr || !values->is_array() || values->empty()) return nullptr;
  const json& last = values->back();
  return last.is_object() ? &last : nullptr;
}

// The innermost frame marked in_app (frames are innermost last); else the innermost one.
const json* top_frame(const json& exception) {
  const auto stacktrace = exception.find("stacktrace");
  if (stacktrace == exception.end() || !stacktrace->is_object()) return nullptr;
  const auto frames = stacktrace->find("frames");
  if (frames == stacktrace->end() || !frames->is_array() || frames->empty()) return nullptr;
  for (auto it = frames->rbegin(); it != frames->rend(); ++it) {
    if (!it->is_object()) continue;
    const auto in_app = it->find("in_app");
    if (in_app != it->end() && in_app->is_boolean() && in_app->get<bool>()) return &*it;
  }
  const json& last = frames->back();
  return last.is_object() ? &last : nullptr;
}

// An exception the SDK made up to carry a stack (captureMessage): not an error's type.
bool synthetic(const json& exception) {
  const auto mechanism = exception.find("mechanism");
  if (mechanism == exception.end() || !mechanism->is_object()) return false;
  const auto flag = mechanism->find("synthetic");
  return flag != mechanism->end() && flag->is_boolean() && flag->get<bool>();
}

std::string frame_field(const json& frame, const char* key) {
  const auto it = frame.find(key);
  return it != frame.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "the message": `logentry.formatted`, `logentry.message`, or `message` (a string, or
// the old object form).
std::string event_message(const json& payload) {
  for (const char* key : {"logentry", "message"}) {
    const auto it = payload.find(key);
    if (it == payload.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {
      std::string text = frame_field(*it, "formatted");
      if (text.empty()) text = frame_field(*it, "message");
      if (!text.empty()) return text;
    }
  }
  return {};
}

// The fingerprint as one key, or "" when it is absent or only asks for the default.
std::string fingerprint_key(const json& payload) {
  const auto it = payload.find("fingerprint");
  if (it == payload.end() || !it->is_array() || it->empty()) return {};
  std::string key;
  for (const auto& part : *it) {
    const std::string text = part.is_string() ? part.get<std::string>() : part.dump();
    if (text == "{{ default }}" || text == "{{default}}") return {};
    key += text;
    key += '\x1f';
  }
  return key;
}

void read_tags(const json& payload, std::map<std::string, std::string>& tags) {
  const auto it = payload.find("tags");
  if (it == payload.end()) return;
  auto as_text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (it->is_object()) {
    for (const auto& [key, value] : it->items()) tags[key] = as_text(value);
  } else if (it->is_array()) {  // [["key","value"], …]
    for (const auto& pair : *it) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string()) {
        tags[pair[0].get<std::string>()] = as_text(pair[1]);
      }
    }
  }
}

}  // namespace

Result<EventSummary> summarize_event(const json& payload) {
  if (!payload.is_object()) return wrong_type("(payload)", "an object");
  EventSummary summary;
  struct Field {
    const char* key;
    std::string* out;
  };
  for (const Field field :
       {Field{"event_id", &summary.event_id}, Field{"level", &summary.level},
        Field{"release", &summary.release}, Field{"environment", &summary.environment},
        Field{"platform", &summary.platform}}) {
    auto value = string_field(payload, field.key);
    if (!value) return wrong_type(field.key, "a string");
    if (!value->empty()) *field.out = std::move(*value);
  }
  read_tags(payload, summary.tags);
  const std::string message = event_message(payload);
  std::string transaction = frame_field(payload, "transaction");
  if (transaction.empty()) transaction = frame_field(payload, "culprit");

  if (const json* exception = main_exception(payload)) {
    summary.exception_type = frame_field(*exception, "type");
    summary.exception_value = frame_field(*exception, "value");
    const std::string& type = summary.exception_type;
    if (type.empty() || synthetic(*exception)) {
      // captureMessage with attachStacktrace: a stack with no type; the title is the text.
      summary.title = message.empty() ? summary.exception_value : message;
      summary.title = summary.title.substr(0, summary.title.find('\n'));
    } else {
      summary.title =
          summary.exception_value.empty() ? type : type + ": " + summary.exception_value;
    }
    summary.message = message.empty() ? summary.title : message;
    std::string frame_key;
    if (const json* frame = top_frame(*exception)) {
      summary.culprit = frame_field(*frame, "function");
      if (summary.culprit.empty()) summary.culprit = frame_field(*frame, "module");
      if (summary.culprit.empty()) summary.culprit = frame_field(*frame, "filename");
      frame_key = frame_field(*frame, "module") + "|" + frame_field(*frame, "filename") + "|" +
                  frame_field(*frame, "function");
    }
    if (summary.culprit.empty()) summary.culprit = transaction;
    summary.group_key = "exception\x1f" + type + "\x1f" + frame_key;
  } else {
    summary.message = message;
    summary.title = message.empty() ? "<unlabeled event>" : message;
    // The title line only, as Sentry shows a multi-line message.
    summary.title = summary.title.substr(0, summary.title.find('\n'));
    summary.culprit = transaction;
    summary.group_key = "message\x1f" + message;
  }
  if (std::string fingerprint = fingerprint_key(payload); !fingerprint.empty()) {
    summary.group_key = "fingerprint\x1f" + fingerprint;
  }
  return summary;
}

}  // namespace mepsim::fakes::sentry
