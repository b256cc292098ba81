#include "harness/dashboard/load_seconds.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "harness/dashboard/dashboard_json.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

// Counts a load could reach (a second of 10^12 requests), and unix times in milliseconds
// to the year 33658: bounds that only refuse nonsense.
constexpr std::int64_t kCountMax = 1'000'000'000'000;
constexpr std::int64_t kUnixMsMax = 1'000'000'000'000'000;
constexpr double kMillisecondsMax = 1e9;

const std::set<std::string, std::less<>> kFields = {
    "second", "at_ms",  "requests",       "status",      "errors", "p50_ms",
    "p90_ms", "p99_ms", "session_losses", "lost_writes", "phase"};

Result<std::int64_t> count_of(const json& value, const std::string& where,
                              std::int64_t max = kCountMax) {
  if (!value.is_number_integer()) return field_error(where, "an integer is expected");
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(max)) {
    return field_error(where, "out of range");
  }
  const auto n = value.get<std::int64_t>();
  if (n < 0 || n > max) return field_error(where, "out of range");
  return n;
}

Result<std::optional<double>> milliseconds_of(const json& value, const std::string& where) {
  if (value.is_null()) return std::optional<double>();
  if (!value.is_number()) return field_error(where, "a number of milliseconds or null");
  const double ms = value.get<double>();
  if (!std::isfinite(ms) || ms < 0 || ms > kMillisecondsMax) {
    return field_error(where, "out of range");
  }
  return std::optional<double>(ms);
}

bool printable_ascii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

Result<void> read_status(const json& value, const std::string& where, LoadSecond& out) {
  if (!value.is_object()) return field_error(where, "an object of counts by class");
  for (const auto& [key, count] : value.items()) {
    std::size_t k = 0;
    while (k < kLoadStatusClasses.size() && key != kLoadStatusClasses[k]) ++k;
    if (k == kLoadStatusClasses.size()) {
      return field_error(where + "." + key, "not a status class (2xx, 3xx, 4xx, 5xx, other)");
    }
    auto n = count_of(count, where + "." + key);
    if (!n) return n.error();
    out.status[k] = n.value();
  }
  for (const char* name : kLoadStatusClasses) {
    if (!value.contains(name)) return field_error(where + "." + name, "missing");
  }
  return {};
}

Result<LoadSecond> read_second(const json& item, const std::string& where) {
  if (!item.is_object()) return field_error(where, "an object is expected");
  for (const auto& [key, value] : item.items()) {
    if (!kFields.contains(key)) return field_error(where + "." + key, "unknown field");
  }
  for (const auto& key : kFields) {
    if (!item.contains(key)) return field_error(where + "." + key, "missing");
  }
  LoadSecond s;
  const auto count = [&](const char* key, std::int64_t& into) -> Result<void> {
    auto n = count_of(item.at(key), where + "." + key);
    if (!n) return n.error();
    into = n.value();
    return {};
  };
  auto at_ms = count_of(item.at("at_ms"), where + ".at_ms", kUnixMsMax);
  if (!at_ms) return at_ms.error();
  s.at_ms = at_ms.value();
  for (auto [key, into] :
       {std::pair{"second", &s.second}, std::pair{"requests", &s.requests},
        std::pair{"errors", &s.errors}, std::pair{"session_losses", &s.session_losses}}) {
    if (auto read = count(key, *into); !read) return read.error();
  }
  if (auto status = read_status(item.at("status"), where + ".status", s); !status) {
    return status.error();
  }
  for (auto [key, into] : {std::pair{"p50_ms", &s.p50_ms}, std::pair{"p90_ms", &s.p90_ms},
                           std::pair{"p99_ms", &s.p99_ms}}) {
    auto ms = milliseconds_of(item.at(key), where + "." + key);
    if (!ms) return ms.error();
    *into = ms.value();
  }
  if (const auto& lost = item.at("lost_writes"); !lost.is_null()) {
    auto n = count_of(lost, where + ".lost_writes");
    if (!n) return n.error();
    s.lost_writes = n.value();
  }
  const auto& phase = item.at("phase");
  if (!phase.is_string()) return field_error(where + ".phase", "a string is expected");
  s.phase = phase.get<std::string>();
  if (s.phase.size() > kLoadPhaseBytesMax || !printable_ascii(s.phase)) {
    return field_error(where + ".phase", "at most 64 printable ASCII characters");
  }
  return s;
}

json optional_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

bool valid_load_name(std::string_view name) {
  if (name.empty() || name.size() > kLoadNameBytesMax) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<LoadSecond>> parse_load_seconds(std::string_view body) {
  const json document = json::parse(body, nullptr, false);
  if (document.is_discarded()) return field_error("body", "not JSON");
  if (!document.is_array()) return field_error("body", "a JSON array of seconds is expected");
  if (document.empty() || document.size() > kLoadSecondsPerPostMax) {
    return field_error("body", fmt::format("1 to {} seconds per post", kLoadSecondsPerPostMax));
  }
  std::vector<LoadSecond> out;
  out.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    auto second = read_second(document[i], fmt::format("seconds[{}]", i));
    if (!second) return second.error();
    out.push_back(std::move(second).value());
  }
  return out;
}

json load_second_json(const LoadSecond& s) {
  json status = json::object();
  for (std::size_t k = 0; k < kLoadStatusClasses.size(); ++k) {
    status[kLoadStatusClasses[k]] = s.status[k];
  }
  return {{"second", s.second},
          {"at_ms", s.at_ms},
          {"requests", s.requests},
          {"status", std::move(status)},
          {"errors", s.errors},
          {"p50_ms", optional_json(s.p50_ms)},
          {"p90_ms", optional_json(s.p90_ms)},
          {"p99_ms", optional_json(s.p99_ms)},
          {"session_losses", s.session_losses},
          {"lost_writes", s.lost_writes ? json(*s.lost_writes) : json(nullptr)},
          {"phase", s.phase}};
}

}  // namespace mepsim::dashboard
