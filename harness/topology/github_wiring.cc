#include "harness/topology/github_wiring.h"

#include <fmt/format.h>

#include "fakes/common/admin_api.h"
#include "fakes/github/git_origin.h"
#include "fakes/github/git_source_provider.h"
#include "fakes/github/github_fake.h"
#include "fakes/github/github_profile.h"
#include "fakes/github/repository_seed.h"
#include "fakes/mattermost/mattermost_fake.h"
#include "fakes/scalingo/github_integration.h"
#include "fakes/scalingo/scalingo_api.h"

namespace mepsim {

GithubWiring::GithubWiring(platform::RepositoryProfile repository)
    : repository_(std::move(repository)) {}

GithubWiring::~GithubWiring() {
  stop();
}

Result<std::unique_ptr<GithubWiring>> GithubWiring::create(
    const platform::RepositoryProfile& repository, const std::filesystem::path& folder) {
  std::unique_ptr<GithubWiring> wiring(new GithubWiring(repository));
  auto origin =
      fakes::github::GitOrigin::create(folder, fakes::github::to_repository_seed(repository));
  if (!origin) return origin.error().context("seeding the git origin");
  wiring->origin_ = std::move(origin.value());
  wiring->source_ = std::make_unique<fakes::github::GitSourceProvider>(*wiring->origin_);
  return wiring;
}

platform::SourceProvider& GithubWiring::source() {
  return *source_;
}

Result<void> GithubWiring::start(platform::Platform& platform, VirtualClock& platform_clock,
                                 fakes::scalingo::ScalingoApi& scalingo, Rng& rng, EventLog& log,
                                 fakes::Chaos* chaos) {
  fakes::github::GitHubFakeOptions options;
  options.control_clock = &platform_clock;
  options.chaos = chaos;
  // CI runs finish on the platform's virtual clock, in the platform's task order.
  options.schedule = [&platform](Duration delay, std::string label, std::function<void()> task) {
    (void)platform.schedule_task(delay, std::move(label), std::move(task));
  };
  options.ci = fakes::github::to_ci_defaults(repository_.ci);
  github_ = std::make_unique<fakes::github::GitHubFake>(*origin_, rng.fork("github"), log, options);
  if (auto seeded = github_->seed(fakes::github::to_github_seed(repository_)); !seeded) {
    return seeded.error().context("seeding the GitHub fake");
  }
  if (auto started = github_->start(); !started) {
    return started.error().context("starting the GitHub fake");
  }

  // Like the real integration: a hook on the repository, signed with a secret of its own.
  Rng hook_rng = rng.fork("scalingo-github-hook");
  const std::string secret = hook_rng.alnum(40);
  reader_ = std::make_unique<fakes::scalingo::GithubRestReader>(
      fakes::scalingo::GithubRestOptions{github_->base_url(), github_->token()});
  integration_ = std::make_unique<fakes::scalingo::GithubIntegration>(platform, *reader_, secret);
  scalingo.set_github_integration(integration_.get());
  scalingo_ = &scalingo;
  auto hook =
      reader_->create_hook(repository_.owner, repository_.name, scalingo.github_hook_url(), secret);
  if (!hook) return hook.error();
  if (auto synced = integration_->sync_open_pull_requests(); !synced) return synced.error();

  fakes::mattermost::MattermostFakeOptions mattermost_options;
  mattermost_options.control_clock = &platform_clock;
  mattermost_options.chaos = chaos;
  mattermost_options.events = &log;
  mattermost_ = std::make_unique<fakes::mattermost::MattermostFake>(rng.fork("mattermost"),
                                                                    mattermost_options);
  if (auto started = mattermost_->start(); !started) {
    return started.error().context("starting the Mattermost fake");
  }
  return {};
}

void GithubWiring::stop() {
  if (scalingo_ != nullptr) scalingo_->set_github_integration(nullptr);
  scalingo_ = nullptr;
  if (mattermost_) mattermost_->stop();
  if (github_) github_->stop();
}

EnvEntries GithubWiring::env() const {
  EnvEntries entries;
  if (github_) {
    entries.push_back({"GIT_ORIGIN_URL", github_->git_url()});
    entries.push_back({"GITHUB_API_URL", github_->base_url()});
    entries.push_back({"GITHUB_TOKEN", github_->token()});
  }
  if (mattermost_) entries.push_back({"MATTERMOST_WEBHOOK_URL", mattermost_->webhook_url()});
  return entries;
}

std::vector<Endpoint> GithubWiring::endpoints() const {
  std::vector<Endpoint> out;
  if (github_) {
    out.push_back({"git", github_->git_url(),
                   fmt::format("git origin {}/{}, bare repository {}", repository_.owner,
                               repository_.name, origin_->bare_path().string())});
    out.push_back({"github", github_->base_url(), "GitHub REST fake, CI and webhooks"});
  }
  if (mattermost_) {
    // The hook id is a capability: shown in the env file only.
    out.push_back({"mattermost", mattermost_->base_url() + "/hooks/[redacted]",
                   "Mattermost incoming webhook"});
  }
  return out;
}

void GithubWiring::register_with(fakes::AdminApi& admin) {
  using nlohmann::json;
  if (github_) {
    auto journal = github_->mutable_journal();
    auto* github = github_.get();
    if (journal) {
      admin.register_fake(
          "github", *journal.value(),
          {{"pulls",
            {[github] {
               json out = json::array();
               for (const auto& pr : github->pull_requests()) {
                 out.push_back({{"number", pr.number},
                                {"title", pr.title},
                                {"state", pr.state},
                                {"merged", pr.merged},
                                {"merged_at", pr.merged_at ? json(format_iso8601(*pr.merged_at))
                                                           : json(nullptr)},
                                {"head", pr.head_ref},
                                {"base", pr.base_ref}});
               }
               return json{{"pulls", std::move(out)}};
             },
             nullptr}},
           {"deliveries",
            {[github] {
               json out = json::array();
               for (const auto& d : github->deliveries()) {
                 out.push_back({{"id", d.id},
                                {"event", d.event},
                                {"action", d.action},
                                {"status_code", d.status_code},
                                {"error", d.error},
                                {"at", format_iso8601(d.at)}});
               }
               return json{{"deliveries", std::move(out)}};
             },
             nullptr}}});
    }
  }
  if (mattermost_) {
    auto* mattermost = mattermost_.get();
    admin.register_fake(
        "mattermost", mattermost->journal(),
        {{"messages",
          {[mattermost] {
             json out = json::array();
             for (const auto& m : mattermost->messages()) {
               out.push_back(fakes::mattermost::to_json(m));
             }
             return json{{"messages", std::move(out)}, {"dropped", mattermost->dropped_count()}};
           },
           nullptr}}});
  }
}

}  // namespace mepsim
