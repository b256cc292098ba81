#pragma once
// Mail through Brevo's API, as Symfony's Brevo bridge sends it (FACTS.md), bounded by a
// timeout. A failure is a value the caller records in `job_event`: the report stays accepted.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::web {

// MAILER_DSN as Symfony's Brevo bridge reads it: "brevo+api://KEY@default" (the real
// host) or "brevo+api://KEY@HOST:PORT" (the fake, plain HTTP). "null://null" turns mail off.
// The key may be URL-encoded; any other scheme is invalid_input.
struct MailerDsn {
  std::string api_key;
  std::string host;
  std::uint16_t port = 0;
  bool enabled = false;
  // The real Brevo (or a HOST without a port) is HTTPS, which mepsim does not speak: such
  // a mailer is enabled and every send fails, naming why.
  bool https = false;
};
Result<MailerDsn> parse_mailer_dsn(const std::string& dsn);

struct Mail {
  std::string from;  // "noreply@signal-logement.fr"
  std::string to;
  std::string subject;
  std::string html;
};

class Mailer {
 public:
  Mailer(MailerDsn dsn, Duration timeout);
  bool enabled() const { return dsn_.enabled; }
  // Brevo's messageId on 201; an error naming the status and Brevo's message otherwise
  // (4xx but 429 invalid_input: retrying cannot help; the rest unavailable). Mail off
  // ("null://null") succeeds with an empty id, as Symfony's null transport does.
  Result<std::string> send(const Mail& mail) const;

 private:
  MailerDsn dsn_;
  Duration timeout_;
};

}  // namespace mepsim::web
