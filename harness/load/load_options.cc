#include "harness/load/load_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/net/http_client.h"

namespace mepsim::load {

std::vector<Account> fixture_accounts() {
  const auto mail = [](const std::string& local) { return local + "@signal-logement.fr"; };
  std::vector<Account> accounts = {{mail("admin-01"), "ROLE_ADMIN", UserClass::admin}};
  for (const char* territory : {"13", "01", "44", "69"}) {
    const std::string t(territory);
    accounts.push_back(
        {mail("admin-territoire-" + t + "-01"), "ROLE_ADMIN_TERRITORY", UserClass::partner});
    accounts.push_back(
        {mail("admin-partenaire-" + t + "-01"), "ROLE_ADMIN_PARTNER", UserClass::partner});
    accounts.push_back({mail("user-" + t + "-01"), "ROLE_USER_PARTNER", UserClass::partner});
  }
  accounts.push_back({mail("usager-01"), "ROLE_USAGER", UserClass::usager});
  accounts.push_back({mail("api-01"), "ROLE_API_USER", UserClass::api});
  return accounts;
}

const char* class_name(UserClass c) {
  return scenario::to_string(c);
}

std::optional<UserClass> class_from_name(std::string_view name) {
  for (const auto c : kAllClasses) {
    if (name == class_name(c)) return c;
  }
  return std::nullopt;
}

namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_input, std::move(message));
}

Result<void> validate_mix(const LoadOptions& o) {
  double sum = 0;
  for (const auto& [c, percent] : o.mix_percent) {
    if (!(percent >= 0)) return invalid(fmt::format("mix: {} is negative", class_name(c)));
    sum += percent;
    if (percent == 0 || c == UserClass::anonymous || o.fixed_path) continue;
    const bool has_account = std::any_of(o.accounts.begin(), o.accounts.end(),
                                         [&](const Account& a) { return a.user_class == c; });
    // Usagers follow reports by code without an account when there is none.
    if (!has_account && c != UserClass::usager) {
      return invalid(fmt::format("mix: no account of class {} to log in with", class_name(c)));
    }
    if (o.password.empty()) return invalid("password: the logged-in classes need it");
  }
  if (!o.mix_percent.empty() && std::abs(sum - 100.0) > 0.01) {
    return invalid(fmt::format("mix: the percentages sum to {}, not 100", sum));
  }
  return {};
}

}  // namespace

Result<void> validate(const LoadOptions& o) {
  auto url = parse_http_url(o.target_url);
  if (!url) return invalid("target_url: " + url.error().message);
  if (!o.closed && !(o.rate_per_s > 0)) return invalid("rate: must be above 0 per second");
  if (o.ramp_to_rate_per_s) {
    if (!(*o.ramp_to_rate_per_s > 0)) return invalid("ramp_to: must be above 0 per second");
    if (!o.duration) return invalid("ramp_to: a ramp needs a duration");
    if (o.closed) return invalid("ramp_to: a closed loop has no rate to ramp");
  }
  if (o.connections < 1 || o.connections > 4096) {
    return invalid("connections: between 1 and 4096");
  }
  if (o.threads < 1 || o.threads > 64 || o.threads > o.connections) {
    return invalid("threads: between 1 and 64, and no more than the connections");
  }
  if (o.duration && *o.duration <= Duration::zero()) return invalid("duration: must be positive");
  if (o.fixed_path && !o.fixed_path->starts_with('/')) return invalid("path: must start with /");
  if (o.request_timeout <= Duration::zero()) return invalid("request_timeout: must be positive");
  if (o.think_time && *o.think_time < Duration::zero()) return invalid("think_time: negative");
  return validate_mix(o);
}

}  // namespace mepsim::load
