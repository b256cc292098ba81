#pragma once
// The GitHub REST calls a scenario's `github:` steps make, as the procedure's engineer makes
// them (octokit's requests): JSON in, JSON out, the token in `Authorization`.

#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/result.h"

namespace mepsim::runner {

struct RestReply {
  int status = 0;
  nlohmann::json body;  // null when the body is not JSON
};

class GithubRest {
 public:
  GithubRest(std::string base_url, std::string token, std::string owner, std::string repo)
      : base_url_(std::move(base_url)),
        token_(std::move(token)),
        repo_path_("/repos/" + owner + "/" + repo) {}

  // `path` below the repository ("/pulls/1141"); an error only when no answer came.
  Result<RestReply> call(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nullptr) const;
  // The same, outside the repository ("/user").
  Result<RestReply> call_root(const std::string& method, const std::string& path,
                              const nlohmann::json& body = nullptr) const;

 private:
  std::string base_url_;
  std::string token_;
  std::string repo_path_;
};

}  // namespace mepsim::runner
