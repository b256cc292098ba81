#include "harness/runner/github_rest.h"

#include "sim/net/http_client.h"

namespace mepsim::runner {

Result<RestReply> GithubRest::call(const std::string& method, const std::string& path,
                                   const nlohmann::json& body) const {
  return call_root(method, repo_path_ + path, body);
}

Result<RestReply> GithubRest::call_root(const std::string& method, const std::string& path,
                                        const nlohmann::json& body) const {
  auto url = parse_http_url(base_url_ + path);
  if (!url) return url.error();
  HttpExchange exchange;
  exchange.method = method;
  exchange.url = url.value();
  exchange.headers = {{"Authorization", "token " + token_},
                      {"Accept", "application/vnd.github+json"},
                      {"User-Agent", "mepsim-scenario"}};
  if (!body.is_null()) {
    exchange.headers.emplace_back("Content-Type", "application/json");
    exchange.body = body.dump();
  }
  exchange.timeout = std::chrono::seconds(30);
  auto reply = http_exchange(exchange);
  if (!reply) return reply.error().context("GitHub " + method + " " + path);
  RestReply out;
  out.status = reply->status;
  out.body = nlohmann::json::parse(reply->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

}  // namespace mepsim::runner
