#include "sim/datastore/scratch_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace mepsim {

Result<ScratchDir> ScratchDir::create(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  // Unix socket paths must stay under 108 bytes: a long TMPDIR falls back to /tmp.
  std::filesystem::path base = (tmp != nullptr && std::strlen(tmp) < 60) ? tmp : "/tmp";
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return make_error(ErrorCode::internal,
                      "cannot create a folder like " + pattern + ": " + std::strerror(errno));
  }
  return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    erase();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

ScratchDir::~ScratchDir() {
  erase();
}

void ScratchDir::erase() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace mepsim
