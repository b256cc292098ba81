#include "fakes/sentry/body_encoding.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>

namespace mepsim::fakes::sentry {
namespace {

// zlib's windowBits: 15 (32 KiB window), +16 gzip only, +0 zlib-wrapped deflate.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kZlibWindowBits = 15;
constexpr std::size_t kChunkBytes = 16 * 1024;

// Owns a z_stream for its lifetime, so that every return path ends it.
class Inflater {
 public:
  explicit Inflater(int window_bits) { ok_ = inflateInit2(&stream_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

Result<std::string> inflate_bounded(std::string_view body, int window_bits, std::string_view name,
                                    std::size_t inflated_bytes_max) {
  Inflater inflater(window_bits);
  if (!inflater.ok()) return make_error(ErrorCode::internal, "zlib: inflateInit2 failed");
  z_stream& stream = inflater.stream();
  std::string out;
  std::array<unsigned char, kChunkBytes> chunk{};
  std::size_t consumed = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < body.size()) {
      // avail_in is 32 bits: feed at most UINT_MAX bytes at a time.
      const std::size_t feed = std::min<std::size_t>(body.size() - consumed, UINT_MAX);
      // zlib's API is not const-correct; it never writes through next_in.
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data() + consumed));
      stream.avail_in = static_cast<uInt>(feed);
      consumed += feed;
    }
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      if (status == Z_BUF_ERROR && stream.avail_in == 0 && consumed == body.size()) {
        return make_error(ErrorCode::invalid_input, fmt::format("the {} body is truncated", name));
      }
      return make_error(ErrorCode::invalid_input,
                        fmt::format("the {} body is corrupt: {}", name,
                                    stream.msg != nullptr ? stream.msg : "inflate failed"));
    }
    const std::size_t produced = chunk.size() - stream.avail_out;
    if (out.size() + produced > inflated_bytes_max) {
      return make_error(ErrorCode::capacity, fmt::format("the {} body inflates past {} bytes", name,
                                                         inflated_bytes_max));
    }
    out.append(reinterpret_cast<const char*>(chunk.data()), produced);
  }
  if (stream.avail_in != 0 || consumed != body.size()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("the {} body has bytes after its end", name));
  }
  return out;
}

}  // namespace

bool looks_gzip(std::string_view body) {
  return body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
         static_cast<unsigned char>(body[1]) == 0x8b;
}

bool looks_zlib(std::string_view body) {
  if (body.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(body[0]);
  const auto flg = static_cast<unsigned char>(body[1]);
  return (cmf & 0x0f) == 8 && (cmf * 256 + flg) % 31 == 0;
}

Result<std::string> decode_body(std::string_view body, std::string_view content_encoding,
                                std::size_t inflated_bytes_max) {
  if (content_encoding.empty() || content_encoding == "identity") {
    if (body.size() > inflated_bytes_max) {
      return make_error(ErrorCode::capacity,
                        fmt::format("the body is over {} bytes", inflated_bytes_max));
    }
    return std::string(body);
  }
  if (content_encoding == "gzip" || content_encoding == "x-gzip") {
    return inflate_bounded(body, kGzipWindowBits, "gzip", inflated_bytes_max);
  }
  if (content_encoding == "deflate") {
    return inflate_bounded(body, kZlibWindowBits, "deflate", inflated_bytes_max);
  }
  return make_error(ErrorCode::invalid_input,
                    fmt::format("Content-Encoding \"{}\" is not supported (gzip, deflate)",
                                content_encoding.substr(0, 40)));
}

}  // namespace mepsim::fakes::sentry
