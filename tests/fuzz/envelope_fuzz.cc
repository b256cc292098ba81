// libFuzzer target: the Sentry fake's readers of outside bytes, end to end as a request
// meets them — body inflation, the envelope parser, each item's JSON read as the routes
// read it. Any crash, sanitizer report, or a refusal without "at byte" is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fakes/sentry/body_encoding.h"
#include "fakes/sentry/envelope.h"
#include "fakes/sentry/event_summary.h"
#include "fakes/sentry/issue_store.h"

namespace {

using mepsim::fakes::sentry::EnvelopeLimits;

void read_items(std::string_view bytes) {
  EnvelopeLimits limits;
  limits.items_max = 100;
  limits.bytes_max = 1 << 20;
  const auto envelope = mepsim::fakes::sentry::parse_envelope(bytes, limits);
  if (!envelope) {
    // A malformed envelope must say where; a capacity refusal says which bound.
    const auto& error = envelope.error();
    const bool located = error.message.find("at byte ") != std::string::npos;
    if (error.code == mepsim::ErrorCode::invalid_input && !located) std::abort();
    return;
  }
  for (const auto& item : envelope->items) {
    const auto payload = nlohmann::json::parse(item.payload, nullptr, false);
    if (payload.is_discarded()) continue;
    if (item.type == "event") {
      (void)mepsim::fakes::sentry::summarize_event(payload);
    } else if (item.type == "session") {
      (void)mepsim::fakes::sentry::read_session(payload);
    } else if (item.type == "sessions") {
      (void)mepsim::fakes::sentry::read_sessions(payload);
    } else if (item.type == "client_report") {
      (void)mepsim::fakes::sentry::read_client_report(payload);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses how the rest arrives: as is, or gzip-encoded.
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    read_items(rest);
  } else {
    const auto body = mepsim::fakes::sentry::decode_body(rest, "gzip", 1 << 20);
    if (body) read_items(*body);
  }
  return 0;
}
