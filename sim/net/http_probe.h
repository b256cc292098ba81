#pragma once
// A one-shot HTTP GET on loopback, bounded in time: how the platform asks a container
// whether it is healthy.

#include <cstdint>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim {

struct ProbeReply {
  int status = 0;
  std::string body;
};

// Connects to 127.0.0.1:port and GETs `target`; any failure or a reply slower than
// `timeout` is an `unavailable` error.
Result<ProbeReply> http_get_loopback(std::uint16_t port, const std::string& target,
                                     Duration timeout);

}  // namespace mepsim
