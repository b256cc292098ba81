#pragma once
// Sentry envelopes, parsed by the spec (https://develop.sentry.dev/sdk/data-model/envelopes/):
// a JSON header line, then items, each an item-header line and a payload. An item with
// `length` takes exactly that many bytes, then an optional newline; one without takes
// everything up to the next newline or the end. The JS SDK writes no `length` on JSON
// items and no trailing newline; the PHP SDK writes `length`.
//
// A pure function over bytes: no I/O, no exceptions escape, every refusal says why and at
// which byte, so that a 400 can tell the client what was wrong. Fuzzed by
// tests/fuzz/envelope_fuzz.cc.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::fakes::sentry {

struct EnvelopeItem {
  std::string type;        // "event", "transaction", "session", "attachment"…
  nlohmann::json header;   // the item header, an object
  std::string payload;     // raw bytes
  std::size_t offset = 0;  // where the item header starts, for error messages
};

struct Envelope {
  nlohmann::json header;  // an object: event_id, dsn, sent_at, sdk… all optional
  std::vector<EnvelopeItem> items;
};

struct EnvelopeLimits {
  std::size_t items_max = 100;              // Relay's default per envelope is higher; we are strict
  std::size_t bytes_max = 8 * 1024 * 1024;  // the whole envelope, inflated
};

// invalid_input "at byte N: reason" for a malformed envelope, capacity for one over a
// limit.
Result<Envelope> parse_envelope(std::string_view bytes, const EnvelopeLimits& limits = {});

// The data category an item counts under, for rate limits and client reports:
// event → error, transaction, session(s) → session, attachment, client_report →
// internal (never limited), anything else → default.
std::string item_category(std::string_view item_type);

}  // namespace mepsim::fakes::sentry
