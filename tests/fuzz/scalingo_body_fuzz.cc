// libFuzzer target: the Scalingo fake's JSON request bodies, read as its routes read them:
// the body as a JSON object (else a 400 whose message says why), then every write's reader
// (request_body.h). Each reader gives a value exactly when it recorded no field error, the
// value keeps the reader's promises (names not blank, amounts in range, a GitHub owner and
// repo), and the 422 answer serializes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fakes/common/json_fields.h"
#include "fakes/scalingo/request_body.h"
#include "sim/platform/platform.h"

namespace {

namespace scalingo = mepsim::fakes::scalingo;
using mepsim::fakes::FieldErrors;
using nlohmann::json;

// Runs one reader; its value, if any, goes to `check`.
template <typename Reader, typename Check>
void read_with(const json& body, Reader&& reader, Check&& check) {
  FieldErrors errors;
  scalingo::Notes notes;
  const auto value = reader(body, errors, notes);
  if (value.has_value() == !errors.empty()) std::abort();
  if (value) check(*value);
  // As reply_json sends a 422.
  (void)errors.to_json().dump(-1, ' ', false, json::error_handler_t::replace);
}

void read_variables(const json& body) {
  read_with(body, scalingo::read_variable_create, [](const mepsim::platform::VariableInput& v) {
    if (v.name.empty()) std::abort();
  });
  read_with(body, scalingo::read_variables_bulk_update, [](const auto& inputs) {
    for (const auto& v : inputs) {
      if (v.name.empty()) std::abort();
    }
  });
  read_with(body, scalingo::read_variable_update, [](const std::string&) {});
  read_with(body, scalingo::read_variable_ids, [](const std::vector<std::string>& ids) {
    if (ids.empty()) std::abort();
  });
}

void read_operations(const json& body) {
  read_with(body, scalingo::read_scale, [](const std::vector<scalingo::ScaleEntry>& entries) {
    if (entries.empty()) std::abort();
    for (const auto& entry : entries) {
      if (!entry.amount && !entry.size) std::abort();
      if (entry.amount &&
          (*entry.amount < 0 || *entry.amount > mepsim::platform::kContainersPerTypeMax)) {
        std::abort();
      }
      const auto type = scalingo::scaled(entry, {{"web", 2, "M"}});
      if (type.name != entry.name) std::abort();
    }
  });
  read_with(body, scalingo::read_restart_scope, [](const std::vector<std::string>&) {});
  read_with(body, scalingo::read_deployment, [&body](const scalingo::DeploymentRequest& d) {
    // A ref taken from the archive's name is never empty.
    const bool ref_given = body.at("deployment").contains("git_ref");
    if (!ref_given && d.git_ref.empty()) std::abort();
  });
  read_with(body, scalingo::read_run, [](const scalingo::RunRequest& run) {
    if (run.command.empty()) std::abort();
  });
}

void read_scm(const json& body) {
  read_with(body, scalingo::read_scm_link_create, [](const mepsim::platform::ScmLink& link) {
    if (link.owner.empty() || link.repo.empty() || link.owner.find('/') != std::string::npos ||
        link.repo.find('/') != std::string::npos) {
      std::abort();
    }
  });
  read_with(body, scalingo::read_scm_link_update, [](const json& changes) {
    if (!changes.is_object()) std::abort();
  });
  read_with(body, scalingo::read_manual_deploy, [](const std::string& branch) {
    if (branch.empty()) std::abort();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto body = mepsim::fakes::parse_json_object(text);
  if (!body) {
    // A 400 that says why: the parser's place, or what the body was instead of an object.
    if (body.error().message.empty()) std::abort();
    return 0;
  }
  if (!body->is_object()) std::abort();
  read_variables(*body);
  read_operations(*body);
  read_scm(*body);
  return 0;
}
