#include "tests/integration/devtools_client.h"

#include <httplib.h>
#include <signal.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fstream>
#include <thread>

namespace mepsim::testing {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

// Chromium starts in a second or two; a loaded machine may need much longer.
constexpr auto kStartTimeout = 60s;
// One DevTools call (an evaluation, a screenshot) answers well within this.
constexpr auto kCallTimeout = 30s;

Error failure(const std::string& message) {
  return make_error(ErrorCode::unavailable, message);
}

// The port Chromium listens on for DevTools, once it wrote it into its profile.
std::optional<std::uint16_t> devtools_port(const fs::path& profile) {
  std::ifstream in(profile / "DevToolsActivePort");
  int port = 0;
  if (!(in >> port) || port <= 0 || port > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

// The websocket path of the page target showing `url`.
std::optional<std::string> page_target(std::uint16_t port, const std::string& url) {
  httplib::Client client("127.0.0.1", port);
  auto list = client.Get("/json/list");
  if (!list || list->status != 200) return std::nullopt;
  const auto targets = json::parse(list->body, nullptr, false);
  if (!targets.is_array()) return std::nullopt;
  for (const auto& t : targets) {
    if (t.value("type", "") != "page" || t.value("url", "").rfind(url, 0) != 0) continue;
    const std::string ws = t.value("webSocketDebuggerUrl", "");
    const auto path = ws.find('/', std::string("ws://").size());
    if (path != std::string::npos) return ws.substr(path);
  }
  return std::nullopt;
}

}  // namespace

struct HeadlessChromium::Connection {
  boost::asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
};

HeadlessChromium::HeadlessChromium(ChildProcess browser, fs::path log)
    : browser_(std::move(browser)), log_(std::move(log)) {}

HeadlessChromium::~HeadlessChromium() {
  if (connection_) {
    beast::error_code ignored;
    beast::get_lowest_layer(connection_->ws).socket().close(ignored);
  }
  // Its renderer and GPU processes share its process group: none outlives the test.
  if (browser_) kill(-browser_->pid(), SIGKILL);
}

std::string HeadlessChromium::log_tail() const {
  return tail_of_file(log_, 20);
}

Result<std::unique_ptr<HeadlessChromium>> HeadlessChromium::open(const std::string& url,
                                                                 const fs::path& folder) {
  auto chromium = find_program("chromium");
  if (!chromium) return chromium.error().context("chromium (scripts/install-deps installs it)");
  const fs::path profile = folder / "chromium-profile";
  const fs::path log = folder / "chromium.log";
  std::error_code made;
  fs::create_directories(folder, made);
  if (made) return failure("cannot make " + folder.string() + ": " + made.message());
  auto child = ChildProcess::spawn(
      {chromium.value(),
       {"--headless=new", "--no-sandbox",  // as root, Chromium refuses otherwise
        "--disable-gpu", "--no-first-run", "--disable-extensions",
        "--disable-background-networking", "--hide-scrollbars", "--window-size=1440,1800",
        "--remote-debugging-port=0", "--user-data-dir=" + profile.string(), url},
       {},
       log,
       {}});
  if (!child) return child.error();
  std::unique_ptr<HeadlessChromium> browser(new HeadlessChromium(std::move(child.value()), log));
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::optional<std::uint16_t> port;
  std::optional<std::string> path;
  while (std::chrono::steady_clock::now() < deadline && !path) {
    if (browser->browser_->poll_exit()) {
      return failure("chromium exited at start\n" + browser->log_tail());
    }
    if (!port) port = devtools_port(profile);
    if (port) path = page_target(*port, url);
    if (!path) std::this_thread::sleep_for(100ms);
  }
  if (!path) return failure("no DevTools page target for " + url + "\n" + browser->log_tail());
  auto connection = std::make_unique<Connection>();
  beast::error_code ec;
  tcp::resolver resolver(connection->io);
  const auto endpoints = resolver.resolve("127.0.0.1", std::to_string(*port), ec);
  if (!ec) beast::get_lowest_layer(connection->ws).connect(endpoints, ec);
  if (!ec) connection->ws.handshake("127.0.0.1:" + std::to_string(*port), *path, ec);
  if (ec) return failure("DevTools websocket: " + ec.message());
  browser->connection_ = std::move(connection);
  return browser;
}

Result<json> HeadlessChromium::call(const std::string& method, const json& params) {
  auto& ws = connection_->ws;
  const std::int64_t id = ++next_id_;
  const std::string request = json{{"id", id}, {"method", method}, {"params", params}}.dump();
  beast::error_code ec;
  ws.write(boost::asio::buffer(request), ec);
  if (ec) return failure(method + ": " + ec.message());
  const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
  while (true) {
    // Events the page sends are skipped: only the answer with our id counts.
    beast::flat_buffer buffer;
    bool done = false;
    ws.async_read(buffer, [&](beast::error_code read_ec, std::size_t) {
      ec = read_ec;
      done = true;
    });
    connection_->io.restart();
    connection_->io.run_for(deadline - std::chrono::steady_clock::now());
    if (!done) {
      beast::get_lowest_layer(ws).cancel();
      connection_->io.restart();
      connection_->io.run();
      return failure(method + ": no answer within 30 s");
    }
    if (ec) return failure(method + ": " + ec.message());
    const auto answer = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
    if (!answer.is_object() || answer.value("id", std::int64_t{-1}) != id) continue;
    if (answer.contains("error")) return failure(method + ": " + answer.at("error").dump());
    return answer.value("result", json::object());
  }
}

Result<json> HeadlessChromium::evaluate(const std::string& expression) {
  auto answer = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
  if (!answer) return answer.error();
  if (answer->contains("exceptionDetails")) {
    return failure("evaluating " + expression + ": " + answer->at("exceptionDetails").dump());
  }
  return answer->at("result").value("value", json(nullptr));
}

bool HeadlessChromium::wait_until(const std::string& expression, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto value = evaluate(expression);
    if (value && value.value() == true) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

Result<std::string> HeadlessChromium::screenshot_png() {
  auto metrics = call("Page.getLayoutMetrics", json::object());
  if (!metrics) return metrics.error();
  const json size = metrics->value("cssContentSize", json::object());
  const json clip = {{"x", 0},
                     {"y", 0},
                     {"width", size.value("width", 1440.0)},
                     {"height", size.value("height", 1800.0)},
                     {"scale", 1}};
  auto shot = call("Page.captureScreenshot",
                   {{"format", "png"}, {"captureBeyondViewport", true}, {"clip", clip}});
  if (!shot) return shot.error();
  return decode_base64(shot->value("data", ""));
}

Result<std::string> decode_base64(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    const int v = value_of(c);
    if (v < 0) return make_error(ErrorCode::invalid_input, "not base64");
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

}  // namespace mepsim::testing
