#include "tests/integration/web_container.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/core/clock.h"
#include "sim/net/free_port.h"
#include "sim/net/http_probe.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::testing {
namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

WebContainer::WebContainer(WebEnv env)
    : env_(std::move(env)), scratch_(ScratchDir::create("mepsim-web-test").value()) {
  EXPECT_TRUE(start()) << log();
}

WebContainer::~WebContainer() {
  if (process_) process_->stop(std::chrono::seconds(10));
}

bool WebContainer::start() {
  auto port = free_loopback_port();
  if (!port) return false;
  port_ = port.value();
  SpawnSpec spec{MEPSIM_WEB_BINARY, {}, {}, scratch_.path() / "web.log", {}};
  for (const auto& [k, v] : env_) spec.env.emplace_back(k, v);
  spec.env.emplace_back("PORT", std::to_string(port_));
  auto child = ChildProcess::spawn(spec);
  if (!child) return false;
  process_.emplace(std::move(child.value()));
  ++starts_;
  RealClock clock;
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto reply = http_get_loopback(port_, "/_mepsim/health", std::chrono::milliseconds(200));
    if (reply && reply->status == 200) return true;
    if (process_->poll_exit()) return false;
    clock.sleep(std::chrono::milliseconds(25));
  }
  return false;
}

bool WebContainer::restart(const WebEnv& changes) {
  if (process_) process_->stop(std::chrono::seconds(10));
  process_.reset();
  for (const auto& [k, v] : changes) {
    if (v.empty()) {
      env_.erase(k);
    } else {
      env_[k] = v;
    }
  }
  return start();
}

httplib::Client WebContainer::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5);
  c.set_read_timeout(10);
  return c;
}

std::string WebContainer::log() const {
  std::ifstream in(scratch_.path() / "web.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::pair<int, std::string> run_web_console(const WebEnv& env, const std::string& command) {
  std::string line = "env";
  for (const auto& [k, v] : env) line += " " + shell_quote(k + "=" + v);
  line += " " + std::string(MEPSIM_WEB_BINARY) + " console " + command + " 2>&1";
  auto result = run_shell(line);
  return {result.code, result.output};
}

std::string cookie_value(const httplib::Result& result, const std::string& name) {
  if (!result) return "";
  for (const auto& [key, value] : result->headers) {
    if (key != "Set-Cookie" && key != "set-cookie") continue;
    if (value.rfind(name + "=", 0) != 0) continue;
    const auto end = value.find(';');
    return value.substr(name.size() + 1,
                        end == std::string::npos ? std::string::npos : end - name.size() - 1);
  }
  return "";
}

}  // namespace mepsim::testing
