#include "sim/net/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace mepsim {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

Result<std::uint16_t> free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(ErrorCode::internal, std::string("socket: ") + strerror(errno));
  sockaddr_in addr = loopback(0);
  socklen_t length = sizeof addr;
  auto* generic = reinterpret_cast<sockaddr*>(&addr);
  if (bind(fd, generic, sizeof addr) != 0 || getsockname(fd, generic, &length) != 0) {
    const int err = errno;
    close(fd);
    return make_error(ErrorCode::internal, std::string("bind 127.0.0.1:0: ") + strerror(err));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool loopback_port_accepts(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = loopback(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace mepsim
