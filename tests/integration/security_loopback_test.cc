// Every server of `mepsim up` listens on loopback only: the fakes, the admin API, the
// routers, the web containers, the dashboard, MariaDB and Redis. Read from the kernel's
// socket tables for mepsim and every process it started, and checked against the ports
// its endpoints announce, so that a listener the check missed cannot go unnoticed.

#include <regex>

#include "tests/integration/process_tree.h"
#include "tests/integration/security_up_fixture.h"

namespace mepsim::testing {
namespace {

class SecurityLoopback : public SecurityUp {};

TEST_F(SecurityLoopback, EveryListenerOfTheTopologyIsOnLoopback) {
  // Goal: nothing of a rehearsal is reachable from another machine.
  const auto tree = process_tree(up_->process().pid());
  std::set<std::string> inodes;
  std::set<std::string> programs;
  for (const auto& [pid, comm] : tree) {
    const auto held = socket_inodes(pid);
    inodes.insert(held.begin(), held.end());
    programs.insert(comm);
  }
  EXPECT_TRUE(programs.contains("mepsim-web")) << "no web container among the processes";
  EXPECT_TRUE(programs.contains("mariadbd"));
  EXPECT_TRUE(programs.contains("redis-server"));
  const auto listeners = listeners_of(inodes);
  std::set<std::uint16_t> ports;
  for (const auto& l : listeners) {
    EXPECT_TRUE(l.loopback()) << "port " << l.port << " listens on " << l.address
                              << (l.ipv6 ? " (IPv6)" : "");
    ports.insert(l.port);
  }
  // Each URL it printed (and the env file's) is one of those listeners.
  std::string announced = up_->output();
  for (const auto& [key, value] : env_) announced += "\n" + value;
  const std::regex port_of(R"(127\.0\.0\.1:(\d+))");
  std::set<std::uint16_t> expected;
  for (std::sregex_iterator it(announced.begin(), announced.end(), port_of), end; it != end; ++it) {
    expected.insert(static_cast<std::uint16_t>(std::stoul((*it)[1])));
  }
  EXPECT_GE(expected.size(), 12u) << announced;
  for (const auto port : expected) {
    EXPECT_TRUE(ports.contains(port)) << "no listener of the topology on announced port " << port;
  }
  // The routers' backends: every web container answers on a listener of its own.
  EXPECT_GT(ports.size(), expected.size());
}

}  // namespace
}  // namespace mepsim::testing
