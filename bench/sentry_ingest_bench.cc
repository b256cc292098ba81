// Sentry fake ingestion over real HTTP on loopback: envelopes per second with 1 and 8
// concurrent senders (keep-alive connections, @sentry/node-shaped envelopes, 200 issue
// groups), and what the store and journal hold afterwards against their bounds.
// Run: sentry_ingest_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "fakes/sentry/sentry_fake.h"
#include "sim/core/rng.h"

namespace {

using mepsim::fakes::sentry::SentryFake;
using mepsim::fakes::sentry::SentryFakeOptions;
using nlohmann::json;

constexpr int kGroups = 200;
// Small enough that a few seconds of ingestion reach it: the bound is what is measured.
constexpr std::size_t kStoreBytesMax = 8 << 20;
constexpr std::size_t kJournalCapacity = 4'096;

std::mutex g_fake_mutex;
std::unique_ptr<SentryFake> g_fake;

SentryFake& fake() {
  std::lock_guard lock(g_fake_mutex);
  if (!g_fake) {
    SentryFakeOptions options;
    options.threads = 8;
    options.capacities.store_bytes_max = kStoreBytesMax;
    options.capacities.journal_capacity = kJournalCapacity;
    g_fake = std::make_unique<SentryFake>(mepsim::Rng(1), options);
    if (!g_fake->start().ok()) std::abort();
  }
  return *g_fake;
}

std::string envelope(int n) {
  const json event = {{"level", "error"},
                      {"release", "1.7.4"},
                      {"environment", "production"},
                      {"platform", "node"},
                      {"extra", {{"pad", std::string(600, 'x')}}},
                      {"exception",
                       {{"values",
                         {{{"type", "TypeError"},
                           {"value", "x is undefined"},
                           {"stacktrace",
                            {{"frames",
                              {{{"function", "handler" + std::to_string(n % kGroups)},
                                {"module", "app"},
                                {"in_app", true}}}}}}}}}}}};
  return json{{"sent_at", "2026-11-26T10:00:00Z"}}.dump() + "\n" + json{{"type", "event"}}.dump() +
         "\n" + event.dump();
}

std::size_t rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

void BM_SentryEnvelopeIngest(benchmark::State& state) {
  SentryFake& sentry = fake();
  const std::string dsn = sentry.dsn("histologe");
  const std::string path =
      "/api/1/envelope/?sentry_version=7&sentry_key=" + dsn.substr(7, dsn.find('@') - 7);
  httplib::Client client("127.0.0.1", sentry.port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  int n = static_cast<int>(state.thread_index()) * 1'000'003;
  std::int64_t failed = 0;
  for (auto _ : state) {
    auto res = client.Post(path, envelope(n++), "application/x-sentry-envelope");
    if (!res || res->status != 200) ++failed;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failed"] = static_cast<double>(failed);
  if (state.thread_index() == 0) {
    const auto stats = sentry.stats();
    state.counters["stored_MiB"] = static_cast<double>(stats.stored_bytes) / (1 << 20);
    state.counters["stored_max_MiB"] = static_cast<double>(stats.stored_bytes_max) / (1 << 20);
    state.counters["events_evicted"] = static_cast<double>(stats.events_evicted);
    state.counters["journal_entries"] = static_cast<double>(sentry.journal().entries().size());
    state.counters["rss_MiB"] = static_cast<double>(rss_bytes()) / (1 << 20);
  }
}
BENCHMARK(BM_SentryEnvelopeIngest)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
