#pragma once
// The accounts a scenario's users log in with: the web app's fixture users, as the load
// generator lists them (harness/load/load_options.h), which share the topology's fixture
// password. Here they are chosen: the class's default, a named one, a cohort's.
//
// Classes: usager is ROLE_USAGER; partner the back-office users who are not super admins
// (ROLE_USER_PARTNER, ROLE_ADMIN_PARTNER, ROLE_ADMIN_TERRITORY: maintenance treats them
// alike), in that order of preference; admin is ROLE_ADMIN (the super admin); api is
// ROLE_API_USER. Anonymous visitors have no account.

#include <string>
#include <vector>

#include "harness/load/load_options.h"
#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim::runner {

using Account = load::Account;

// The accounts of a class, the default first (user-13-01 for partner); empty for
// anonymous.
std::vector<Account> accounts_of(scenario::UserClass user_class);

// The account a step names: an email, or its local part ("user-13-01"); it must belong to
// the class. Without a name, the class's default. invalid_input names what is available.
Result<Account> find_account(scenario::UserClass user_class, const std::string& name = "");

// `count` accounts for a cohort: distinct ones while the class has enough, then the same
// ones again in order (each login is its own session). Empty for anonymous.
std::vector<Account> cohort_accounts(scenario::UserClass user_class, int count);

}  // namespace mepsim::runner
