#pragma once
// Session ids, API tokens, report codes: unguessable values from the system's CSPRNG
// (OpenSSL RAND_bytes). They are security tokens, not simulation choices, so they do not
// come from the seeded Rng: a replayed seed must not let anyone predict a session id.

#include <cstddef>
#include <string>

namespace mepsim::web {

std::string random_hex(std::size_t bytes);
std::string random_uuid_v4();

}  // namespace mepsim::web
