#include "harness/runner/fixture_accounts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mepsim::runner {
namespace {

using scenario::UserClass;

constexpr const char* kDomain = "@signal-logement.fr";

// Partner users before partner admins before territory admins: the plainest back-office
// user is the default, and a cohort spreads over partners first.
int preference(const Account& account) {
  if (account.role == "ROLE_USER_PARTNER") return 0;
  if (account.role == "ROLE_ADMIN_PARTNER") return 1;
  return 2;
}

}  // namespace

std::vector<Account> accounts_of(UserClass user_class) {
  std::vector<Account> found;
  for (const auto& account : load::fixture_accounts()) {
    if (account.user_class == user_class) found.push_back(account);
  }
  // Stable: within a role, the fixtures' order (territory 13 first).
  std::stable_sort(found.begin(), found.end(), [](const Account& a, const Account& b) {
    return preference(a) < preference(b);
  });
  return found;
}

Result<Account> find_account(UserClass user_class, const std::string& name) {
  if (user_class == UserClass::anonymous) {
    return make_error(ErrorCode::invalid_input,
                      name.empty() ? std::string("anonymous users have no account")
                                   : fmt::format("user {}: anonymous users have no account", name));
  }
  const auto of_class = accounts_of(user_class);
  if (of_class.empty()) {
    return make_error(ErrorCode::not_found, fmt::format("no fixture account of class {}",
                                                        scenario::to_string(user_class)));
  }
  if (name.empty()) return of_class.front();
  const std::string email = name.find('@') == std::string::npos ? name + kDomain : name;
  std::vector<std::string> available;
  for (const auto& account : of_class) {
    if (account.email == email) return account;
    available.push_back(account.email.substr(0, account.email.find('@')));
  }
  return make_error(ErrorCode::invalid_input,
                    fmt::format("user {} is not a fixture account of class {} (those are: {})",
                                name, scenario::to_string(user_class), fmt::join(available, ", ")));
}

std::vector<Account> cohort_accounts(UserClass user_class, int count) {
  const auto of_class = accounts_of(user_class);
  std::vector<Account> chosen;
  if (of_class.empty()) return chosen;
  for (int i = 0; i < count; ++i) {
    chosen.push_back(of_class[static_cast<std::size_t>(i) % of_class.size()]);
  }
  return chosen;
}

}  // namespace mepsim::runner
