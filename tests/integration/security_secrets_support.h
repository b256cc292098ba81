#pragma once
// What the secrets test needs: the run's secrets as a list to search for, the places a
// run writes text to, a scenario that touches every secret, and traffic on a `mepsim up`
// from real clients that makes the topology issue cookies and tokens.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mepsim::testing {

using Env = std::map<std::string, std::string>;

// A push with the GitHub token and a deploy, logins, a report sent by the API (a mail),
// Sentry events (a planted fault on /bo), a Mattermost post; it ends on a `scalingo env`
// that fails, so that the output of the command listing every variable is in its report.
extern const char* const kSecretsScenarioYaml;

class SecretList {
 public:
  // Values under 6 bytes are too likely to appear by chance to be searched for.
  void add(const std::string& what, const std::string& value);
  bool contains(const std::string& value) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;  // (what, value)
};

// scheme://user:password@host/… → password; scheme://key@host/… → key; "" without one.
std::string url_key(const std::string& url);
// Every secret an env file (or a container's environment) holds, found by what each key
// is, not by its name's look: tokens, keys, passwords in URLs, DSN keys, the hook id, and
// the Basic header git pushes with.
SecretList secrets_of_env(const Env& env);
void add_env_secrets(SecretList& list, const Env& env);

// What is seen of a `mepsim run` while it runs: its web containers' environments and the
// session ids in their Redis databases.
struct RunObservation {
  std::vector<Env> environments;
  std::set<std::string> session_ids;
  void observe(const std::map<pid_t, std::string>& tree);

 private:
  std::set<pid_t> seen_;
  std::set<std::string> redis_urls_;
};

struct SearchSpace {
  std::vector<std::pair<std::string, std::string>> texts;  // (where, text)
  void add(const std::string& where, std::string text) {
    texts.emplace_back(where, std::move(text));
  }
};

// Fails the test once per secret found, naming where and showing its surroundings.
void expect_no_secret(const SearchSpace& space, const SecretList& secrets);

// Logins (with remember-me), an API token, a report, a bearer JWT, calls to GitHub,
// Sentry (DSN key in the query, as @sentry/node sends it), Brevo and Mattermost: the
// credentials issued, by what they are.
struct UpTraffic {
  std::vector<std::pair<std::string, std::string>> credentials;
};
UpTraffic drive_up(const Env& env);

// The up's container logs (its `logs` folder), every fake's journal and listings from the
// admin API, the rehearsal report (JSON and HTML, through `mepsim rehearsal report`), the
// dashboard's page and snapshot.
SearchSpace gather_up_outputs(const Env& env, const std::filesystem::path& logs,
                              const std::filesystem::path& env_file,
                              const std::filesystem::path& scratch);

}  // namespace mepsim::testing
