#include "sim/net/fault_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace mepsim {
namespace {

using nlohmann::json;

Error field_error(std::string_view field, std::string_view message) {
  return make_error(ErrorCode::invalid_input, fmt::format("{}: {}", field, message));
}

// A whole number in [min, max]: JSON's 200 and 200.0 alike, never 0.5 nor "200".
Result<std::uint64_t> whole(std::string_view field, const json& value, std::uint64_t min,
                            std::uint64_t max) {
  const auto out_of_range = [&] {
    return field_error(field, fmt::format("must be a whole number from {} to {}", min, max));
  };
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() ? false : value.get<std::int64_t>() < 0) return out_of_range();
    const auto n = value.get<std::uint64_t>();
    if (n < min || n > max) return out_of_range();
    return n;
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d != static_cast<double>(static_cast<std::int64_t>(d)) || d < static_cast<double>(min) ||
        d > static_cast<double>(max)) {
      return out_of_range();
    }
    return static_cast<std::uint64_t>(d);
  }
  return out_of_range();
}

Result<std::uint32_t> milliseconds(std::string_view field, const json& value) {
  auto n = whole(field, value, 0, FaultPolicy::kDelayMsMax);
  if (!n) return n.error();
  return static_cast<std::uint32_t>(*n);
}

}  // namespace

bool FaultPolicy::pass_through(FaultDirection way) const {
  if (blackhole || reset_after_bytes != 0) return false;
  return !applies_to(way) || (latency_ms == 0 && jitter_ms == 0 && bandwidth_kbps == 0);
}

const char* to_string(FaultDirection direction) {
  switch (direction) {
    case FaultDirection::both:
      return "both";
    case FaultDirection::to_server:
      return "to_server";
    case FaultDirection::to_client:
      return "to_client";
  }
  return "both";
}

Result<void> set_fault_policy_field(FaultPolicy& policy, std::string_view field,
                                    const json& value) {
  if (field == "latency_ms" || field == "jitter_ms" || field == "slow_close_ms") {
    auto ms = milliseconds(field, value);
    if (!ms) return ms.error();
    (field == "latency_ms"  ? policy.latency_ms
     : field == "jitter_ms" ? policy.jitter_ms
                            : policy.slow_close_ms) = *ms;
    return {};
  }
  if (field == "bandwidth_kbps") {
    // 1 kbit/s is slow enough to stall anything; 10 Gbit/s is no limit on loopback.
    auto kbps = whole(field, value, 1, 10'000'000);
    if (!kbps) return kbps.error();
    policy.bandwidth_kbps = *kbps;
    return {};
  }
  if (field == "reset_after_bytes") {
    auto bytes = whole(field, value, 1, std::uint64_t{1} << 40);
    if (!bytes) return bytes.error();
    policy.reset_after_bytes = *bytes;
    return {};
  }
  if (field == "reset_probability") {
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
      return field_error(field, "must be a number from 0 to 1");
    }
    policy.reset_probability = value.get<double>();
    return {};
  }
  if (field == "blackhole") {
    if (!value.is_boolean()) return field_error(field, "must be true or false");
    policy.blackhole = value.get<bool>();
    return {};
  }
  if (field == "direction") {
    const std::string text = value.is_string() ? value.get<std::string>() : "";
    for (auto way : {FaultDirection::both, FaultDirection::to_server, FaultDirection::to_client}) {
      if (text == to_string(way)) {
        policy.direction = way;
        return {};
      }
    }
    return field_error(field, "must be one of both, to_server, to_client");
  }
  return field_error(field,
                     "unknown field (known: latency_ms, jitter_ms, bandwidth_kbps, "
                     "reset_probability, reset_after_bytes, blackhole, slow_close_ms, direction)");
}

Result<void> check_fault_policy(const FaultPolicy& policy) {
  if (policy.jitter_ms > policy.latency_ms) {
    return field_error("jitter_ms", fmt::format("must not exceed latency_ms ({}): a delay is "
                                                "latency ± jitter, never negative",
                                                policy.latency_ms));
  }
  return {};
}

Result<FaultPolicy> fault_policy_from_json(const json& body) {
  if (!body.is_object()) return field_error("policy", "must be a JSON object");
  FaultPolicy policy;
  for (const auto& [field, value] : body.items()) {
    if (auto set = set_fault_policy_field(policy, field, value); !set) return set.error();
  }
  if (auto checked = check_fault_policy(policy); !checked) return checked.error();
  return policy;
}

json to_json(const FaultPolicy& policy) {
  json out = json::object();
  if (policy.latency_ms != 0) out["latency_ms"] = policy.latency_ms;
  if (policy.jitter_ms != 0) out["jitter_ms"] = policy.jitter_ms;
  if (policy.bandwidth_kbps != 0) out["bandwidth_kbps"] = policy.bandwidth_kbps;
  if (policy.reset_probability != 0) out["reset_probability"] = policy.reset_probability;
  if (policy.reset_after_bytes != 0) out["reset_after_bytes"] = policy.reset_after_bytes;
  if (policy.blackhole) out["blackhole"] = true;
  if (policy.slow_close_ms != 0) out["slow_close_ms"] = policy.slow_close_ms;
  if (policy.direction != FaultDirection::both) out["direction"] = to_string(policy.direction);
  return out;
}

std::vector<std::string> fault_names(const FaultPolicy& policy) {
  std::vector<std::string> names;
  if (policy.latency_ms != 0 || policy.jitter_ms != 0) names.emplace_back("latency");
  if (policy.bandwidth_kbps != 0) names.emplace_back("bandwidth");
  if (policy.reset_probability != 0 || policy.reset_after_bytes != 0) names.emplace_back("reset");
  if (policy.blackhole) names.emplace_back("blackhole");
  if (policy.slow_close_ms != 0) names.emplace_back("slow_close");
  return names;
}

bool draw_reset(const FaultPolicy& policy, Rng& rng) {
  return rng.chance(policy.reset_probability);
}

Duration draw_delay(const FaultPolicy& policy, Rng& rng) {
  std::int64_t ms = policy.latency_ms;
  if (policy.jitter_ms != 0)
    ms += rng.uniform_int(-std::int64_t{policy.jitter_ms}, policy.jitter_ms);
  return std::chrono::milliseconds(std::max<std::int64_t>(ms, 0));
}

Duration transmission_time(const FaultPolicy& policy, std::size_t bytes) {
  if (policy.bandwidth_kbps == 0) return Duration::zero();
  // bits / (kbit/s) = milliseconds; in nanoseconds to keep small chunks' share.
  const double ns =
      static_cast<double>(bytes) * 8.0 * 1e6 / static_cast<double>(policy.bandwidth_kbps);
  return Duration(static_cast<Duration::rep>(std::min(ns, 1e15)));
}

}  // namespace mepsim
