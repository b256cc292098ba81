target_sources(mepsim_fakes PRIVATE
  github/git_origin.cc
  github/git_process.cc
  github/git_seed_stream.cc
  github/git_source_provider.cc
  github/repository_seed.cc
)
# The GitHub fake: REST subset, webhooks and CI (over the git origin).
target_sources(mepsim_fakes PRIVATE
  github/ci_checkout.cc
  github/ci_runs.cc
  github/github_context.cc
  github/github_fake.cc
  github/github_fake_seed.cc
  github/github_profile.cc
  github/github_json.cc
  github/github_replies.cc
  github/release_notes.cc
  github/routes_admin.cc
  github/routes_git.cc
  github/routes_hooks.cc
  github/routes_issues.cc
  github/routes_pulls.cc
  github/routes_releases.cc
  github/routes_smart_http.cc
  github/routes_statuses.cc
  github/webhook_dispatcher.cc
)
