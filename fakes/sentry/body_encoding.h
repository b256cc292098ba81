#pragma once
// Request bodies as SDKs compress them: `Content-Encoding: gzip` (@sentry/node past
// 32 KiB) or `deflate` (zlib-wrapped, some older SDKs), inflated through zlib with a
// bound on the inflated size, so that a zip bomb is a refusal, not an OOM.

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace mepsim::fakes::sentry {

// `content_encoding` as the header says it ("" or "identity": the body as is). An
// encoding other than gzip and deflate is invalid_input; a corrupt or truncated stream is
// invalid_input; more than `inflated_bytes_max` bytes out is capacity.
Result<std::string> decode_body(std::string_view body, std::string_view content_encoding,
                                std::size_t inflated_bytes_max);

// cpp-httplib, when built with zlib (Debian's is), inflates gzip and deflate request
// bodies itself before any handler runs. A body that still starts with the gzip magic
// bytes was not inflated yet; one that does not was (or is not gzip at all).
bool looks_gzip(std::string_view body);
// The same for a zlib-wrapped deflate stream (RFC 1950 header: CM 8, FCHECK).
bool looks_zlib(std::string_view body);

}  // namespace mepsim::fakes::sentry
