// The HTML run report in a real browser: headless Chromium loads the page from a file, runs
// its inline script and dumps the DOM, which must show the sections, a violation row, the
// charts with their marker lines and the counts; a screenshot is left in the build folder.
// Chromium missing is a failure, not a skip: scripts/install-deps installs it.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/report/run_report.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/process/child_process.h"
#include "tests/unit/sample_run_report.h"

namespace mepsim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A browser that has not finished by then is stuck: the test fails rather than hangs.
constexpr auto kChromiumTimeout = 60s;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class ReportChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chromium = find_program("chromium");
    ASSERT_TRUE(chromium) << "chromium is needed to render the HTML report (scripts/install-deps "
                             "installs it): "
                          << chromium.error().message;
    chromium_ = chromium.value();
    auto scratch = ScratchDir::create("mepsim-report-chromium");
    ASSERT_TRUE(scratch) << scratch.error().message;
    scratch_.emplace(std::move(scratch.value()));
    page_ = scratch_->path() / "report.html";
    std::ofstream(page_) << report::to_html(testing::sample_run_report());
  }

  // Runs headless Chromium on the page with `args` (and a fresh profile); its stdout.
  std::string run_chromium(const std::vector<std::string>& args) {
    const fs::path profile = scratch_->path() / ("profile-" + std::to_string(++runs_));
    const fs::path out = scratch_->path() / ("stdout-" + std::to_string(runs_));
    const fs::path log = scratch_->path() / ("stderr-" + std::to_string(runs_));
    // The shell keeps the DOM (stdout) apart from Chromium's chatter (stderr), then becomes
    // Chromium itself: the pid waited for is the browser's.
    std::vector<std::string> argv = {"-c",
                                     "exec \"$0\" \"$@\" >\"$MEPSIM_OUT\"",
                                     chromium_.string(),
                                     "--headless=new",
                                     "--no-sandbox",  // as root, Chromium refuses otherwise
                                     "--disable-gpu",
                                     "--no-first-run",
                                     "--disable-extensions",
                                     "--disable-background-networking",
                                     "--user-data-dir=" + profile.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("file://" + page_.string());
    auto child = ChildProcess::spawn({"/bin/sh", argv, {{"MEPSIM_OUT", out.string()}}, log, {}});
    if (!child) {
      ADD_FAILURE() << child.error().message;
      return {};
    }
    const auto exit = child->wait_exit(kChromiumTimeout);
    if (!exit) {
      // Its renderer and GPU processes share its process group: none outlives the test.
      kill(-child->pid(), SIGKILL);
      ADD_FAILURE() << "chromium did not finish within 60 s\n" << tail_of_file(log, 20);
      return {};
    }
    EXPECT_EQ(exit->code, 0) << tail_of_file(log, 20);
    return read_all(out);
  }

  fs::path chromium_;
  std::optional<ScratchDir> scratch_;
  fs::path page_;
  int runs_ = 0;
};

TEST_F(ReportChromium, DumpedDomShowsTheReport) {
  // After the inline script ran, the DOM holds every part a reader looks for.
  const std::string dom = run_chromium({"--dump-dom"});
  ASSERT_FALSE(dom.empty());
  EXPECT_NE(dom.find("data-script=\"ready\""), std::string::npos)
      << "the inline script did not run";
  EXPECT_NE(dom.find("id=\"scenario-maintenance-toggle\""), std::string::npos);
  EXPECT_NE(dom.find("id=\"scenario-production-mep\""), std::string::npos);
  EXPECT_NE(dom.find("<section class=\"scenario fail\" id=\"scenario-production-mep\""),
            std::string::npos);
  EXPECT_NE(dom.find("<tr class=\"violation unexpected\" data-rule=\"R3-review-apps-closed\""),
            std::string::npos);
  EXPECT_NE(dom.find(">1 passed</span>"), std::string::npos);
  EXPECT_NE(dom.find(">1 failed</span>"), std::string::npos);
  for (const std::string chart : {"throughput", "latency", "status"}) {
    const auto at = dom.find("<svg class=\"chart\" data-chart=\"" + chart + "\"");
    ASSERT_NE(at, std::string::npos) << chart;
    const std::string svg = dom.substr(at, dom.find("</svg>", at) - at);
    // The five markers of the sample, each a line in every chart.
    EXPECT_EQ(count_of(svg, "<line class=\"marker\""), 5u) << chart;
    EXPECT_NE(svg.find("data-kind=\"deployment\""), std::string::npos) << chart;
    EXPECT_NE(svg.find("class=\"series"), std::string::npos) << chart;
  }
  EXPECT_NE(dom.find("class=\"timeline-entry\" data-kind=\"maintenance\""), std::string::npos);
}

TEST_F(ReportChromium, ScreenshotIsWritten) {
  // A full-page screenshot lands in the build folder, for a person to look at.
  const fs::path png = MEPSIM_REPORT_SCREENSHOT;
  std::error_code ignored;
  fs::remove(png, ignored);
  run_chromium({"--screenshot=" + png.string(), "--window-size=1280,2000", "--hide-scrollbars"});
  ASSERT_TRUE(fs::exists(png));
  const std::string bytes = read_all(png);
  EXPECT_TRUE(bytes.starts_with("\x89PNG\r\n\x1a\n"));
  EXPECT_GT(bytes.size(), 20'000u) << "a page this full makes a bigger picture";
}

}  // namespace
}  // namespace mepsim
