// The repository over git's smart HTTP at /{owner}/{repo}.git/…, as github.com serves
// it: clones and fetches anonymous, pushes with HTTP Basic auth whose password (or user)
// is the token. Without it, 401 with a Basic challenge, so that git asks its credential
// helper and retries.

#include "fakes/common/hmac.h"
#include "fakes/github/github_context.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::github {
namespace {

// Who pushed, when the request carries the token as Basic credentials; nullopt otherwise.
std::optional<std::string> basic_pusher(const GitHubContext& ctx, const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return std::nullopt;
  }
  const auto decoded = base64_decode(std::string_view(header).substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  const std::string user = decoded->substr(0, colon);
  const std::string password = colon == std::string::npos ? "" : decoded->substr(colon + 1);
  if (constant_time_equal(password, ctx.token)) {
    // "x-access-token" and friends name no one: the pusher is the token's user.
    if (user.empty() || user == "x-access-token" || user == "git" || user == "oauth2") {
      return std::string(kTokenUser);
    }
    return user;
  }
  if (constant_time_equal(user, ctx.token)) return std::string(kTokenUser);
  return std::nullopt;
}

// The pusher of the receive-pack running on this thread, for the origin's push listener,
// which the origin calls on the thread that served the push.
thread_local std::string current_pusher;

void serve_git(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  GitOrigin::CgiRequest request;
  request.method = ex.req.method;
  request.path_info = ex.param(3);
  for (const auto& [key, value] : ex.req.params) {
    request.query += (request.query.empty() ? "" : "&") + url_encode(key) + "=" + url_encode(value);
  }
  const bool receive_pack =
      request.path_info == "/git-receive-pack" ||
      (ex.req.has_param("service") && ex.req.get_param_value("service") == "git-receive-pack");
  std::optional<std::string> pusher;
  if (receive_pack) {
    pusher = basic_pusher(ctx, ex.req);
    if (!pusher) {
      ex.notes.push_back("push without the token");
      ex.res.status = 401;
      ex.res.set_header("WWW-Authenticate", "Basic realm=\"GitHub\"");
      ex.res.set_content("Invalid username or token.\n", "text/plain");
      return;
    }
    request.remote_user = *pusher;
  }
  request.content_type = ex.req.get_header_value("Content-Type");
  request.git_protocol = ex.req.get_header_value("Git-Protocol");
  // cpp-httplib has already inflated a gzip body; the CGI gets it plain.
  request.body = ex.req.body;
  current_pusher = pusher.value_or("");
  auto response = ctx.origin.serve_smart_http(request);
  current_pusher.clear();
  if (!response) {
    ex.notes.push_back(response.error().message);
    ex.res.status = 500;
    ex.res.set_content("git http-backend failed\n", "text/plain");
    return;
  }
  ex.res.status = response->status;
  std::string content_type = "application/octet-stream";
  for (const auto& [name, value] : response->headers) {
    if (name == "Content-Type" || name == "content-type") {
      content_type = value;
    } else if (name != "Content-Length" && name != "Status") {
      ex.res.set_header(name, value);
    }
  }
  ex.res.set_content(std::move(response->body), content_type);
}

}  // namespace

std::string pusher_on_this_thread() {
  return current_pusher.empty() ? std::string(kTokenUser) : current_pusher;
}

std::vector<GitHubRoute> smart_http_routes() {
  const std::string pattern = "/([^/]+)/([^/]+)\\.git(/.*)";
  return {
      {"GET", pattern, "git.smart_http", Access::open, serve_git},
      {"POST", pattern, "git.smart_http", Access::open, serve_git},
  };
}

}  // namespace mepsim::fakes::github
