// The rehearsal dashboard with the built mepsim: `mepsim up` serves it (URL printed and in
// the env file), headless Chromium opens it once and watches a maintenance toggle (a
// variable set, not in effect until the restart) and a deployment (the push of main that
// merges the review_app pull request: R3) appear without a reload, then leaves a
// screenshot in the build folder (dashboard.png). Neither the page nor its feeds hold a
// secret of the env file. `mepsim report open` serves the same page on a finished run's
// JSON report (its screenshot: dashboard-report.png). A real `mepsim load` posts its
// seconds to the page while it runs (dashboard-load.png) and outlives a dashboard that
// hangs.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "harness/report/run_report.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/devtools_client.h"
#include "tests/integration/mepsim_process.h"
#include "tests/unit/sample_run_report.h"

namespace fs = std::filesystem;
using namespace mepsim;
using namespace mepsim::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// What the page must show once the topology did it: the feed's tick is half a second,
// a deployment at --time-scale 60 a few seconds, a loaded machine slower.
constexpr auto kShownWithin = 90s;

std::string single_quoted(const std::string& text) {
  return "'" + text + "'";
}

// The secrets of an env file `mepsim up` wrote: tokens, keys, passwords, and those inside
// its URLs (userinfo passwords, DSN keys, the webhook's id).
std::vector<std::string> secrets_of_env(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (const char* key : {"GITHUB_TOKEN", "SCALINGO_API_TOKEN", "SENTRY_AUTH_TOKEN",
                          "BREVO_API_KEY", "MEPSIM_FIXTURE_PASSWORD"}) {
    out.push_back(env.at(key));
  }
  const std::regex userinfo(R"(://(?:[^:@/]+:)?([^@/]+)@)");
  for (const auto& [key, value] : env) {
    std::smatch match;
    if (std::regex_search(value, match, userinfo)) out.push_back(match[1]);
  }
  const auto& hook = env.at("MATTERMOST_WEBHOOK_URL");
  out.push_back(hook.substr(hook.rfind('/') + 1));
  out.push_back("mepsim-rehearsal-secret");  // the profile's APP_SECRET, an app variable
  return out;
}

// The first `bytes_max` bytes of the dashboard's feed (a snapshot, then what follows).
std::string read_feed(const std::string& base_url, std::size_t bytes_max) {
  httplib::Client client(base_url);
  client.set_read_timeout(10, 0);
  std::string stream;
  (void)client.Get("/feed", [&](const char* data, std::size_t length) {
    stream.append(data, length);
    return stream.size() < bytes_max;
  });
  return stream;
}

// A loopback port whose connections the kernel accepts into the backlog and nobody ever
// reads or answers: a dashboard that hangs.
class SilentListener {
 public:
  SilentListener() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    auto* any = reinterpret_cast<sockaddr*>(&address);
    EXPECT_EQ(bind(fd_, any, length), 0);
    EXPECT_EQ(listen(fd_, 64), 0);
    EXPECT_EQ(getsockname(fd_, any, &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

// The URL `mepsim report open` prints, once it does.
std::string printed_url(MepsimProcess& process) {
  const std::regex url_line(R"(mepsim: dashboard (http://127\.0\.0\.1:[0-9]+/))");
  std::smatch match;
  for (int i = 0; i < 300; ++i) {
    const std::string output = process.output();
    if (std::regex_search(output, match, url_line)) return match[1];
    std::this_thread::sleep_for(100ms);
  }
  return "";
}

json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

class DashboardLive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-dashboard-test").value());
    env_file_ = scratch_->path() / "env";
    up_ = new MepsimProcess(
        {"up", "--seed", "9", "--time-scale", "60", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(180)) << up_->output();
    env_ = read_env_file(env_file_);
    ASSERT_TRUE(env_.contains("MEPSIM_DASHBOARD_URL")) << up_->output();
    url_ = env_.at("MEPSIM_DASHBOARD_URL");
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr) {
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
    }
    delete up_;
    delete scratch_;
  }

  // `mepsim ARGS` with the env file's variables, as a rehearsal shell would run it.
  static CommandResult mepsim(const std::string& args) {
    return run_shell("set -a; . " + single_quoted(env_file_.string()) + "; set +a; " +
                     single_quoted(MEPSIM_BINARY) + " " + args + " 2>&1");
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline MepsimProcess* up_ = nullptr;
  static inline fs::path env_file_;
  static inline std::map<std::string, std::string> env_;
  static inline std::string url_;
};

TEST_F(DashboardLive, UpPrintsTheUrlAndWritesItToTheEnvFile) {
  // The URL is printed with the other endpoints and is the env file's MEPSIM_DASHBOARD_URL.
  EXPECT_TRUE(url_.starts_with("http://127.0.0.1:")) << url_;
  EXPECT_NE(up_->output().find("mepsim: dashboard " + url_), std::string::npos) << up_->output();
  httplib::Client client(url_.substr(0, url_.size() - 1));
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("new EventSource('feed')"), std::string::npos);
}

TEST_F(DashboardLive, NoSecretInThePageOrItsFeeds) {
  // The page, the snapshot and the first 200 kB of the feed hold none of the env file's
  // secrets, while they do show the apps, their masked variables and the repository.
  const std::string base = url_.substr(0, url_.size() - 1);
  httplib::Client client(base);
  auto page = client.Get("/");
  auto snapshot = client.Get("/snapshot.json");
  ASSERT_TRUE(page && snapshot);
  const std::string feed = read_feed(base, 200'000);
  ASSERT_NE(feed.find("event: snapshot"), std::string::npos) << feed.substr(0, 500);
  const json state = json::parse(snapshot->body).at("state");
  ASSERT_FALSE(state.at("apps").empty());
  EXPECT_EQ(state.at("repository").at("name"), "MTES-MCT/histologe");
  bool masked = false;
  for (const auto& v : state.at("apps").at(0).at("variables")) {
    if (v.at("name") == "APP_SECRET") masked = v.at("value") == "[masked]";
  }
  EXPECT_TRUE(masked) << state.at("apps").at(0).at("variables").dump();
  for (const auto& secret : secrets_of_env(env_)) {
    ASSERT_GE(secret.size(), 6u) << secret;
    EXPECT_EQ(page->body.find(secret), std::string::npos) << "a secret in the page";
    EXPECT_EQ(snapshot->body.find(secret), std::string::npos) << "a secret in the snapshot";
    EXPECT_EQ(feed.find(secret), std::string::npos) << "a secret in the feed";
  }
}

TEST_F(DashboardLive, ShowsAToggleAndADeploymentAsTheyHappen) {
  // One page load; the variable set shows as not in effect until the restart, the
  // deployment shows under way then serving 1.7.4, R3 appears with its evidence, the
  // timeline and the charts mark the toggle — and the page was never reloaded.
  auto browser = HeadlessChromium::open(url_, scratch_->path() / "browser");
  ASSERT_TRUE(browser) << browser.error().message;
  auto& page = *browser.value();
  ASSERT_TRUE(page.wait_until(
      "document.body.dataset.script === 'ready' && document.body.dataset.feed === 'open' && "
      "document.querySelector('article[data-app=\"histologe\"] .release')?.dataset.version === "
      "'1.7.3'",
      kShownWithin))
      << page.log_tail();
  // Marks that survive only if the page is never reloaded, and a record of every phase
  // of histologe's deployment the page showed while it went on.
  ASSERT_TRUE(page.evaluate(R"js(
    window.mepsimLoadedOnce = true;
    window.mepsimPhases = [];
    new MutationObserver(() => {
      const d = document.querySelector('article[data-app="histologe"] .deployment');
      if (d && !window.mepsimPhases.includes(d.dataset.status)) window.mepsimPhases.push(d.dataset.status);
    }).observe(document.body, {subtree: true, childList: true});
    true)js"));
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('tr.pull[data-number=\"1141\"]')?.dataset.mergesOnPush === 'true'",
      kShownWithin))
      << "the review_app PR is not flagged as merged by the push of main";

  const auto set = mepsim("scalingo -a histologe env-set MAINTENANCE_ENABLE=1");
  ASSERT_EQ(set.code, 0) << set.output;
  const std::string toggle_row =
      "document.querySelector('article[data-app=\"histologe\"] "
      "tr.variable[data-name=\"MAINTENANCE_ENABLE\"]')";
  EXPECT_TRUE(page.wait_until(toggle_row + "?.dataset.inEffect === 'false' && " + toggle_row +
                                  ".querySelector('td.value').textContent === '1'",
                              kShownWithin))
      << "the variable set is not shown as not in effect";
  const auto restart = mepsim("scalingo -a histologe restart --synchronous");
  ASSERT_EQ(restart.code, 0) << restart.output;
  EXPECT_TRUE(page.wait_until(toggle_row + "?.dataset.inEffect === 'true'", kShownWithin))
      << "the restart did not bring the variable into effect on the page";
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('#timeline li[data-kind=\"maintenance\"]') !== null", kShownWithin));
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('#timeline li[data-kind=\"restart\"]') !== null", kShownWithin));
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('svg.chart line.marker[data-kind=\"maintenance\"]') !== null",
      kShownWithin))
      << "the charts do not mark the toggle";

  // The procedure's push of main, by hand: develop merged in, which holds PR #1141's head.
  const fs::path clone = scratch_->path() / "clone";
  std::string origin = env_.at("GIT_ORIGIN_URL");
  origin.insert(std::string("http://").size(), "x-access-token:" + env_.at("GITHUB_TOKEN") + "@");
  const auto pushed =
      run_shell("git clone -q " + single_quoted(origin) + " " + single_quoted(clone.string()) +
                " 2>&1 && cd " + single_quoted(clone.string()) +
                " && export GIT_AUTHOR_NAME=mep GIT_AUTHOR_EMAIL=mep@example.org "
                "GIT_COMMITTER_NAME=mep GIT_COMMITTER_EMAIL=mep@example.org && "
                "git merge -q origin/develop --no-edit 2>&1 && git push -q origin main 2>&1");
  ASSERT_EQ(pushed.code, 0) << pushed.output;
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('#violations li[data-rule=\"R3-review-apps-closed\"]')"
      "?.textContent.includes('1141')",
      kShownWithin))
      << "R3 is not shown";
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('article[data-app=\"histologe\"] .release')?.dataset.version === "
      "'1.7.4'",
      kShownWithin))
      << "the new release is not shown";
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('#timeline li[data-kind=\"deployment\"]') !== null", kShownWithin));
  auto phases = page.evaluate("window.mepsimPhases");
  ASSERT_TRUE(phases);
  EXPECT_FALSE(phases.value().empty()) << "the deployment was never shown under way";
  EXPECT_TRUE(page.wait_until(
      "[...document.querySelectorAll('article[data-app=\"histologe\"] li.container')]"
      ".filter((c) => c.dataset.label.startsWith('web-') && c.dataset.health === 'serving')"
      ".length === 2",
      kShownWithin))
      << "histologe's two web containers are not shown serving";
  auto loaded_once = page.evaluate("window.mepsimLoadedOnce === true");
  ASSERT_TRUE(loaded_once);
  EXPECT_EQ(loaded_once.value(), true) << "the page was reloaded";

  const fs::path png = MEPSIM_DASHBOARD_SCREENSHOT;
  auto shot = page.screenshot_png();
  ASSERT_TRUE(shot) << shot.error().message;
  std::ofstream(png, std::ios::binary) << shot.value();
  EXPECT_TRUE(shot.value().starts_with("\x89PNG\r\n\x1a\n"));
  EXPECT_GT(shot.value().size(), 20'000u);
}

TEST_F(DashboardLive, ALoadsSecondsAreChartedWhileItRuns) {
  // A real `mepsim load` on histologe posts each closed second: the open page draws its
  // latency percentiles (p99 with its legend) and its session losses before the load has
  // ended (its lost writes are not checked yet), without a reload; at the end the load's
  // report counts every second delivered and the page shows the lost writes the last
  // second brought again. `mepsim report open` on that report draws the same charts.
  auto browser = HeadlessChromium::open(url_, scratch_->path() / "browser-load");
  ASSERT_TRUE(browser) << browser.error().message;
  auto& page = *browser.value();
  ASSERT_TRUE(page.wait_until(
      "document.body.dataset.script === 'ready' && document.body.dataset.feed === 'open'",
      kShownWithin))
      << page.log_tail();
  ASSERT_TRUE(page.evaluate("window.mepsimLoadedOnce = true; true"));
  const fs::path report_path = scratch_->path() / "load.json";
  MepsimProcess load({"load", "--app", "histologe", "--env-file", env_file_.string(), "--rate",
                      "20", "--duration", "20s", "--mix", "anonymous=60,partner=30,admin=10",
                      "--name", "live-load", "--json", report_path.string()});
  const std::string panel = "document.querySelector('article.load[data-load=\"live-load\"]')";
  const std::string drawn = "(() => { const a = " + panel + R"js(; if (!a) return false;
    const latency = a.querySelector('.chart-box[data-chart="load-latency"]');
    const xs = new Set([...latency.querySelectorAll('polyline.series[data-series="p99"]')]
      .flatMap((l) => l.getAttribute('points').trim().split(' '))
      .map((p) => Math.floor(parseFloat(p.split(',')[0]))));
    const label = [...latency.querySelectorAll('text.legend-label')].some((t) => t.textContent === 'p99');
    return xs.size >= 3 && label &&
      a.querySelector('.chart-box[data-chart="load-sessions"] polyline.series') !== null; })())js";
  ASSERT_TRUE(page.wait_until(drawn, kShownWithin)) << load.output();
  auto lost = page.evaluate(panel + ".querySelector('[data-fact=\"lost-writes\"]').textContent");
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost.value(), "not checked yet") << "the charts came only once the load had ended";
  auto shot = page.screenshot_png();
  ASSERT_TRUE(shot) << shot.error().message;
  std::ofstream(fs::path(MEPSIM_DASHBOARD_SCREENSHOT).replace_filename("dashboard-load.png"),
                std::ios::binary)
      << shot.value();

  const auto ended = load.wait_exit(180);
  ASSERT_TRUE(ended) << load.output();
  EXPECT_EQ(ended->code, 0) << load.output();
  const json report = read_json_file(report_path);
  ASSERT_TRUE(report.is_object()) << load.output();
  const auto& posted = report.at("dashboard");
  EXPECT_EQ(posted.at("name"), "live-load");
  EXPECT_EQ(posted.at("dropped"), 0) << posted.dump();
  EXPECT_GE(posted.at("posted").get<std::int64_t>(),
            static_cast<std::int64_t>(report.at("series").size()));
  EXPECT_TRUE(page.wait_until(panel +
                                  ".querySelector('[data-fact=\"lost-writes\"]').textContent === " +
                                  single_quoted(report.at("writes").at("lost").dump()),
                              kShownWithin))
      << "the lost writes did not reach the page";
  auto loaded_once = page.evaluate("window.mepsimLoadedOnce === true");
  ASSERT_TRUE(loaded_once);
  EXPECT_EQ(loaded_once.value(), true) << "the page was reloaded";

  MepsimProcess open({"report", "open", report_path.string()});
  const std::string report_url = printed_url(open);
  ASSERT_FALSE(report_url.empty()) << open.output();
  auto reader = HeadlessChromium::open(report_url, scratch_->path() / "browser-load-report");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_TRUE(reader.value()->wait_until("document.body.dataset.mode === 'report' && " + drawn,
                                         kShownWithin))
      << reader.value()->log_tail();
  EXPECT_EQ(open.terminate().code, 0) << open.output();
}

TEST_F(DashboardLive, ALoadOutlivesADashboardThatHangs) {
  // The env file names a dashboard that accepts connections and never answers: the load
  // runs its course and exits 0, warns once, and reports the seconds it could not deliver.
  SilentListener silent;
  const fs::path env_copy = scratch_->path() / "env-silent-dashboard";
  {
    std::ifstream in(env_file_);
    std::ofstream out(env_copy);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("MEPSIM_DASHBOARD_URL=")) {
        line = "MEPSIM_DASHBOARD_URL=http://127.0.0.1:" + std::to_string(silent.port()) + "/";
      }
      out << line << "\n";
    }
  }
  const fs::path report_path = scratch_->path() / "load-silent.json";
  const auto ran = run_shell(single_quoted(MEPSIM_BINARY) + " load --app histologe --env-file " +
                             single_quoted(env_copy.string()) + " --rate 10 --duration 6s --json " +
                             single_quoted(report_path.string()) + " 2>&1");
  EXPECT_EQ(ran.code, 0) << ran.output;
  std::size_t warnings = 0;
  for (auto at = ran.output.find("does not take the load's seconds"); at != std::string::npos;
       at = ran.output.find("does not take the load's seconds", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 1u) << ran.output;
  EXPECT_NE(ran.output.find("seconds not delivered"), std::string::npos) << ran.output;
  const json report = read_json_file(report_path);
  ASSERT_TRUE(report.is_object()) << ran.output;
  EXPECT_GT(report.at("requests").get<std::int64_t>(), 0);
  const auto& posted = report.at("dashboard");
  EXPECT_EQ(posted.at("posted"), 0) << posted.dump();
  EXPECT_GT(posted.at("dropped").get<std::int64_t>(), 0) << posted.dump();
  EXPECT_EQ(posted.at("dropped"), posted.at("offered")) << posted.dump();
}

TEST(DashboardReport, ReportOpenServesAFinishedRun) {
  // `mepsim report open F.json` prints its URL and serves the same page on the report:
  // the scenarios to pick from, the report's charts, a failing scenario's violation; it
  // stops with exit 0 on SIGTERM. A file that is not a report is bad input (2).
  auto scratch = ScratchDir::create("mepsim-dashboard-report").value();
  const fs::path report_path = scratch.path() / "run.json";
  std::ofstream(report_path) << report::to_json(sample_run_report()).dump(2);
  MepsimProcess open({"report", "open", report_path.string()});
  const std::regex url_line(R"(mepsim: dashboard (http://127\.0\.0\.1:[0-9]+/))");
  std::smatch match;
  std::string output;
  for (int i = 0; i < 300; ++i) {
    output = open.output();
    if (std::regex_search(output, match, url_line)) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(std::regex_search(output, match, url_line)) << output;
  const std::string url = match[1];

  auto browser = HeadlessChromium::open(url, scratch.path() / "browser");
  ASSERT_TRUE(browser) << browser.error().message;
  auto& page = *browser.value();
  EXPECT_TRUE(page.wait_until(
      "document.body.dataset.mode === 'report' && "
      "document.querySelectorAll('#scenario-select option').length === 2 && "
      "document.querySelector('.chart-box[data-chart=\"latency\"] svg.chart') !== null && "
      "document.querySelectorAll('#timeline li').length > 0",
      kShownWithin))
      << page.log_tail();
  auto shot = page.screenshot_png();
  ASSERT_TRUE(shot) << shot.error().message;
  std::ofstream(fs::path(MEPSIM_DASHBOARD_SCREENSHOT).replace_filename("dashboard-report.png"),
                std::ios::binary)
      << shot.value();
  ASSERT_TRUE(
      page.evaluate("const s = document.getElementById('scenario-select'); s.value = '1';"
                    "s.dispatchEvent(new Event('change')); true"));
  EXPECT_TRUE(page.wait_until(
      "document.querySelector('#violations li[data-rule=\"R3-review-apps-closed\"]') !== null && "
      "document.getElementById('scenario-name').textContent === 'production-mep'",
      kShownWithin));
  EXPECT_EQ(open.terminate().code, 0) << open.output();

  const auto bad = run_shell(std::string(MEPSIM_BINARY) + " report open /nonexistent.json 2>&1");
  EXPECT_EQ(bad.code, 2) << bad.output;
}

}  // namespace
