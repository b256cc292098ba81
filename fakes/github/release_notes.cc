#include "fakes/github/release_notes.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mepsim::fakes::github {

bool is_bug_fix(const std::vector<std::string>& labels) {
  for (std::string label : labels) {
    std::transform(label.begin(), label.end(), label.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (label == "bug" || label == "bugfix" || label == "fix" || label == "hotfix") return true;
  }
  return false;
}

std::string release_notes_body(const std::string& owner, const std::string& repo,
                               const std::string& tag_name,
                               const std::optional<std::string>& previous_tag_name,
                               const std::string& date, std::vector<NotePull> pulls) {
  std::sort(pulls.begin(), pulls.end(),
            [](const NotePull& a, const NotePull& b) { return a.number < b.number; });
  const std::string repo_url = "https://github.com/" + owner + "/" + repo;
  auto section = [&](bool bug_fixes) {
    std::string out;
    for (const auto& pull : pulls) {
      if (is_bug_fix(pull.labels) != bug_fixes) continue;
      const std::string number = std::to_string(pull.number);
      out += "* " + pull.title + " [#" + number + "](" + repo_url + "/pull/" + number + ")\n";
    }
    return out;
  };
  std::string body = "# :rocket:  " + tag_name + " (" + date + ")\n";
  body += "## Features\n" + section(false);
  body += "## Bug fixes\n" + section(true);
  body += "**Full Changelog**: " + repo_url;
  if (previous_tag_name) {
    body += "/compare/" + *previous_tag_name + "..." + tag_name;
  } else {
    body += "/commits/" + tag_name;
  }
  return body;
}

std::optional<std::vector<long>> semver_parts(const std::string& tag) {
  std::string_view text = tag;
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  std::vector<long> parts;
  while (parts.size() < 3) {
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() || value < 0) return std::nullopt;
    parts.push_back(value);
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (parts.size() < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return parts;
}

}  // namespace mepsim::fakes::github
