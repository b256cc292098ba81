// How the GitHub fake answers: GitHub's message bodies, strict JSON bodies and its
// pagination (per_page, page, Link).

#include <algorithm>
#include <cctype>
#include <charconv>

#include "fakes/github/github_context.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::github {

using nlohmann::json;

void reply_json(FakeExchange& ex, int status, const json& body) {
  ex.res.status = status;
  ex.res.set_content(body.dump(), "application/json; charset=utf-8");
}

void reply_message(FakeExchange& ex, int status, const std::string& message) {
  reply_json(ex, status, {{"message", message}, {"documentation_url", kDocumentationUrl}});
}

void reply_validation(FakeExchange& ex, const std::string& resource, const std::string& field,
                      const std::string& code, const std::string& message) {
  json error = {{"resource", resource}, {"code", code}};
  if (!field.empty()) error["field"] = field;
  if (!message.empty()) error["message"] = message;
  ex.notes.push_back("422 " + resource + "." + field + " " + code);
  reply_json(ex, 422,
             {{"message", "Validation Failed"},
              {"errors", json::array({error})},
              {"documentation_url", kDocumentationUrl}});
}

void reply_invalid_fields(FakeExchange& ex, const FieldErrors& errors) {
  std::string message = "Invalid request.\n";
  const json by_field = errors.to_json()["errors"];  // kept: items() refers into it
  for (const auto& [field, messages] : by_field.items()) {
    for (const auto& text : messages) {
      message += "\n'" + field + "' " + text.get<std::string>() + ".";
      ex.notes.push_back("invalid field " + field);
    }
  }
  reply_message(ex, 422, message);
}

bool require_repo(GitHubContext& ctx, FakeExchange& ex) {
  auto same = [](const std::string& a, const std::string& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) ==
             std::tolower(static_cast<unsigned char>(y));
    });
  };
  if (same(ex.param(1), ctx.owner()) && same(ex.param(2), ctx.repo())) return true;
  ex.notes.push_back("unknown repository");
  reply_message(ex, 404, "Not Found");
  return false;
}

std::optional<json> read_body(FakeExchange& ex) {
  auto body = parse_json_object(ex.req.body);
  if (!body) {
    ex.notes.push_back(body.error().message);
    reply_message(ex, 400, "Problems parsing JSON");
    return std::nullopt;
  }
  return std::move(*body);
}

std::optional<int> path_number(FakeExchange& ex, std::size_t group) {
  const std::string text = ex.param(group);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) {
    reply_message(ex, 404, "Not Found");
    return std::nullopt;
  }
  return value;
}

std::string branch_ref(const std::string& branch) {
  return "refs/heads/" + branch;
}

namespace {

// A positive integer query parameter, or `fallback` when absent or not one.
int query_int(FakeExchange& ex, const char* key, int fallback) {
  if (!ex.req.has_param(key)) return fallback;
  const std::string text = ex.req.get_param_value(key);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) {
    ex.notes.push_back(std::string("ignored query ") + key);
    return fallback;
  }
  return value;
}

}  // namespace

json paginate(FakeExchange& ex, std::vector<json> items) {
  const int per_page = std::min(query_int(ex, "per_page", 30), 100);
  const int page = query_int(ex, "page", 1);
  const auto from = static_cast<std::size_t>(per_page) * static_cast<std::size_t>(page - 1);
  json out = json::array();
  for (std::size_t i = from; i < items.size() && i < from + static_cast<std::size_t>(per_page);
       ++i) {
    out.push_back(std::move(items[i]));
  }
  if (from + static_cast<std::size_t>(per_page) < items.size()) {
    std::string url = ex.req.path + "?per_page=" + std::to_string(per_page);
    for (const auto& [key, value] : ex.req.params) {
      if (key != "per_page" && key != "page")
        url += "&" + url_encode(key) + "=" + url_encode(value);
    }
    ex.res.set_header("Link", "<" + url + "&page=" + std::to_string(page + 1) + ">; rel=\"next\"");
  }
  return out;
}

}  // namespace mepsim::fakes::github
