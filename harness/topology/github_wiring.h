#pragma once
// The app's repository side of `mepsim up`: the git origin seeded from the profile's
// `repository:` (its app.yaml is what deployments build), the GitHub fake on the
// platform's clock and scheduler (CI runs and webhooks in virtual time), Scalingo's
// GitHub integration subscribed to it through GitHub's hooks API (auto-deploys and review
// apps), and the team's Mattermost incoming webhook. Adds GIT_ORIGIN_URL, GITHUB_API_URL,
// GITHUB_TOKEN and MATTERMOST_WEBHOOK_URL to the env file.
//
// Made in two steps: the origin before the platform (the platform reads its releases from
// it), the servers once the platform and the Scalingo API run. Stopped in two as well:
// stop() before the platform goes, the object itself after it (the platform reads the
// origin until then).

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/env/env_file.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/platform.h"
#include "sim/platform/platform_profile.h"
#include "sim/platform/source_provider.h"

namespace mepsim {

namespace fakes {
class AdminApi;
class Chaos;
}  // namespace fakes
namespace fakes::github {
class GitOrigin;
class GitSourceProvider;
class GitHubFake;
}  // namespace fakes::github
namespace fakes::scalingo {
class ScalingoApi;
class GithubIntegration;
class GithubRestReader;
}  // namespace fakes::scalingo
namespace fakes::mattermost {
class MattermostFake;
}  // namespace fakes::mattermost

class GithubWiring {
 public:
  // The bare repository under `folder`, seeded (deterministic shas for a profile).
  static Result<std::unique_ptr<GithubWiring>> create(const platform::RepositoryProfile& repository,
                                                      const std::filesystem::path& folder);
  ~GithubWiring();
  GithubWiring(const GithubWiring&) = delete;
  GithubWiring& operator=(const GithubWiring&) = delete;

  // Where deployments read app.yaml: the origin, at any branch, tag or sha.
  platform::SourceProvider& source();

  // Starts the GitHub fake (seeded pull requests, CI on `platform`'s scheduler), links
  // the Scalingo API's webhook endpoint to it through `POST /repos/…/hooks`, creates the
  // review apps of the pull requests already open, and starts Mattermost. On failure the
  // caller stops what was started (stop()).
  // `chaos`, when given, is the layer the other fakes share: GitHub ("github") and
  // Mattermost ("mattermost") then suffer the faults set on them through the admin API.
  Result<void> start(platform::Platform& platform, VirtualClock& platform_clock,
                     fakes::scalingo::ScalingoApi& scalingo, Rng& rng, EventLog& log,
                     fakes::Chaos* chaos = nullptr);
  // Their journals and listings (pull requests, webhook deliveries, Mattermost messages)
  // on the admin API, once started.
  void register_with(fakes::AdminApi& admin);
  // Unlinks the integration and stops the servers; idempotent.
  void stop();

  EnvEntries env() const;
  std::vector<Endpoint> endpoints() const;  // the token is not shown

  // Once started: what scenarios act on and look at.
  fakes::github::GitOrigin& origin() { return *origin_; }
  fakes::github::GitHubFake& github() { return *github_; }
  fakes::mattermost::MattermostFake& mattermost() { return *mattermost_; }
  const platform::RepositoryProfile& repository() const { return repository_; }

 private:
  explicit GithubWiring(platform::RepositoryProfile repository);

  platform::RepositoryProfile repository_;
  std::unique_ptr<fakes::github::GitOrigin> origin_;
  std::unique_ptr<fakes::github::GitSourceProvider> source_;
  std::unique_ptr<fakes::github::GitHubFake> github_;
  std::unique_ptr<fakes::scalingo::GithubRestReader> reader_;
  std::unique_ptr<fakes::scalingo::GithubIntegration> integration_;
  std::unique_ptr<fakes::mattermost::MattermostFake> mattermost_;
  fakes::scalingo::ScalingoApi* scalingo_ = nullptr;  // linked to integration_ until stop()
};

}  // namespace mepsim
