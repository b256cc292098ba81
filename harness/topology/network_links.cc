#include "harness/topology/network_links.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

#include "fakes/common/admin_api.h"

namespace mepsim {
namespace {

// [begin, end) of "host:port" in `url`: after "://" and any userinfo, up to the path.
std::pair<std::size_t, std::size_t> authority_span(std::string_view url) {
  const auto scheme = url.find("://");
  const std::size_t begin = scheme == std::string_view::npos ? 0 : scheme + 3;
  std::size_t end = url.find_first_of("/?#", begin);
  if (end == std::string_view::npos) end = url.size();
  const auto at = url.substr(begin, end - begin).rfind('@');
  return {at == std::string_view::npos ? begin : begin + at + 1, end};
}

std::string address_text(const UrlAddress& address) {
  return fmt::format("{}:{}", address.host, address.port);
}

}  // namespace

std::optional<UrlAddress> url_address(std::string_view url) {
  const auto [begin, end] = authority_span(url);
  const std::string_view authority = url.substr(begin, end - begin);
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::uint16_t port = 0;
  const auto digits = authority.substr(colon + 1);
  const auto [last, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || last != digits.data() + digits.size() || port == 0) return std::nullopt;
  return UrlAddress{std::string(authority.substr(0, colon)), port};
}

std::string with_url_address(std::string_view url, const UrlAddress& to) {
  const auto [begin, end] = authority_span(url);
  return std::string(url.substr(0, begin)) + address_text(to) + std::string(url.substr(end));
}

std::string network_fault_event(const FaultPolicy& policy) {
  return policy.pass_through() ? "fault.healed" : "fault.injected";
}

std::vector<Field> network_fault_fields(const std::string& link, const FaultPolicy& policy) {
  std::vector<Field> fields = {{"kind", "network"}, {"link", link}};
  if (!policy.pass_through()) {
    fields.push_back({"faults", fmt::format("{}", fmt::join(fault_names(policy), "+"))});
    fields.push_back({"settings", mepsim::to_json(policy).dump()});
  }
  return fields;
}

const std::vector<std::pair<std::string, std::string>>& NetworkLinks::routed_variables() {
  static const std::vector<std::pair<std::string, std::string>> routed = {
      {"DATABASE_URL", "mysql"},
      {"REDIS_URL", "redis"},
      {"SENTRY_DSN", "sentry"},
      {"MAILER_DSN", "brevo"},
      {"GEOCODING_API_URL", "geocoding"}};
  return routed;
}

NetworkLinks::NetworkLinks(Clock& clock, Rng rng)
    : clock_(clock), rng_(std::move(rng)), work_(boost::asio::make_work_guard(io_)) {
  thread_ = std::thread([this] { io_.run(); });
}

NetworkLinks::~NetworkLinks() {
  stop();
}

Result<void> NetworkLinks::route(platform::PlatformProfile& profile) {
  for (auto& app : profile.apps) {
    for (const auto& [key, link] : routed_variables()) {
      const auto found = app.variables.find(key);
      if (found == app.variables.end()) continue;
      const auto upstream = url_address(found->second);
      // A variable without a port (MAILER_DSN=null://null) reaches nothing to proxy.
      if (!upstream) continue;
      auto port = open(link, *upstream);
      if (!port) return port.error().context(fmt::format("routing {}'s {}", app.name, key));
      found->second = with_url_address(found->second, {"127.0.0.1", port.value()});
    }
  }
  return {};
}

Result<std::uint16_t> NetworkLinks::open(const std::string& link, const UrlAddress& upstream) {
  std::lock_guard lock(mutex_);
  if (const auto found = links_.find(link); found != links_.end()) {
    if (address_text(found->second.upstream) != address_text(upstream)) {
      return make_error(ErrorCode::conflict,
                        fmt::format("link {} leads to {}, not {}", link,
                                    address_text(found->second.upstream), address_text(upstream)));
    }
    return found->second.proxy->port();
  }
  FaultProxyOptions options;
  options.link = link;
  options.upstream_host = upstream.host;
  options.upstream_port = upstream.port;
  auto proxy = std::make_unique<FaultProxy>(io_, std::move(options), rng_.fork(link), clock_);
  if (auto listening = proxy->listen(); !listening) return listening.error();
  const std::uint16_t port = proxy->port();
  links_.emplace(link, Link{upstream, std::move(proxy)});
  return port;
}

std::vector<std::string> NetworkLinks::links() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, _] : links_) names.push_back(name);
  return names;
}

Result<FaultProxy*> NetworkLinks::find(const std::string& link) const {
  std::lock_guard lock(mutex_);
  const auto found = links_.find(link);
  if (found != links_.end()) return found->second.proxy.get();
  std::vector<std::string> names;
  for (const auto& [name, _] : links_) names.push_back(name);
  return make_error(
      ErrorCode::not_found,
      fmt::format("no network link named {} (links: {})", link,
                  names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

Result<void> NetworkLinks::set_policy(const std::string& link, const FaultPolicy& policy) {
  auto proxy = find(link);
  if (!proxy) return proxy.error();
  if (auto checked = check_fault_policy(policy); !checked) return checked.error();
  proxy.value()->set_policy(policy);
  return {};
}

Result<FaultPolicy> NetworkLinks::policy(const std::string& link) const {
  auto proxy = find(link);
  if (!proxy) return proxy.error();
  return proxy.value()->policy();
}

std::map<std::string, FaultCounters> NetworkLinks::counters() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, FaultCounters> out;
  for (const auto& [name, link] : links_) out[name] = link.proxy->counters();
  return out;
}

nlohmann::json NetworkLinks::to_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, link] : links_) {
    const auto c = link.proxy->counters();
    nlohmann::json fired = nlohmann::json::object();
    for (const auto& [fault, count] : c.faults_fired()) fired[fault] = count;
    out[name] = {{"upstream", address_text(link.upstream)},
                 {"port", link.proxy->port()},
                 {"policy", mepsim::to_json(link.proxy->policy())},
                 {"connections", c.connections},
                 {"bytes_to_server", c.bytes_to_server},
                 {"bytes_to_client", c.bytes_to_client},
                 {"connections_reset", c.connections_reset},
                 {"chunks_delayed", c.chunks_delayed},
                 {"faults_fired", std::move(fired)}};
  }
  return out;
}

std::vector<Endpoint> NetworkLinks::endpoints() const {
  std::lock_guard lock(mutex_);
  std::vector<Endpoint> out;
  for (const auto& [name, link] : links_) {
    out.push_back({"link", fmt::format("127.0.0.1:{}", link.proxy->port()),
                   fmt::format("{} fault proxy to {}", name, address_text(link.upstream))});
  }
  return out;
}

void NetworkLinks::serve_on(fakes::AdminApi& admin,
                            std::function<void(std::string, std::vector<Field>)> publish) {
  admin.register_network({[this] { return to_json(); },
                          [this, publish = std::move(publish)](
                              const std::string& link, const FaultPolicy& policy) -> Result<void> {
                            if (auto set = set_policy(link, policy); !set) return set;
                            publish(network_fault_event(policy),
                                    network_fault_fields(link, policy));
                            return {};
                          }});
}

void NetworkLinks::stop() {
  {
    std::lock_guard lock(mutex_);
    for (auto& [_, link] : links_) link.proxy->close();
  }
  // With every acceptor and connection closed, the thread runs out of work and returns.
  work_.reset();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  links_.clear();
}

}  // namespace mepsim
