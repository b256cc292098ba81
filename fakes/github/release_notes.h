#pragma once
// Internal to the GitHub fake: the body `POST …/releases/generate-notes` answers, shaped
// as the team's template (PROCEDURE.md "Release note") rather than GitHub's default, so
// that a rehearsal that edits nothing still produces a note R5 accepts:
//
//   # :rocket:  1.7.3 (2023-03-30)
//   ## Features
//   * Title [#972](https://github.com/OWNER/REPO/pull/972)
//   ## Bug fixes
//   * Title [#1122](https://github.com/OWNER/REPO/pull/1122)
//   **Full Changelog**: https://github.com/OWNER/REPO/compare/1.7.2...1.7.3

#include <optional>
#include <string>
#include <vector>

namespace mepsim::fakes::github {

struct NotePull {
  int number = 0;
  std::string title;
  std::vector<std::string> labels;
};

// A pull request labelled bug, bugfix, fix or hotfix (any case) is a bug fix; any other
// is a feature.
bool is_bug_fix(const std::vector<std::string>& labels);

// `date` is "YYYY-MM-DD"; pull requests are listed by number within each part; without a
// previous tag the changelog link is GitHub's `commits/TAG`.
std::string release_notes_body(const std::string& owner, const std::string& repo,
                               const std::string& tag_name,
                               const std::optional<std::string>& previous_tag_name,
                               const std::string& date, std::vector<NotePull> pulls);

// "1.7.3" → {1,7,3}; nullopt for anything but MAJOR.MINOR.PATCH digits (an optional
// leading 'v' is accepted). Used to find the previous tag.
std::optional<std::vector<long>> semver_parts(const std::string& tag);

}  // namespace mepsim::fakes::github
