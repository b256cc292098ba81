#include "tests/integration/stub_peer.h"

#include <gtest/gtest.h>

#include <cctype>

namespace mepsim::testing {

StubPeer::StubPeer(int status, std::string body, Duration hang)
    : status_(status), body_(std::move(body)), hang_(hang) {
  auto server =
      web::HttpServer::listen(io_, {"127.0.0.1", 0, 8 << 20}, [this](const web::Request& r) {
        SeenRequest seen{std::string(r.method_string()), std::string(r.target()), {}, r.body()};
        for (const auto& field : r) {
          std::string name(field.name_string());
          for (auto& ch : name)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          seen.headers[name] = std::string(field.value());
        }
        {
          std::lock_guard lock(mutex_);
          seen_.push_back(std::move(seen));
        }
        if (hang_ > Duration::zero()) RealClock().sleep(hang_);
        web::Response response(static_cast<boost::beast::http::status>(status_), r.version());
        response.set(boost::beast::http::field::content_type, "application/json");
        response.body() = body_;
        return response;
      });
  EXPECT_TRUE(server) << server.error().message;
  if (!server) return;
  server_ = std::move(server.value());
  port_ = server_->port();
  for (int i = 0; i < 4; ++i) threads_.emplace_back([this] { io_.run(); });
}

StubPeer::~StubPeer() {
  if (server_) server_->close();
  io_.stop();
  for (auto& t : threads_) t.join();
}

std::vector<SeenRequest> StubPeer::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

bool StubPeer::wait_for(std::size_t count, Duration timeout) const {
  RealClock clock;
  const Instant deadline = clock.now() + timeout;
  while (clock.now() < deadline) {
    if (seen().size() >= count) return true;
    clock.sleep(std::chrono::milliseconds(10));
  }
  return seen().size() >= count;
}

}  // namespace mepsim::testing
