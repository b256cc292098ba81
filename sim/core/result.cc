#include "sim/core/result.h"

namespace mepsim {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input:
      return "invalid input";
    case ErrorCode::not_found:
      return "not found";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::capacity:
      return "capacity";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

}  // namespace mepsim
