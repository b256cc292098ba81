#pragma once
// The body of Brevo's `POST /v3/smtp/email`, read strictly: what the fake keeps of a
// message, or the first thing wrong with it in Brevo's words.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/brevo/brevo_fake.h"

namespace mepsim::fakes::brevo {

struct BrevoBodyError {
  std::string code;  // "missing_parameter" | "invalid_parameter" | "bad_request"
  std::string message;
};

// Fills `message` (not its seq, time or id) or says what is wrong. Fields Brevo knows but
// the fake does not model, and fields nobody knows, are noted by name.
std::optional<BrevoBodyError> read_send_email_body(std::string_view body,
                                                   std::size_t content_bytes_kept_max,
                                                   BrevoMessage& message,
                                                   std::vector<std::string>& notes);

// Local part, '@', a domain with a dot: stricter than most, looser than RFC 5321.
bool looks_like_email(std::string_view address);

}  // namespace mepsim::fakes::brevo
