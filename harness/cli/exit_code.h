#pragma once

#include "sim/core/result.h"

namespace mepsim::exit_code {
inline constexpr int ok = 0;
inline constexpr int failure = 1;    // something failed while running
inline constexpr int bad_input = 2;  // the user's input or machine is wrong: fix and rerun
}  // namespace mepsim::exit_code

namespace mepsim {

// Bad input and missing binaries are the user's to fix (exit 2); the rest is a failure.
inline int exit_code_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid_input:
    case ErrorCode::not_found:
      return exit_code::bad_input;
    default:
      return exit_code::failure;
  }
}

}  // namespace mepsim
