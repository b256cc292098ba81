#pragma once
// Where an ingestion request carries its DSN key, in the order Relay reads them: the
// `X-Sentry-Auth` header (`Sentry sentry_version=7, sentry_key=…, sentry_client=…`, what
// the PHP SDK and the web container send; `Authorization: Sentry …` from old SDKs), the
// query string (`?sentry_key=…&sentry_version=7`, what @sentry/node sends), or the `dsn`
// in the envelope header.

#include <optional>
#include <string>
#include <string_view>

namespace mepsim::fakes::sentry {

// The `sentry_key` of a `Sentry k=v, k=v` header value; nullopt when it has none.
std::optional<std::string> key_from_auth_header(std::string_view header);

// The public key and project id of a DSN "http://KEY[:SECRET]@HOST[:PORT]/[PATH/]ID";
// nullopt when it is not one.
struct DsnKey {
  std::string public_key;
  std::string project_id;
};
std::optional<DsnKey> key_from_dsn(std::string_view dsn);

}  // namespace mepsim::fakes::sentry
