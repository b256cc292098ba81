// Unit tests of harness/report's JSON and JUnit forms: the JSON reads back exactly, the JUnit
// XML is well formed and escaped (report_html_test.cc has the HTML page's).

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/instant_text.h"
#include "harness/report/markup_escape.h"
#include "harness/report/run_report.h"
#include "tests/unit/sample_run_report.h"

namespace mepsim::report {
namespace {

using testing::sample_instant;
using testing::sample_run_report;

// ---------------------------------------------------------------- a strict little XML reader
// Enough XML for the JUnit writer's output, read strictly: tags closed in order, attributes
// quoted, only the five entities and numeric references, no raw '<', '&' or control byte.

struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<XmlNode> children;
  std::string text;
  const XmlNode& child(std::string_view n, std::size_t index = 0) const {
    for (const auto& c : children) {
      if (c.name == n && index-- == 0) return c;
    }
    throw std::out_of_range("no <" + std::string(n) + "> in <" + name + ">");
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view in) : in_(in) {}
  std::string error;

  bool document(XmlNode& root) {
    if (in_.starts_with("<?xml")) pos_ = in_.find("?>") + 2;
    skip_space();
    if (!element(root)) return false;
    skip_space();
    return pos_ == in_.size() || fail("text after the root element");
  }

 private:
  bool fail(const std::string& what) {
    if (error.empty()) error = what + " at byte " + std::to_string(pos_);
    return false;
  }
  void skip_space() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
  }
  std::string name() {
    const auto start = pos_;
    while (pos_ < in_.size() && (std::isalnum(static_cast<unsigned char>(in_[pos_])) ||
                                 in_[pos_] == '-' || in_[pos_] == '_' || in_[pos_] == ':')) {
      ++pos_;
    }
    return std::string(in_.substr(start, pos_ - start));
  }
  bool decode(std::string_view raw, std::string& out) {
    static const std::map<std::string, std::string> kEntities = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const auto c = static_cast<unsigned char>(raw[i]);
      if (c == '<') return fail("raw '<'");
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return fail("raw control byte");
      if (c != '&') {
        out += raw[i];
        continue;
      }
      const auto end = raw.find(';', i);
      if (end == std::string_view::npos) return fail("'&' without ';'");
      const std::string entity(raw.substr(i + 1, end - i - 1));
      if (entity.starts_with("#")) {
        const int code = std::stoi(entity.substr(1));
        if (code != 9 && code != 10 && code != 13 && code < 32) return fail("bad reference");
        out += static_cast<char>(code);  // the writer only refers to ASCII
      } else if (auto found = kEntities.find(entity); found != kEntities.end()) {
        out += found->second;
      } else {
        return fail("unknown entity &" + entity + ";");
      }
      i = end;
    }
    return true;
  }
  bool attributes(XmlNode& node) {
    while (true) {
      skip_space();
      if (pos_ >= in_.size() || in_[pos_] == '>' || in_[pos_] == '/') return true;
      const std::string key = name();
      if (key.empty() || in_.substr(pos_, 2) != "=\"") return fail("malformed attribute");
      pos_ += 2;
      const auto end = in_.find('"', pos_);
      if (end == std::string_view::npos) return fail("unterminated attribute");
      if (node.attributes.count(key)) return fail("duplicate attribute " + key);
      if (!decode(in_.substr(pos_, end - pos_), node.attributes[key])) return false;
      pos_ = end + 1;
    }
  }
  bool element(XmlNode& node) {
    if (pos_ >= in_.size() || in_[pos_] != '<') return fail("expected '<'");
    ++pos_;
    node.name = name();
    if (node.name.empty() || !attributes(node)) return fail("malformed start tag");
    if (in_.substr(pos_, 2) == "/>") {
      pos_ += 2;
      return true;
    }
    if (in_.substr(pos_, 1) != ">") return fail("unterminated start tag");
    ++pos_;
    while (pos_ < in_.size() && in_.substr(pos_, 2) != "</") {
      if (in_[pos_] == '<') {
        if (!element(node.children.emplace_back())) return false;
        continue;
      }
      const auto end = in_.find('<', pos_);
      if (!decode(in_.substr(pos_, end - pos_), node.text)) return false;
      pos_ = end;
    }
    const std::string closing = "</" + node.name + ">";
    if (in_.substr(pos_, closing.size()) != closing) return fail("expected " + closing);
    pos_ += closing.size();
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

XmlNode parse_xml(const std::string& text) {
  XmlNode root;
  XmlReader reader(text);
  EXPECT_TRUE(reader.document(root)) << reader.error << "\n" << text;
  return root;
}

// ---------------------------------------------------------------- instants and escaping

TEST(ReportInstant, FormatsMillisecondsAndParsesBack) {
  // Instants are written as format_iso8601 does and read back to the same instant.
  const Instant t = sample_instant(61.25);
  EXPECT_EQ(format_instant(t), "2026-01-05T08:01:01.250Z");
  EXPECT_EQ(format_instant(t), format_iso8601(t));
  EXPECT_EQ(parse_instant("2026-01-05T08:01:01.250Z").value(), t);
  EXPECT_EQ(format_time_of_day(t), "08:01:01.250");
}

TEST(ReportInstant, KeepsSubMillisecondsAndReadsOffsets) {
  // A nanosecond part survives the text form; offsets and short fractions are understood.
  const Instant t = sample_instant(1) + std::chrono::nanoseconds(250);
  EXPECT_EQ(format_instant(t), "2026-01-05T08:00:01.00000025Z");
  EXPECT_EQ(parse_instant(format_instant(t)).value(), t);
  EXPECT_EQ(parse_instant("2026-01-05T09:00:01.5+01:00").value(), sample_instant(1.5));
  EXPECT_EQ(parse_instant("1970-01-01T00:00:00Z").value(), Instant{});
}

TEST(ReportInstant, RefusesWhatIsNotAnInstant) {
  // Malformed text is an error value that quotes the text.
  for (const char* bad :
       {"", "2026-01-05", "2026-02-30T00:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T08:00:00",
        "2026-01-05T08:00:00.Z", "2026-01-05T08:00:00.0000000001Z", "2026-01-05T08:00:00Zjunk"}) {
    const auto parsed = parse_instant(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find(bad), std::string::npos);
  }
}

TEST(ReportMarkup, EscapesMarkupAndKeepsUtf8) {
  // Markup characters are escaped, non-ASCII text kept, and what XML forbids made visible.
  EXPECT_EQ(escape_markup(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("déploiement ✓ 🚀"), "déploiement ✓ 🚀");
  EXPECT_EQ(escape_markup(std::string("a\x01z\x1b", 4)), "a\\x01z\\x1B");
  EXPECT_EQ(escape_markup("\xff\xc3"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // not UTF-8: U+FFFD
  EXPECT_EQ(escape_markup("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(escape_markup("line\nnext\t."), "line\nnext\t.");
  EXPECT_EQ(escape_attribute("line\nnext\t."), "line&#10;next&#9;.");
}

// ---------------------------------------------------------------- JSON

TEST(ReportJson, RoundTripKeepsEveryField) {
  // JSON text read back gives the same model, down to field order and sub-ms instants.
  RunReport original = sample_run_report();
  original.seed = std::numeric_limits<std::uint64_t>::max();
  original.scenarios[0].steps[0].virtual_end += std::chrono::nanoseconds(7);
  original.scenarios[0].series[3].p50_ms = 0.1 + 0.2;  // a double with no short decimal form
  const auto text = to_json(original).dump(2);
  const auto back = read_run_report(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(back.value()), to_json(original));

  const auto& s = back->scenarios[0];
  EXPECT_EQ(back->seed, original.seed);
  EXPECT_EQ(s.steps[0].virtual_end, original.scenarios[0].steps[0].virtual_end);
  EXPECT_EQ(s.series[3].p50_ms, 0.1 + 0.2);
  EXPECT_EQ(s.series[0].status, original.scenarios[0].series[0].status);
  EXPECT_EQ(s.series[45].cache_hit_ratio, -1);
  ASSERT_EQ(s.timeline[0].fields.size(), 4u);
  EXPECT_EQ(s.timeline[0].fields[3].key, "git_ref");  // not sorted: the order is kept
  EXPECT_EQ(s.timeline[5].plane, Plane::data);
  EXPECT_EQ(s.markers[4].at, original.scenarios[0].markers[4].at);
  EXPECT_EQ(s.loads[0].figures, original.scenarios[0].loads[0].figures);
  EXPECT_EQ(s.measurements, original.scenarios[0].measurements);
  const auto& v = back->scenarios[1].violations[0];
  EXPECT_EQ(v.evidence[0].key, "pr");
  EXPECT_EQ(v.events, (std::vector<std::uint64_t>{7, 9}));
  EXPECT_EQ(back->scenarios[1].missing_violations, original.scenarios[1].missing_violations);
}

TEST(ReportJson, TopLevelKeysAndSummary) {
  // The document opens with the run's identity and a summary a script can read.
  const auto j = to_json(sample_run_report());
  for (const char* key :
       {"tool", "version", "seed", "fingerprint", "started_at", "wall_s", "summary", "scenarios"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["tool"], "mepsim");
  EXPECT_EQ(j["summary"], (nlohmann::json{{"scenarios", 2}, {"passed", 1}, {"failed", 1}}));
  const auto& event = j["scenarios"][0]["timeline"][1];
  EXPECT_EQ(event["seq"], 2);
  EXPECT_EQ(event["at"], "2026-01-05T08:00:10.000Z");
  EXPECT_EQ(event["plane"], "control");
  EXPECT_EQ(event["component"], "platform");
  EXPECT_EQ(event["name"], "deployment.status");
  EXPECT_EQ(event["fields"],
            (nlohmann::json{{"app", "histologe"}, {"status", "success"}, {"version", "1.7.4"}}));
  EXPECT_FALSE(event.contains("fields_order"));  // already in key order
}

TEST(ReportJson, MalformedDocumentsAreErrors) {
  // A file that is not a run report is refused with a message, never a crash.
  EXPECT_FALSE(read_run_report("{"));
  EXPECT_FALSE(read_run_report(R"({"tool":"other"})"));
  auto j = to_json(sample_run_report());
  j["scenarios"][1]["violations"][0]["at"] = "yesterday";
  const auto bad = read_run_report(j.dump());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("yesterday"), std::string::npos);
}

TEST(ReportRun, CountsPassedAndFailed) {
  // passed() and failed() count scenarios.
  RunReport r = sample_run_report();
  EXPECT_EQ(r.passed(), 1);
  EXPECT_EQ(r.failed(), 1);
  r.scenarios.push_back(r.scenarios[1]);
  EXPECT_EQ(r.failed(), 2);
}

// ---------------------------------------------------------------- JUnit

TEST(ReportJunit, SuitesCasesAndFailure) {
  // One testcase per scenario; the failing one says which step failed and which rules.
  const XmlNode root = parse_xml(to_junit_xml(sample_run_report()));
  EXPECT_EQ(root.name, "testsuites");
  EXPECT_EQ(root.attributes.at("name"), "mepsim");
  EXPECT_EQ(root.attributes.at("tests"), "2");
  EXPECT_EQ(root.attributes.at("failures"), "1");
  EXPECT_EQ(root.attributes.at("time"), "67.750");
  const XmlNode& suite = root.child("testsuite");
  EXPECT_EQ(suite.attributes.at("name"), "mepsim scenarios");
  EXPECT_EQ(suite.child("properties").child("property").attributes.at("value"), "42");

  const XmlNode& passing = suite.child("testcase", 0);
  EXPECT_EQ(passing.attributes.at("classname"), "load");
  EXPECT_EQ(passing.attributes.at("name"), "maintenance-toggle");
  EXPECT_EQ(passing.attributes.at("file"), "scenarios/maintenance.yaml");
  EXPECT_EQ(passing.attributes.at("time"), "63.250");
  EXPECT_THROW(passing.child("failure"), std::out_of_range);
  EXPECT_NE(passing.child("system-out").text.find("✓ start load: 100 rps, 60 s"),
            std::string::npos);

  const XmlNode& failing = suite.child("testcase", 1);
  const XmlNode& failure = failing.child("failure");
  EXPECT_EQ(failure.attributes.at("type"), "step");
  EXPECT_EQ(failure.attributes.at("message"),
            "scenarios/mep.yaml:14:5: expected deployment success, got hook-error (see "
            "https://example.test/d?a=1&b=2)");
  EXPECT_NE(failure.text.find("step scenarios/mep.yaml:14:5"), std::string::npos);
  EXPECT_NE(failure.text.find("unexpected violation R3-review-apps-closed at "
                              "2026-01-05T08:01:00.500Z: PR #1141"),
            std::string::npos);
  EXPECT_NE(failure.text.find("missing violation R5-release-note"), std::string::npos);
  EXPECT_NE(failing.child("system-out").text.find("✗ expect deployment histologe success"),
            std::string::npos);
}

TEST(ReportJunit, RuleOnlyFailureAndClassnameDefault) {
  // A scenario failed by rules alone has type "rule"; without tags the class is "scenarios".
  RunReport r = sample_run_report();
  auto& s = r.scenarios[1];
  s.steps[1].passed = true;
  s.failure = "unexpected violation R3-review-apps-closed";
  s.tags.clear();
  const XmlNode testcase = parse_xml(to_junit_xml(r)).child("testsuite").child("testcase", 1);
  EXPECT_EQ(testcase.attributes.at("classname"), "scenarios");
  EXPECT_EQ(testcase.child("failure").attributes.at("type"), "rule");
  EXPECT_EQ(testcase.child("failure").attributes.at("message"), s.failure);
}

TEST(ReportJunit, EscapesEverythingItWrites) {
  // Quotes, angle brackets, ampersands, newlines and control bytes in data stay well formed;
  // UTF-8 text comes back as it was.
  RunReport r = sample_run_report();
  auto& s = r.scenarios[1];
  s.name = R"(mep "quoted" <b>&amp; 'déploiement' ✓)";
  s.tags = {"a<b"};
  s.steps[1].pos = "x.yaml:1:1";
  s.steps[1].message = "line one\nline \x01two </failure> ]]> &";
  s.steps[1].description = "<system-out>";
  const std::string xml = to_junit_xml(r);
  const XmlNode testcase = parse_xml(xml).child("testsuite").child("testcase", 1);
  EXPECT_EQ(testcase.attributes.at("name"), s.name);
  EXPECT_EQ(testcase.attributes.at("classname"), "a<b");
  EXPECT_EQ(testcase.child("failure").attributes.at("message"),
            "x.yaml:1:1: line one\nline \\x01two </failure> ]]> &");
  EXPECT_NE(testcase.child("system-out").text.find("✗ <system-out>"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace mepsim::report
