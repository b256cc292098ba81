#include "fakes/sentry/envelope.h"

#include <fmt/format.h>

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

Error malformed(std::size_t offset, std::string reason) {
  return make_error(ErrorCode::invalid_input, fmt::format("at byte {}: {}", offset, reason));
}

// One line from `offset`: up to '\n' (excluded) or the end. `next` is past the newline.
std::string_view line_at(std::string_view bytes, std::size_t offset, std::size_t& next) {
  const auto newline = bytes.find('\n', offset);
  if (newline == std::string_view::npos) {
    next = bytes.size();
    return bytes.substr(offset);
  }
  next = newline + 1;
  return bytes.substr(offset, newline - offset);
}

// A header line as a JSON object, or why not.
Result<json> header_object(std::string_view line, std::size_t offset, std::string_view what) {
  json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return malformed(offset, fmt::format("the {} is not valid JSON", what));
  }
  if (!parsed.is_object()) return malformed(offset, fmt::format("the {} is not an object", what));
  return parsed;
}

Result<EnvelopeItem> parse_item(std::string_view bytes, std::size_t& offset) {
  const std::size_t start = offset;
  std::size_t next = 0;
  const std::string_view line = line_at(bytes, offset, next);
  if (line.empty()) return malformed(start, "empty item header");
  auto header = header_object(line, start, "item header");
  if (!header) return header.error();
  EnvelopeItem item;
  item.offset = start;
  const auto type = header->find("type");
  if (type == header->end() || !type->is_string() || type->get_ref<const std::string&>().empty()) {
    return malformed(start, "the item header has no \"type\" string");
  }
  item.type = type->get<std::string>();
  const auto length = header->find("length");
  if (length != header->end() && !length->is_null()) {
    if (!length->is_number_unsigned()) {
      return malformed(start, "the item's \"length\" is not a non-negative integer");
    }
    const auto wanted = length->get<std::uint64_t>();
    const std::size_t available = bytes.size() - next;
    if (wanted > available) {
      return malformed(next, fmt::format("the {} item's payload is truncated: length {} but {} "
                                         "bytes left",
                                         item.type, wanted, available));
    }
    item.payload = std::string(bytes.substr(next, static_cast<std::size_t>(wanted)));
    offset = next + static_cast<std::size_t>(wanted);
    if (offset < bytes.size()) {
      if (bytes[offset] != '\n') {
        return malformed(offset, fmt::format("the {} item's payload is longer than its length {}",
                                             item.type, wanted));
      }
      ++offset;
    }
  } else {
    item.payload = std::string(line_at(bytes, next, offset));
  }
  item.header = std::move(header).value();
  return item;
}

}  // namespace

Result<Envelope> parse_envelope(std::string_view bytes, const EnvelopeLimits& limits) {
  if (bytes.size() > limits.bytes_max) {
    return make_error(ErrorCode::capacity, fmt::format("the envelope is {} bytes, over {}",
                                                       bytes.size(), limits.bytes_max));
  }
  if (bytes.empty()) return malformed(0, "empty envelope");
  std::size_t offset = 0;
  auto header = header_object(line_at(bytes, 0, offset), 0, "envelope header");
  if (!header) return header.error();
  Envelope envelope;
  envelope.header = std::move(header).value();
  while (offset < bytes.size()) {
    if (envelope.items.size() >= limits.items_max) {
      return make_error(ErrorCode::capacity,
                        fmt::format("at byte {}: more than {} items", offset, limits.items_max));
    }
    auto item = parse_item(bytes, offset);
    if (!item) return item.error();
    envelope.items.push_back(std::move(item).value());
  }
  return envelope;
}

std::string item_category(std::string_view item_type) {
  if (item_type == "event") return "error";
  if (item_type == "transaction") return "transaction";
  if (item_type == "session" || item_type == "sessions") return "session";
  if (item_type == "attachment") return "attachment";
  if (item_type == "client_report") return "internal";
  return "default";
}

}  // namespace mepsim::fakes::sentry
