#pragma once
// Headless Chromium (Debian's `chromium`) driven over the DevTools protocol, for tests of
// pages that change while they are open: the page is loaded once and never reloaded, its
// DOM read with JavaScript as often as a test likes, and a screenshot taken at the end.
// The browser runs in its own process group, killed whole when the object goes.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/core/result.h"
#include "sim/process/child_process.h"

namespace mepsim::testing {

class HeadlessChromium {
 public:
  // Starts Chromium on `url` (its profile and log under `folder`) and attaches to the
  // page's target. The error says what failed, with the end of Chromium's log.
  static Result<std::unique_ptr<HeadlessChromium>> open(const std::string& url,
                                                        const std::filesystem::path& folder);
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  // The value of a JavaScript expression in the page (returned by value), or the
  // exception it threw as an error.
  Result<nlohmann::json> evaluate(const std::string& expression);
  // Evaluates `expression` every 100 ms until it is true; false past `timeout`.
  bool wait_until(const std::string& expression, std::chrono::seconds timeout);
  // A PNG of the whole page.
  Result<std::string> screenshot_png();
  // The end of Chromium's log, for failure messages.
  std::string log_tail() const;

 private:
  struct Connection;
  HeadlessChromium(ChildProcess browser, std::filesystem::path log);
  Result<nlohmann::json> call(const std::string& method, const nlohmann::json& params);

  std::optional<ChildProcess> browser_;
  std::filesystem::path log_;
  std::unique_ptr<Connection> connection_;
  std::int64_t next_id_ = 0;
};

// Standard base64 (RFC 4648) decoding; padding optional, anything else is an error.
Result<std::string> decode_base64(std::string_view text);

}  // namespace mepsim::testing
