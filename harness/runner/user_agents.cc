#include "harness/runner/user_agents.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "harness/runner/run_context.h"
#include "harness/topology/app_routers.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

using scenario::UserClass;

constexpr const char* kSessionCookie = "PHPSESSID";  // sim/web/session_store.h

bool has_header(const std::vector<std::pair<std::string, std::string>>& headers,
                std::string_view name) {
  HttpReply probe;
  probe.headers = headers;
  return !reply_header(probe, name).empty();
}

bool is_set_cookie(std::string_view name) {
  constexpr std::string_view kName = "set-cookie";
  if (name.size() != kName.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != kName[i]) return false;
  }
  return true;
}

// The role an exchange is made with: the account's, or for a login the step posts itself,
// the fixture account it names.
std::string role_of(const Account& account, const std::string& claimed_email) {
  if (!account.email.empty()) return account.role;
  for (const auto& known : load::fixture_accounts()) {
    if (!claimed_email.empty() && known.email == claimed_email) return known.role;
  }
  return "";  // as the load generator's anonymous users
}

// What a refused login was answered, without anything the body should not show.
std::string refusal_detail(const HttpReply& reply) {
  std::string detail = describe_answer(reply);
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    detail += fmt::format(" \"{}\"", body["message"].get<std::string>());
  }
  return detail;
}

}  // namespace

AgentEnv agent_env(Topology& topology, EventLog& log, Clock& real_clock) {
  AgentEnv env;
  env.app_url = [&topology](const std::string& app) -> std::string {
    const auto route = topology.routers().route(app);
    return route ? fmt::format("http://127.0.0.1:{}", route->port) : std::string();
  };
  env.maintenance_in_effect = [&topology](const std::string& app) {
    // In effect only once every running web container was started with it.
    const auto containers = topology.platform().containers(app);
    if (!containers) return false;
    int web = 0;
    for (const auto& container : containers.value()) {
      if (container.type != "web") continue;
      ++web;
      const auto value = container.env.find("MAINTENANCE_ENABLE");
      if (value == container.env.end() || value->second != "1") return false;
    }
    return web > 0;
  };
  env.publish = [&topology, &log](std::vector<Field> fields) {
    log.publish(topology.platform_clock().now(), Plane::data, "users", "http.exchange",
                std::move(fields));
  };
  env.transport = [](const HttpExchange& exchange) { return http_exchange(exchange); };
  env.now = [&real_clock] { return real_clock.now(); };
  env.password = topology.fixture_password();
  return env;
}

UserAgents::UserAgents(AgentEnv env) : env_(std::move(env)) {}
UserAgents::UserAgents(RunContext& ctx)
    : UserAgents(agent_env(ctx.topology, ctx.log, ctx.real_clock)) {}
UserAgents::~UserAgents() = default;

void UserAgents::reset() {
  agents_.clear();
  cohorts_.clear();
  outcomes_.clear();
  logged_in_again_ = 0;
}

Result<UserAgents::Agent*> UserAgents::agent_for(const UserRequest& request) {
  Account account;
  if (request.as != UserClass::anonymous) {
    auto found = find_account(request.as, request.user);
    if (!found) return found.error();
    account = found.value();
  } else if (!request.user.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("user {}: anonymous users have no account", request.user));
  }
  // Bounded by the apps times the fixture accounts.
  const std::string key =
      fmt::format("{}\n{}\n{}", request.app, scenario::to_string(request.as), account.email);
  auto& agent = agents_[key];
  if (!agent) {
    agent = std::make_unique<Agent>();
    agent->account = std::move(account);
    agent->user_class = request.as;
    agent->app = request.app;
  }
  return agent.get();
}

Result<UserAnswer> UserAgents::send(const UserRequest& request, const ExpectsAsIs& expects_as_is) {
  if (env_.app_url(request.app).empty()) {
    return make_error(ErrorCode::not_found, fmt::format("app {} has no router", request.app));
  }
  auto found = agent_for(request);
  if (!found) return found.error();
  Agent& agent = *found.value();
  UserAnswer answer;
  answer.account = agent.account.email;
  const bool logs_in = agent.user_class != UserClass::anonymous;
  const bool first_login = logs_in && !agent.logged_in;
  if (first_login) {
    const auto login = log_in(agent, "");
    if (!login.ok) answer.notes = fmt::format("login refused ({})", login.detail);
  }
  auto reply = exchange(agent, request, "");
  if (!reply) return reply.error();
  const std::string path = target_path(request.target);
  const bool account_route = path == "/connexion" || path == "/logout" || path == "/api/login";
  // Logging in again right after a login this very request made would change nothing.
  if (logs_in && agent.logged_in && !first_login && !account_route &&
      is_logged_out_answer(agent.user_class, reply.value()) &&
      !(expects_as_is && expects_as_is(reply.value()))) {
    const std::string first = describe_answer(reply.value());
    const auto login = log_in(agent, "");
    if (login.ok) {
      ++logged_in_again_;
      answer.notes = fmt::format("logged out by the app ({}), logged in again", first);
      reply = exchange(agent, request, "");
      if (!reply) return reply.error();
    } else {
      answer.notes = fmt::format("logged out by the app ({}), logging in again refused ({})", first,
                                 login.detail);
    }
  }
  answer.reply = std::move(reply.value());
  return answer;
}

UserAgents::LoginResult UserAgents::log_in(Agent& agent, const std::string& cohort) {
  agent.jar.clear();
  agent.api_token.clear();
  agent.logged_in = false;
  const bool api = agent.user_class == UserClass::api;
  UserRequest login;
  login.as = agent.user_class;
  login.app = agent.app;
  login.method = "POST";
  if (api) {
    login.target = "/api/login";
    login.headers = {{"Content-Type", "application/json"}};
    login.body = nlohmann::json{{"email", agent.account.email}, {"password", env_.password}}.dump();
  } else {
    login.target = "/connexion";
    login.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    login.body = fmt::format("email={}&password={}", url_encode(agent.account.email),
                             url_encode(env_.password));
  }
  const auto reply = exchange(agent, login, cohort);
  if (!reply) return {false, fmt::format("no answer: {}", reply.error().message)};
  if (exchange_outcome(login.method, login.target, &reply.value()) != "login_ok") {
    return {false, refusal_detail(reply.value())};
  }
  if (api) {
    const auto body = nlohmann::json::parse(reply->body, nullptr, false);
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
      return {false, "200 without a token"};
    }
    agent.api_token = body["token"].get<std::string>();
  }
  agent.logged_in = true;
  return {true, {}};
}

Result<HttpReply> UserAgents::exchange(Agent& agent, const UserRequest& request,
                                       const std::string& cohort) {
  const std::string base = env_.app_url(agent.app);
  if (base.empty()) {
    return make_error(ErrorCode::not_found, fmt::format("app {} has no router", agent.app));
  }
  auto url = parse_http_url(base + request.target);
  if (!url) return url.error();
  HttpExchange ex;
  ex.method = request.method;
  ex.url = std::move(url.value());
  ex.headers = request.headers;
  ex.body = request.body;
  ex.timeout = kExchangeTimeout;
  const std::string path = target_path(request.target);
  const std::string cookies = agent.jar.header_for(path, env_.now());
  if (!cookies.empty() && !has_header(ex.headers, "Cookie"))
    ex.headers.emplace_back("Cookie", cookies);
  if (!agent.api_token.empty() && !has_header(ex.headers, "Authorization")) {
    ex.headers.emplace_back("Authorization", "Bearer " + agent.api_token);
  }
  auto reply = env_.transport(ex);
  if (reply) {
    for (const auto& [name, value] : reply->headers) {
      if (is_set_cookie(name)) (void)agent.jar.set_from_header(value, path, env_.now());
    }
    // A logout (the app's, or the step's own GET /logout) deletes the session cookie.
    if (agent.user_class != UserClass::api && !agent.jar.contains(kSessionCookie)) {
      agent.logged_in = false;
    }
  }
  publish(agent, request, reply,
          exchange_outcome(request.method, path, reply ? &reply.value() : nullptr), cohort);
  return reply;
}

void UserAgents::publish(const Agent& agent, const UserRequest& request,
                         const Result<HttpReply>& reply, const std::string& outcome,
                         const std::string& cohort) {
  ++outcomes_[outcome];
  if (!env_.publish) return;
  std::vector<Field> fields = {
      {"app", agent.app},
      {"class", scenario::to_string(agent.user_class)},
      {"role", role_of(agent.account, request.claimed_email)},
      {"user", agent.account.email.empty() ? request.claimed_email : agent.account.email},
      {"method", request.method},
      {"path", target_path(request.target)},
      {"status", reply ? std::to_string(reply->status) : "0"},
      {"outcome", outcome},
      {"maintenance",
       env_.maintenance_in_effect && env_.maintenance_in_effect(agent.app) ? "1" : "0"},
  };
  if (!reply) fields.push_back({"error", reply.error().message});
  if (!cohort.empty()) fields.push_back({"cohort", cohort});
  env_.publish(std::move(fields));
}

}  // namespace mepsim::runner
