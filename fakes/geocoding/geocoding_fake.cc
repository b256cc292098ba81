#include "fakes/geocoding/geocoding_fake.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "fakes/common/fake_server.h"
#include "fakes/geocoding/address_search.h"

namespace mepsim::fakes::geocoding {
namespace {

using nlohmann::json;

void ban_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"code", status}, {"message", message}}.dump(), "application/json");
}

constexpr const char* kQueryMessage =
    "q must contain at least 3 chars and start with a number or a letter";

// BAN's ids: "<citycode>_<street code>_<housenumber>"; the street code here is a stable
// hash of the street, since the profile has none.
std::string ban_id(const platform::AddressProfile& a) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (const char c : a.street) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  char street_code[8];
  std::snprintf(street_code, sizeof street_code, "%04x", hash & 0xffffu);
  std::string id = a.citycode + "_" + street_code;
  if (!a.housenumber.empty()) {
    id += "_" + std::string(a.housenumber.size() < 5 ? 5 - a.housenumber.size() : 0, '0') +
          a.housenumber;
  }
  return id;
}

json feature(const ScoredAddress& scored) {
  const auto& a = *scored.address;
  const auto xy = to_lambert93(a.lon, a.lat);
  const bool numbered = !a.housenumber.empty();
  json properties = {{"label", a.label},
                     {"score", scored.score},
                     {"id", ban_id(a)},
                     {"name", numbered ? a.housenumber + " " + a.street : a.street},
                     {"postcode", a.postcode},
                     {"citycode", a.citycode},
                     {"x", xy.x},
                     {"y", xy.y},
                     {"city", a.city},
                     {"context", a.context},
                     {"type", numbered ? "housenumber" : "street"},
                     // BAN's importance weighs the city; a fixed value keeps answers stable.
                     {"importance", 0.6},
                     {"street", a.street}};
  if (numbered) properties["housenumber"] = a.housenumber;
  return {{"type", "Feature"},
          {"geometry", {{"type", "Point"}, {"coordinates", {a.lon, a.lat}}}},
          {"properties", std::move(properties)}};
}

// 1-20; nullopt for anything else.
std::optional<int> parse_limit(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > GeocodingFake::kLimitMax) return std::nullopt;
  return value;
}

// The query string's value of `key`, form-decoded ('+' is a space, as BAN reads it;
// httplib leaves '+' as is). "" when absent.
std::string form_param(const std::string& target, std::string_view key) {
  const auto question = target.find('?');
  if (question == std::string::npos) return "";
  std::string_view query(target);
  query.remove_prefix(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    std::string value;
    const std::string_view raw = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        value += ' ';
      } else if (raw[i] == '%' && i + 2 < raw.size() &&
                 std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
        unsigned byte = 0;
        (void)std::from_chars(raw.data() + i + 1, raw.data() + i + 3, byte, 16);
        value += static_cast<char>(byte);
        i += 2;
      } else {
        value += raw[i];
      }
    }
    return value;
  }
  return "";
}

}  // namespace

struct GeocodingFake::Impl {
  explicit Impl(GeocodingFakeOptions opts) : options(std::move(opts)) {}
  void search(FakeExchange& ex) const;

  GeocodingFakeOptions options;
  std::unique_ptr<FakeServer> server;
};

void GeocodingFake::Impl::search(FakeExchange& ex) const {
  const auto& req = ex.req;
  for (const auto& [key, value] : req.params) {
    // BAN's other filters are not modelled: refused rather than silently ignored.
    if (key != "q" && key != "limit" && key != "autocomplete") {
      ex.notes.push_back("unknown parameter " + key);
      ban_error(ex.res, 400, "unknown parameter " + key);
      return;
    }
  }
  const std::string q = form_param(req.target, "q");
  const auto first = q.find_first_not_of(' ');
  const std::size_t trimmed = first == std::string::npos ? 0 : q.size() - first;
  const auto lead = trimmed == 0 ? 0 : static_cast<unsigned char>(q[first]);
  const bool starts_well = std::isalnum(lead) || lead >= 0x80;  // 0x80+: an accented letter
  if (trimmed < 3 || q.size() > kQueryCharsMax || !starts_well) {
    ex.notes.push_back("q refused");
    ban_error(ex.res, 400, kQueryMessage);
    return;
  }
  int limit = kLimitDefault;
  if (req.has_param("limit")) {
    const auto parsed = parse_limit(req.get_param_value("limit"));
    if (!parsed) {
      ex.notes.push_back("limit refused");
      ban_error(ex.res, 400, "limit must be an integer between 1 and 20");
      return;
    }
    limit = *parsed;
  }
  json features = json::array();
  for (const auto& scored :
       search_addresses(options.addresses, q, static_cast<std::size_t>(limit))) {
    features.push_back(feature(scored));
  }
  ex.notes.push_back(std::to_string(features.size()) + " features");
  const json body = {{"type", "FeatureCollection"},
                     {"version", "draft"},
                     {"features", std::move(features)},
                     {"attribution", "BAN"},
                     {"licence", "ETALAB-2.0"},
                     {"query", q},
                     {"limit", limit}};
  ex.res.status = 200;
  ex.res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                     "application/json; charset=utf-8");
}

GeocodingFake::GeocodingFake(GeocodingFakeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  const auto& o = impl_->options;
  FakeServerOptions server;
  server.name = "geocoding";
  server.address = o.address;
  server.port = o.port;
  server.threads = o.threads;
  server.body_bytes_max = 64 * 1024;  // a search has no body
  server.journal_capacity = o.journal_capacity;
  server.control_clock = o.control_clock;
  server.latency_clock = o.latency_clock;
  server.chaos = o.chaos;
  server.error_body = ban_error;
  std::vector<FakeRoute> routes = {
      {"GET", R"(/search/?)", "search", [im = impl_.get()](FakeExchange& ex) { im->search(ex); }},
  };
  impl_->server = std::make_unique<FakeServer>(std::move(server), std::move(routes));
}

GeocodingFake::~GeocodingFake() {
  stop();
}

Result<void> GeocodingFake::start() {
  return impl_->server->start();
}

void GeocodingFake::stop() {
  impl_->server->stop();
}

std::uint16_t GeocodingFake::port() const {
  return impl_->server->port();
}

std::string GeocodingFake::base_url() const {
  return impl_->server->base_url();
}

RequestJournal& GeocodingFake::journal() {
  return impl_->server->journal();
}

}  // namespace mepsim::fakes::geocoding
