#pragma once
// zlib's own compressor, so that mepsim's inflaters are checked against a real encoder.

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace mepsim::testing {

// window_bits as deflateInit2 takes them: 15 for zlib's format, 15 + 16 for gzip.
inline std::string zlib_compress(const std::string& data, int window_bits) {
  z_stream stream{};
  EXPECT_EQ(
      deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

inline std::string gzip(const std::string& data) {
  return zlib_compress(data, 15 + 16);
}

}  // namespace mepsim::testing
