// The load generator's per-exchange costs, which bound the rate one generator thread can
// drive: recording a latency (histogram and the five tallies an answer counts in), parsing
// a response (against Boost.Beast's response_parser on the same bytes, in the same run),
// and a virtual user's cookie jar (storing Set-Cookie answers, building the Cookie header).

#include <benchmark/benchmark.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/optional/optional.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/cookie_jar.h"
#include "harness/load/http_response_parser.h"
#include "harness/load/latency_histogram.h"
#include "harness/load/load_tally.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace {

using namespace mepsim;
using load::CookieJar;
using load::HttpResponseParser;
using load::LatencyHistogram;
using load::ParseStatus;
namespace http = boost::beast::http;

// Latencies spread log-uniformly from 50 µs to 2 s, drawn once so that the loops time the
// recording and not the drawing; 4096 of them, more than a branch predictor learns.
constexpr std::size_t kLatencyCount = 4096;
const std::vector<std::int64_t>& latencies_ns() {
  static const std::vector<std::int64_t> values = [] {
    Rng rng(42);
    std::vector<std::int64_t> out(kLatencyCount);
    const double low = std::log(50e3), high = std::log(2e9);
    for (auto& v : out) v = static_cast<std::int64_t>(std::exp(rng.uniform_real(low, high)));
    return out;
  }();
  return values;
}

void BM_HistogramRecord(benchmark::State& state) {
  const auto& values = latencies_ns();
  LatencyHistogram histogram;
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.record_ns(values[i++ & (kLatencyCount - 1)]);
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

// What the generator does with each answer: the same latency and status into the run's,
// the class's, the route's, the phase's and the second's tallies.
void BM_TallyRecordAnswer(benchmark::State& state) {
  const auto& values = latencies_ns();
  std::array<load::Tally, 5> tallies;
  std::size_t i = 0;
  for (auto _ : state) {
    const Duration latency(values[i++ & (kLatencyCount - 1)]);
    for (auto& t : tallies) t.add_answer(200, latency);
  }
  benchmark::DoNotOptimize(tallies[0].requests);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TallyRecordAnswer);

// A closed second merged into the run's totals (the per-second series does it each second).
void BM_HistogramMerge(benchmark::State& state) {
  const auto& values = latencies_ns();
  LatencyHistogram second;
  for (const auto v : values) second.record_ns(v);
  LatencyHistogram total;
  for (auto _ : state) {
    total.merge(second);
    benchmark::DoNotOptimize(total.count());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramMerge);

void BM_HistogramPercentile(benchmark::State& state) {
  const auto& values = latencies_ns();
  LatencyHistogram histogram;
  for (const auto v : values) histogram.record_ns(v);
  for (auto _ : state) benchmark::DoNotOptimize(histogram.value_at_percentile_ns(99.0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramPercentile);

// Responses shaped like the replica's: the health route's JSON, an 8 KB page with a session
// cookie and the cache's verdict, and a chunked JSON answer.
std::string health_response() {
  const std::string body = R"({"status":"ok","version":"v1.0.0"})";
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string page_response() {
  std::string body = "<!DOCTYPE html><html lang=\"fr\"><head><title>Connexion</title></head><body>";
  while (body.size() < 8000) body += "<div class=\"fr-container\"><p>Signal Logement</p></div>\n";
  body += "</body></html>";
  return "HTTP/1.1 200 OK\r\n"
         "Content-Type: text/html; charset=UTF-8\r\n"
         "Cache-Control: no-cache, private\r\n"
         "Set-Cookie: PHPSESSID=3f2a9c4e8b7d6a5f4e3d2c1b0a998877; path=/; httponly; "
         "samesite=lax\r\n"
         "X-Cache: miss\r\n"
         "X-Request-Id: 6a1f0c9e-2b3d-4e5f-8a7b-9c0d1e2f3a4b\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string chunked_response() {
  const std::string part =
      R"({"reference":"2024-123","uuid":"0b6f4c1e-8d2a-4f3b-9e7c-1a2b3c4d5e6f"})";
  std::string out =
      "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
      "\r\n";
  for (int i = 0; i < 4; ++i) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

const std::string& response_bytes(std::int64_t kind) {
  static const std::array<std::string, 3> all = {health_response(), page_response(),
                                                 chunked_response()};
  return all[static_cast<std::size_t>(kind)];
}
void name_kind(benchmark::State& state, const char* body) {
  static constexpr std::array<const char*, 3> kNames = {"health", "page", "chunked"};
  state.SetLabel(std::string(kNames[static_cast<std::size_t>(state.range(0))]) + ", body " + body);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<std::int64_t>(response_bytes(state.range(0)).size()));
}

// `keep_body` 0: the body counted and dropped, as the generator does for pages; 1: kept.
void BM_ParseMepsim(benchmark::State& state) {
  const std::string& bytes = response_bytes(state.range(0));
  const bool keep_body = state.range(1) != 0;
  HttpResponseParser parser;
  for (auto _ : state) {
    parser.reset(keep_body);
    std::size_t consumed = 0;
    if (parser.feed(bytes, consumed) != ParseStatus::complete) {
      state.SkipWithError("the mepsim parser did not complete");
      break;
    }
    benchmark::DoNotOptimize(parser.response().status);
  }
  name_kind(state, keep_body ? "kept" : "dropped");
}
BENCHMARK(BM_ParseMepsim)->ArgsProduct({{0, 1, 2}, {0, 1}});

// A Beast body that counts its bytes and drops them: Beast's match for keep_body 0.
struct CountedBody {
  using value_type = std::int64_t;
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& count) : count_(count) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) {
      count_ = 0;
      ec = {};
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const auto n = boost::asio::buffer_size(buffers);
      count_ += static_cast<std::int64_t>(n);
      ec = {};
      return n;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& count_;
  };
};

// Beast's parsers parse one message each: a new one per response, as its users do. What
// the generator keeps (status, Set-Cookie values, X-Cache) is read out of its fields.
template <class Body>
void beast_parse(benchmark::State& state, const char* body) {
  const std::string& bytes = response_bytes(state.range(0));
  std::vector<std::string> set_cookies;
  std::string x_cache;
  for (auto _ : state) {
    http::response_parser<Body> parser;
    parser.eager(true);
    parser.body_limit(HttpResponseParser::kKeptBodyBytesMax);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(bytes), ec);
    if (ec || !parser.is_done()) {
      state.SkipWithError("the Beast parser did not complete");
      break;
    }
    const auto& message = parser.get();
    set_cookies.clear();
    for (auto [it, end] = message.base().equal_range(http::field::set_cookie); it != end; ++it) {
      set_cookies.emplace_back(it->value().data(), it->value().size());
    }
    if (const auto cache = message.base().find("X-Cache"); cache != message.base().end()) {
      x_cache.assign(cache->value().data(), cache->value().size());
    } else {
      x_cache.clear();
    }
    benchmark::DoNotOptimize(message.result_int());
  }
  name_kind(state, body);
}

void BM_ParseBeastCounted(benchmark::State& state) {
  beast_parse<CountedBody>(state, "dropped");
}
BENCHMARK(BM_ParseBeastCounted)->DenseRange(0, 2);
void BM_ParseBeastString(benchmark::State& state) {
  beast_parse<http::string_body>(state, "kept");
}
BENCHMARK(BM_ParseBeastString)->DenseRange(0, 2);

// The page again, split in 1448-byte reads (a TCP segment's payload on Ethernet).
void BM_ParseMepsimSplit(benchmark::State& state) {
  const std::string& bytes = response_bytes(1);
  constexpr std::size_t kSegmentBytes = 1448;
  HttpResponseParser parser;
  for (auto _ : state) {
    parser.reset(false);
    ParseStatus status = ParseStatus::need_more;
    for (std::size_t at = 0; at < bytes.size() && status == ParseStatus::need_more;) {
      const std::string_view segment = std::string_view(bytes).substr(at, kSegmentBytes);
      std::size_t consumed = 0;
      status = parser.feed(segment, consumed);
      at += segment.size();
    }
    if (status != ParseStatus::complete) {
      state.SkipWithError("the mepsim parser did not complete");
      break;
    }
    benchmark::DoNotOptimize(parser.response().status);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_ParseMepsimSplit);

const Instant kNow = default_scenario_start();
constexpr std::string_view kSessionCookie =
    "PHPSESSID=3f2a9c4e8b7d6a5f4e3d2c1b0a998877; path=/; httponly; samesite=lax";
constexpr std::string_view kRememberCookie =
    "REMEMBERME=dXNlci0xMy0wMUBzaWduYWwtbG9nZW1lbnQuZnI6MTcwMDAwMDAwMDpkZWFkYmVlZg; path=/; "
    "max-age=604800; httponly; samesite=lax";
constexpr std::string_view kDeletedCookie =
    "REMEMBERME=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; max-age=0; path=/; httponly; "
    "samesite=lax";

// A logged-in user's answer renews its session cookie: the jar replaces it.
void BM_CookieJarStoreSession(benchmark::State& state) {
  CookieJar jar;
  jar.set_from_header("banner=seen; path=/", "/", kNow);
  for (auto _ : state) benchmark::DoNotOptimize(jar.set_from_header(kSessionCookie, "/bo", kNow));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CookieJarStoreSession);

// A login (session and remember-me, Max-Age) and a logout (remember-me deleted by an
// Expires in the past): the attribute and date parsing.
void BM_CookieJarLoginLogout(benchmark::State& state) {
  CookieJar jar;
  for (auto _ : state) {
    jar.set_from_header(kSessionCookie, "/connexion", kNow);
    jar.set_from_header(kRememberCookie, "/connexion", kNow);
    jar.set_from_header(kDeletedCookie, "/logout", kNow);
    benchmark::DoNotOptimize(jar.size());
  }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_CookieJarLoginLogout);

// The Cookie header of a request, for a jar of N cookies (a user holds 1 to 3; 32 is the
// bound), some on a narrower path that this request does not match.
void BM_CookieJarHeaderFor(benchmark::State& state) {
  CookieJar jar;
  jar.set_from_header(kSessionCookie, "/", kNow);
  for (std::int64_t i = 1; i < state.range(0); ++i) {
    const std::string path = i % 2 == 0 ? "/bo" : "/api";
    jar.set_from_header("c" + std::to_string(i) + "=value-" + std::to_string(i) + "; path=" + path,
                        "/", kNow);
  }
  for (auto _ : state) benchmark::DoNotOptimize(jar.header_for("/bo/signalements/42", kNow));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CookieJarHeaderFor)->Arg(1)->Arg(3)->Arg(32);

}  // namespace

BENCHMARK_MAIN();
