#include "harness/env/env_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace mepsim {
namespace {

bool is_safe(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("@%+=:,./_-", c) != nullptr;
}

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return make_error(ErrorCode::internal,
                    fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

}  // namespace

std::string shell_quote(const std::string& value) {
  if (!value.empty() && std::all_of(value.begin(), value.end(), is_safe)) return value;
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted.push_back(c);
    }
  }
  return quoted + "'";
}

Result<void> write_env_file(const std::filesystem::path& path, const EnvEntries& entries) {
  std::string text;
  for (const auto& [key, value] : entries) text += key + "=" + shell_quote(value) + "\n";

  const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return make_error(ErrorCode::internal, "creating " + folder.string() + ": " + ec.message());
  const auto temporary = std::filesystem::path(path.string() + ".tmp-" + std::to_string(getpid()));
  // 0600: the file holds the datastores' passwords.
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("creating", temporary);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && fsync(fd) == 0;
  close(fd);
  if (!synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
    auto error = io_error("writing", path);
    std::filesystem::remove(temporary, ec);
    return error;
  }
  // The rename itself is durable only once the folder is synced.
  if (const int dir = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    fsync(dir);
    close(dir);
  }
  return {};
}

}  // namespace mepsim
