// The real @sentry/node (11.x, its default transport) against the Sentry fake started in
// this process: events reach issues, two identical exceptions make one issue of count 2,
// a rate limit makes the SDK back off and later send a client_report with
// ratelimit_backoff, a wrong key is refused. The node side is tests/node/sentry_client.test.mjs;
// this side checks what only the fake sees (chunked and gzip bodies, what was never sent).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "fakes/sentry/sentry_fake.h"
#include "sim/core/rng.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::fakes::sentry {
namespace {

using mepsim::testing::CommandResult;
using mepsim::testing::run_shell;

class SentryNode : public ::testing::Test {
 protected:
  void SetUp() override {
    SentryFakeOptions options;
    // histologe-demo is the rate-limited one: one error a minute.
    options.rate_limits = {{"histologe-demo", "error", 1, 60}};
    fake_ = std::make_unique<SentryFake>(Rng(5), options);
    const auto started = fake_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }

  CommandResult run_node(const std::string& mode, const std::string& project,
                         const std::string& dsn) {
    return run_shell("cd '" MEPSIM_SOURCE_DIR "' && SENTRY_TEST_MODE=" + mode +
                     " SENTRY_PROJECT=" + project + " SENTRY_DSN='" + dsn + "' SENTRY_API_URL='" +
                     fake_->base_url() + "' SENTRY_API_TOKEN='" + fake_->auth_token() +
                     "' node --test tests/node/sentry_client.test.mjs 2>&1");
  }

  // Envelope requests the fake answered, with the notes it journaled.
  std::vector<JournalEntry> envelope_requests() {
    std::vector<JournalEntry> found;
    for (auto& entry : fake_->journal().entries()) {
      if (entry.path.find("/envelope/") != std::string::npos) found.push_back(entry);
    }
    return found;
  }

  // What the fake saw, for failure messages: status and notes of each request.
  std::string journal_text() {
    std::string text;
    for (const auto& entry : fake_->journal().entries()) {
      text += std::to_string(entry.status) + " " + entry.method + " " +
              entry.path.substr(0, entry.path.find('?'));
      for (const auto& note : entry.notes) text += " | " + note;
      text += "\n";
    }
    return text;
  }

  static bool has_note(const JournalEntry& entry, const std::string& note) {
    return std::find(entry.notes.begin(), entry.notes.end(), note) != entry.notes.end();
  }

  std::unique_ptr<SentryFake> fake_;
};

TEST_F(SentryNode, EventsReachIssuesChunkedAndGzipped) {
  // The node tests pass (3 of 3); every request was chunked; the big one gzipped.
  const auto result = run_node("ingest", "histologe", fake_->dsn("histologe"));
  ASSERT_EQ(result.code, 0) << result.output << journal_text();
  EXPECT_NE(result.output.find("# pass 3"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("# fail 0"), std::string::npos) << result.output;
  const auto requests = envelope_requests();
  ASSERT_GE(requests.size(), 5u);
  std::size_t gzipped = 0;
  for (const auto& entry : requests) {
    EXPECT_EQ(entry.status, 200);
    EXPECT_TRUE(has_note(entry, "chunked")) << entry.path;
    if (has_note(entry, "content-encoding gzip")) ++gzipped;
    EXPECT_EQ(entry.path.find(fake_->dsn("histologe").substr(7, 32)), std::string::npos)
        << "the DSN key is journaled";
  }
  EXPECT_EQ(gzipped, 1u);
  const auto issues = fake_->issues("histologe", std::nullopt, "1.7.4");
  ASSERT_EQ(issues.size(), 4u);
  for (const auto& issue : issues) {
    EXPECT_EQ(issue.count_by_environment.at("production"), issue.count);
  }
  // The SDK's own process session gives release 1.7.4 its health row, crash-free.
  const auto health = fake_->release_health("histologe");
  ASSERT_EQ(health.size(), 1u) << journal_text();
  EXPECT_EQ(health[0].release, "1.7.4");
  EXPECT_GE(health[0].sessions, 1u);
  EXPECT_EQ(health[0].crashed, 0u);
}

TEST_F(SentryNode, RateLimitMakesTheSdkBackOffAndReport) {
  // Two errors sent (200, 429), the third never sent, then a client report.
  const auto result = run_node("rate_limit", "histologe-demo", fake_->dsn("histologe-demo"));
  ASSERT_EQ(result.code, 0) << result.output << journal_text();
  EXPECT_NE(result.output.find("# pass 1"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("# fail 0"), std::string::npos) << result.output;
  // Envelopes with errors: the first passed, the second was refused, the third never
  // came; then one with the client report, accepted.
  std::vector<int> event_statuses;
  std::size_t client_reports = 0;
  for (const auto& entry : envelope_requests()) {
    for (const auto& note : entry.notes) {
      if (note.rfind("items: ", 0) != 0) continue;
      if (note.find("event") != std::string::npos) event_statuses.push_back(entry.status);
      if (note.find("client_report") != std::string::npos) {
        EXPECT_EQ(entry.status, 200);
        ++client_reports;
      }
    }
  }
  EXPECT_EQ(event_statuses, (std::vector<int>{200, 429})) << journal_text();
  EXPECT_EQ(client_reports, 1u) << journal_text();
  EXPECT_EQ(fake_->stats().items_rate_limited, 1u);
  const auto reports = fake_->client_reports("histologe-demo");
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_EQ(reports[0].discarded.size(), 1u);
  EXPECT_EQ(reports[0].discarded[0].reason, "ratelimit_backoff");
  EXPECT_EQ(reports[0].discarded[0].category, "error");
  EXPECT_EQ(reports[0].discarded[0].quantity, 1u);
}

TEST_F(SentryNode, WrongKeyIsRefused) {
  // A DSN whose key the fake never issued: 401, nothing stored.
  std::string dsn = fake_->dsn("histologe");
  dsn.replace(7, 32, std::string(32, 'f'));
  const auto result = run_node("wrong_key", "histologe", dsn);
  ASSERT_EQ(result.code, 0) << result.output << journal_text();
  EXPECT_NE(result.output.find("# pass 1"), std::string::npos) << result.output;
  // Every envelope of that process was refused: its session's and the event's.
  EXPECT_GE(fake_->stats().requests_refused_auth, 1u);
  for (const auto& entry : envelope_requests()) EXPECT_EQ(entry.status, 401);
  EXPECT_TRUE(fake_->issues("histologe").empty());
}

}  // namespace
}  // namespace mepsim::fakes::sentry
