#include "sim/core/event_log.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <stdexcept>

namespace mepsim {

struct EventLog::Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest() {
    if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
    }
  }
  ~Digest() { EVP_MD_CTX_free(ctx); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  // Length-prefixed, so that ("ab","c") and ("a","bc") hash differently.
  void add(std::string_view bytes) {
    add_u64(bytes.size());
    EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
  }
  void add_u64(std::uint64_t v) {
    std::array<unsigned char, 8> le{};
    for (std::size_t i = 0; i < le.size(); ++i) le[i] = static_cast<unsigned char>(v >> (8 * i));
    EVP_DigestUpdate(ctx, le.data(), le.size());
  }
  std::string hex() const {
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    EVP_MD_CTX_copy_ex(copy, ctx);
    EVP_DigestFinal_ex(copy, out.data(), &length);
    EVP_MD_CTX_free(copy);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
      text.push_back(kHex[out[i] >> 4]);
      text.push_back(kHex[out[i] & 0xf]);
    }
    return text;
  }
};

std::string cut_utf8(std::string_view text, std::size_t bytes_max) {
  if (text.size() <= bytes_max) return std::string(text);
  std::size_t end = bytes_max;
  // Back off continuation bytes (10xxxxxx) so that no character is split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

const std::string& Event::field(std::string_view key) const {
  static const std::string kEmpty;
  for (const auto& f : fields) {
    if (f.key == key) return f.value;
  }
  return kEmpty;
}

EventLog::EventLog(std::size_t retained_max)
    : retained_max_(retained_max), digest_(std::make_unique<Digest>()) {
  assert(retained_max > 0);
}

EventLog::~EventLog() = default;

bool EventLog::is_secret_key(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 7> kMarkers = {
      "password", "passwd", "token", "secret", "dsn", "cookie", "authorization"};
  if (std::any_of(kMarkers.begin(), kMarkers.end(),
                  [&](std::string_view m) { return lower.find(m) != std::string::npos; })) {
    return true;
  }
  // "key", "api_key", "sentry-key", "apikey"; not "cache_keys_count".
  const std::string_view view(lower);
  return view == "key" || view.ends_with("_key") || view.ends_with("-key") ||
         view.ends_with("apikey");
}

void EventLog::publish(Instant at, Plane plane, std::string component, std::string name,
                       std::vector<Field> fields) {
  for (auto& f : fields) {
    if (is_secret_key(f.key)) f.value = "[redacted]";
  }
  std::lock_guard lock(mutex_);
  Event event{next_seq_++, at, plane, std::move(component), std::move(name), std::move(fields)};
  if (event.plane == Plane::control) {
    digest_->add_u64(static_cast<std::uint64_t>(event.at.time_since_epoch().count()));
    digest_->add(event.component);
    digest_->add(event.name);
    digest_->add_u64(event.fields.size());
    for (const auto& f : event.fields) {
      digest_->add(f.key);
      digest_->add(f.value);
    }
  }
  if (events_.size() == retained_max_) {
    events_.pop_front();
    ++dropped_;
  }
  events_.push_back(std::move(event));
}

std::string EventLog::fingerprint() const {
  std::lock_guard lock(mutex_);
  return digest_->hex();
}

std::vector<Event> EventLog::retained() const {
  std::lock_guard lock(mutex_);
  return {events_.begin(), events_.end()};
}

std::vector<Event> EventLog::retained_after(std::uint64_t after, std::size_t count_max) const {
  std::lock_guard lock(mutex_);
  if (events_.empty() || count_max == 0) return {};
  // Retained events carry consecutive seqs: the first one wanted is found by its offset.
  const std::uint64_t first = events_.front().seq;
  const std::uint64_t skip = after >= first ? after - first + 1 : 0;
  if (skip >= events_.size()) return {};
  const auto begin = events_.begin() + static_cast<std::ptrdiff_t>(skip);
  const auto left = static_cast<std::size_t>(events_.end() - begin);
  return {begin, begin + static_cast<std::ptrdiff_t>(std::min(left, count_max))};
}

std::uint64_t EventLog::published_count() const {
  std::lock_guard lock(mutex_);
  return next_seq_ - 1;
}

std::uint64_t EventLog::dropped_count() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace mepsim
