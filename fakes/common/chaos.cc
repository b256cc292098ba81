#include "fakes/common/chaos.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace mepsim::fakes {
namespace {

using nlohmann::json;

// A drawn delay longer than this is cut: a lognormal tail must not hang a client for
// hours, and no real service answers a request a minute late.
constexpr double kLatencyMsMax = 60'000;
constexpr int kRetryAfterSMax = 86'400;

std::string key_of(const std::string& fake, const std::string& operation) {
  return fake + "." + operation;
}

// Reads a policy field by field; the first bad field is the error, named by its path.
class PolicyReader {
 public:
  explicit PolicyReader(const json& body) : body_(body) {}

  Result<ChaosPolicy> read();

 private:
  bool fail(const std::string& field, const std::string& message) {
    if (!error_) error_ = field + ": " + message;
    return false;
  }
  const json* section(const char* name, std::initializer_list<const char*> keys);
  bool number(const json& object, const std::string& path, const char* key, double lo, double hi,
              double& out, bool required);
  bool probability(const json& object, const std::string& path, double& out) {
    return number(object, path, "probability", 0, 1, out, true);
  }
  void latency(ChaosPolicy& policy);
  void outage(ChaosPolicy& policy);

  const json& body_;
  std::optional<std::string> error_;
};

const json* PolicyReader::section(const char* name, std::initializer_list<const char*> keys) {
  const auto found = body_.find(name);
  if (found == body_.end() || found->is_null()) return nullptr;
  if (!found->is_object()) {
    fail(name, "must be an object");
    return nullptr;
  }
  for (const auto& [key, value] : found->items()) {
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
      fail(std::string(name) + "." + key, "unknown field");
      return nullptr;
    }
  }
  return &*found;
}

bool PolicyReader::number(const json& object, const std::string& path, const char* key, double lo,
                          double hi, double& out, bool required) {
  const std::string field = path + "." + key;
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    return required ? fail(field, "is required") : true;
  }
  if (!found->is_number()) return fail(field, "must be a number");
  const double value = found->get<double>();
  if (!std::isfinite(value) || value < lo || value > hi) {
    char range[64];
    std::snprintf(range, sizeof range, "must be between %g and %g", lo, hi);
    return fail(field, range);
  }
  out = value;
  return true;
}

void PolicyReader::latency(ChaosPolicy& policy) {
  const json* latency =
      section("latency", {"shape", "fixed_ms", "min_ms", "max_ms", "median_ms", "sigma"});
  if (latency == nullptr) return;
  const auto shape = latency->find("shape");
  if (shape == latency->end() || !shape->is_string()) {
    fail("latency.shape", "must be one of none, fixed, uniform, lognormal");
    return;
  }
  auto& l = policy.latency;
  const std::string name = shape->get<std::string>();
  if (name == "none") {
    l.shape = LatencyShape::none;
  } else if (name == "fixed") {
    l.shape = LatencyShape::fixed;
    number(*latency, "latency", "fixed_ms", 0, kLatencyMsMax, l.fixed_ms, true);
  } else if (name == "uniform") {
    l.shape = LatencyShape::uniform;
    number(*latency, "latency", "min_ms", 0, kLatencyMsMax, l.min_ms, true);
    number(*latency, "latency", "max_ms", 0, kLatencyMsMax, l.max_ms, true);
    if (l.min_ms > l.max_ms) fail("latency.max_ms", "must not be less than min_ms");
  } else if (name == "lognormal") {
    l.shape = LatencyShape::lognormal;
    number(*latency, "latency", "median_ms", 0.001, kLatencyMsMax, l.median_ms, true);
    number(*latency, "latency", "sigma", 0, 5, l.sigma, true);
  } else {
    fail("latency.shape", "must be one of none, fixed, uniform, lognormal");
  }
}

// "2026-11-26T10:00:00Z" or with fractional seconds; UTC only, as the scenarios write it.
std::optional<Instant> parse_utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double s = 0;
  char z = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%c%n", &y, &mo, &d, &h, &mi, &s, &z,
                  &consumed) != 7 ||
      z != 'Z' || static_cast<std::size_t>(consumed) != text.size()) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(y),
                                         std::chrono::month(static_cast<unsigned>(mo)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok() || h > 23 || mi > 59 || s < 0 || s >= 61) return std::nullopt;
  const auto seconds = std::chrono::duration<double>(h * 3600 + mi * 60 + s);
  return Instant(std::chrono::sys_days(date).time_since_epoch() +
                 std::chrono::duration_cast<Duration>(seconds));
}

void PolicyReader::outage(ChaosPolicy& policy) {
  const json* outage = section("outage", {"from", "until"});
  if (outage == nullptr) return;
  for (const char* key : {"from", "until"}) {
    const auto found = outage->find(key);
    if (found == outage->end() || found->is_null()) continue;
    const auto at = found->is_string() ? parse_utc(found->get<std::string>()) : std::nullopt;
    if (!at) {
      fail(std::string("outage.") + key, "must be a UTC time like 2026-11-26T10:00:00Z");
      return;
    }
    (std::string_view(key) == "from" ? policy.outage_from : policy.outage_until) = *at;
  }
  if (!policy.outage_from && !policy.outage_until) {
    fail("outage", "needs from, until or both");
  } else if (policy.outage_from && policy.outage_until &&
             *policy.outage_until <= *policy.outage_from) {
    fail("outage.until", "must be later than from");
  }
}

Result<ChaosPolicy> PolicyReader::read() {
  if (!body_.is_object()) return make_error(ErrorCode::invalid_input, "policy: must be an object");
  static const std::set<std::string> kSections = {"latency", "error",     "rate_limit",
                                                  "reset",   "malformed", "outage"};
  for (const auto& [key, value] : body_.items()) {
    if (!kSections.contains(key)) fail(key, "unknown field");
  }
  ChaosPolicy policy;
  latency(policy);
  if (const json* error = section("error", {"probability", "status"})) {
    probability(*error, "error", policy.error_probability);
    double status = policy.error_status;
    if (number(*error, "error", "status", 400, 599, status, false)) {
      policy.error_status = static_cast<int>(status);
      if (policy.error_status != status) fail("error.status", "must be an integer");
    }
  }
  if (const json* limit = section("rate_limit", {"probability", "retry_after_s"})) {
    probability(*limit, "rate_limit", policy.rate_limit_probability);
    double retry_after_s = policy.retry_after_s;
    if (number(*limit, "rate_limit", "retry_after_s", 0, kRetryAfterSMax, retry_after_s, false)) {
      policy.retry_after_s = static_cast<int>(retry_after_s);
      if (policy.retry_after_s != retry_after_s) {
        fail("rate_limit.retry_after_s", "must be an integer");
      }
    }
  }
  if (const json* reset = section("reset", {"probability"})) {
    probability(*reset, "reset", policy.reset_probability);
  }
  if (const json* malformed = section("malformed", {"probability"})) {
    probability(*malformed, "malformed", policy.malformed_probability);
  }
  outage(policy);
  if (error_) return make_error(ErrorCode::invalid_input, *error_);
  return policy;
}

double clamp_ms(double ms) {
  return std::clamp(ms, 0.0, kLatencyMsMax);
}

Duration to_duration(double ms) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace

const char* to_string(ChaosDecision::Kind kind) {
  switch (kind) {
    case ChaosDecision::Kind::pass:
      return "pass";
    case ChaosDecision::Kind::error_status:
      return "error_status";
    case ChaosDecision::Kind::rate_limit:
      return "rate_limit";
    case ChaosDecision::Kind::reset:
      return "reset";
    case ChaosDecision::Kind::malformed:
      return "malformed";
    case ChaosDecision::Kind::outage:
      return "outage";
  }
  return "pass";
}

Result<ChaosPolicy> chaos_policy_from_json(const nlohmann::json& body) {
  return PolicyReader(body).read();
}

nlohmann::json to_json(const ChaosPolicy& policy) {
  json out = json::object();
  const auto& l = policy.latency;
  switch (l.shape) {
    case LatencyShape::none:
      break;
    case LatencyShape::fixed:
      out["latency"] = {{"shape", "fixed"}, {"fixed_ms", l.fixed_ms}};
      break;
    case LatencyShape::uniform:
      out["latency"] = {{"shape", "uniform"}, {"min_ms", l.min_ms}, {"max_ms", l.max_ms}};
      break;
    case LatencyShape::lognormal:
      out["latency"] = {{"shape", "lognormal"}, {"median_ms", l.median_ms}, {"sigma", l.sigma}};
      break;
  }
  if (policy.error_probability > 0) {
    out["error"] = {{"probability", policy.error_probability}, {"status", policy.error_status}};
  }
  if (policy.rate_limit_probability > 0) {
    out["rate_limit"] = {{"probability", policy.rate_limit_probability},
                         {"retry_after_s", policy.retry_after_s}};
  }
  if (policy.reset_probability > 0) out["reset"] = {{"probability", policy.reset_probability}};
  if (policy.malformed_probability > 0) {
    out["malformed"] = {{"probability", policy.malformed_probability}};
  }
  if (policy.outage_from || policy.outage_until) {
    json outage = json::object();
    if (policy.outage_from) outage["from"] = format_iso8601(*policy.outage_from);
    if (policy.outage_until) outage["until"] = format_iso8601(*policy.outage_until);
    out["outage"] = std::move(outage);
  }
  return out;
}

Chaos::Chaos(Rng rng, const Clock& clock) : rng_(std::move(rng)), clock_(clock) {}

void Chaos::set(const std::string& fake, const std::string& operation, ChaosPolicy policy) {
  std::lock_guard lock(mutex_);
  policies_[key_of(fake, operation)] = std::move(policy);
}

void Chaos::clear(const std::string& fake, const std::string& operation) {
  std::lock_guard lock(mutex_);
  policies_.erase(key_of(fake, operation));
}

void Chaos::clear_all() {
  std::lock_guard lock(mutex_);
  policies_.clear();
}

std::map<std::string, ChaosPolicy> Chaos::policies() const {
  std::lock_guard lock(mutex_);
  return policies_;
}

ChaosDecision Chaos::decide(const std::string& fake, const std::string& operation) {
  std::lock_guard lock(mutex_);
  auto found = policies_.find(key_of(fake, operation));
  if (found == policies_.end()) found = policies_.find(key_of(fake, "*"));
  if (found == policies_.end()) return {};
  const ChaosPolicy& p = found->second;
  ChaosDecision decision;

  // The same number of draws whatever comes out, so that one policy's outcome cannot
  // shift the draws of the requests after it.
  double delay_ms = 0;
  switch (p.latency.shape) {
    case LatencyShape::none:
      break;
    case LatencyShape::fixed:
      delay_ms = p.latency.fixed_ms;
      break;
    case LatencyShape::uniform:
      delay_ms = p.latency.min_ms < p.latency.max_ms
                     ? rng_.uniform_real(p.latency.min_ms, p.latency.max_ms)
                     : p.latency.min_ms;
      break;
    case LatencyShape::lognormal:
      delay_ms = p.latency.sigma > 0
                     ? rng_.lognormal(std::log(p.latency.median_ms), p.latency.sigma)
                     : p.latency.median_ms;
      break;
  }
  decision.delay = to_duration(clamp_ms(delay_ms));
  const bool reset = rng_.chance(p.reset_probability);
  const bool error = rng_.chance(p.error_probability);
  const bool rate_limit = rng_.chance(p.rate_limit_probability);
  const bool malformed = rng_.chance(p.malformed_probability);

  const Instant now = clock_.now();
  const bool in_outage = (p.outage_from || p.outage_until) &&
                         (!p.outage_from || now >= *p.outage_from) &&
                         (!p.outage_until || now < *p.outage_until);
  using Kind = ChaosDecision::Kind;
  if (in_outage) {
    decision.kind = Kind::outage;
    decision.status = 503;
  } else if (reset) {
    decision.kind = Kind::reset;
  } else if (error) {
    decision.kind = Kind::error_status;
    decision.status = p.error_status;
  } else if (rate_limit) {
    decision.kind = Kind::rate_limit;
    decision.status = 429;
    decision.retry_after_s = p.retry_after_s;
  } else if (malformed) {
    decision.kind = Kind::malformed;
    decision.status = 200;
  }
  const std::string prefix = key_of(fake, operation) + ".";
  if (decision.delay > Duration::zero()) ++used_[prefix + "latency"];
  if (decision.kind != Kind::pass) ++used_[prefix + to_string(decision.kind)];
  return decision;
}

std::map<std::string, std::uint64_t> Chaos::faults_used() const {
  std::lock_guard lock(mutex_);
  return used_;
}

}  // namespace mepsim::fakes
