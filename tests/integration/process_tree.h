#pragma once
// A process and everything it started, as the kernel shows them (/proc), and the TCP
// sockets they listen on (/proc/net/tcp and tcp6): what the security tests check a
// topology's listeners and environments against.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace mepsim::testing {

// `root` and its descendants, each with its command name.
inline std::map<pid_t, std::string> process_tree(pid_t root) {
  std::map<pid_t, std::pair<pid_t, std::string>> all;  // pid → (ppid, comm)
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    // "pid (comm) state ppid …": comm may hold spaces, so read from its closing paren.
    const auto open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (state == "Z") continue;
    all[static_cast<pid_t>(std::stol(name))] = {ppid, stat.substr(open + 1, close - open - 1)};
  }
  std::map<pid_t, std::string> tree;
  if (all.contains(root)) tree[root] = all[root].second;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [pid, parent_comm] : all) {
      if (!tree.contains(pid) && tree.contains(parent_comm.first)) {
        tree[pid] = parent_comm.second;
        grew = true;
      }
    }
  }
  return tree;
}

// The socket inodes a process holds open.
inline std::set<std::string> socket_inodes(pid_t pid) {
  std::set<std::string> inodes;
  std::error_code ec;
  const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& fd : std::filesystem::directory_iterator(fds, ec)) {
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind("socket:[", 0) == 0) {
      inodes.insert(target.substr(8, target.size() - 9));
    }
  }
  return inodes;
}

struct Listener {
  std::string address;  // as /proc/net shows it: "0100007F" (127.0.0.1), "00000000"…
  std::uint16_t port = 0;
  bool ipv6 = false;
  bool loopback() const {
    if (!ipv6) return address.size() == 8 && address.substr(6) == "7F";  // 127.x.x.x
    return address == "00000000000000000000000001000000" ||              // ::1
           (address.substr(0, 16) == "0000000000000000" && address.substr(16, 8) == "FFFF0000" &&
            address.substr(30) == "7F");  // ::ffff:127.x.x.x
  }
};

// Every listening TCP socket whose inode is in `inodes`.
inline std::vector<Listener> listeners_of(const std::set<std::string>& inodes) {
  std::vector<Listener> out;
  for (const bool ipv6 : {false, true}) {
    std::ifstream in(ipv6 ? "/proc/net/tcp6" : "/proc/net/tcp");
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state != "0A" || !inodes.contains(inode)) continue;  // 0A: LISTEN
      const auto colon = local.find(':');
      out.push_back({local.substr(0, colon),
                     static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16)),
                     ipv6});
    }
  }
  return out;
}

}  // namespace mepsim::testing
