#include "harness/topology/settling_runtime.h"

namespace mepsim {

bool SettlingRuntime::healthy(const std::string& handle) {
  const Instant deadline = real_clock_.now() + kSettleMax;
  while (!inner_.healthy(handle)) {
    if (!inner_.booting(handle) || real_clock_.now() >= deadline) return false;
    real_clock_.sleep(kPoll);
  }
  return true;
}

}  // namespace mepsim
