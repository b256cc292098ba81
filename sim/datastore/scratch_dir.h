#pragma once

#include <filesystem>
#include <string_view>

#include "sim/core/result.h"

namespace mepsim {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it when the owner
// goes: a launched server's data, socket and log never outlive it.
class ScratchDir {
 public:
  static Result<ScratchDir> create(std::string_view prefix);
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::filesystem::path& path() const { return path_; }
  // Removes the folder now rather than at destruction.
  void erase();

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace mepsim
