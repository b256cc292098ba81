#pragma once

#include <cstdint>

#include "sim/core/result.h"

namespace mepsim {

// A TCP port free on 127.0.0.1 right now, chosen by the kernel (bind to port 0). Another
// process may take it before the caller binds it: launchers retry on "address in use".
Result<std::uint16_t> free_loopback_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool loopback_port_accepts(std::uint16_t port);

}  // namespace mepsim
