#pragma once
// When a maintenance toggle takes effect, as users see it: the app's health route, asked
// through its router, says which mode the container that answered serves (banner,
// maintenance). The router spreads requests over every container it routes to, old and
// new alike during a restart, so a long enough run of answers all in the new mode, from
// every container of the formation, means no old container is left in the rotation.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::load {

enum class ServedMode { live, banner, maintenance };

std::string_view to_string(ServedMode mode);
ServedMode served_mode(bool maintenance, bool banner);

struct ModeAnswer {
  std::string container;  // web-1…
  ServedMode mode = ServedMode::live;
};

// Reads the health route's body (`{"status":"ok","container":"web-1","maintenance":…}`).
Result<ModeAnswer> parse_mode_answer(std::string_view body);

// Feeds answers in order; says when the effect is reached and where it started.
class ModeRun {
 public:
  ModeRun(ServedMode want, int containers);
  // True once the run of answers in `want` is long enough and covers every container.
  bool add(const ModeAnswer& answer, Instant asked_at);
  // No answer (a container stopping, a refused connection) breaks the run as well.
  void reset();
  // When the first answer of the final run was asked for.
  Instant started_at() const { return run_started_at_; }
  std::size_t run_length_needed() const { return needed_; }

 private:
  ServedMode want_;
  std::size_t containers_;
  std::size_t needed_;
  std::size_t run_ = 0;
  std::vector<std::string> seen_;
  Instant run_started_at_{};
};

struct ModeProbeOptions {
  std::uint16_t router_port = 0;
  int containers = 1;  // the formation's web containers
  Duration interval = std::chrono::milliseconds(5);
  Duration timeout = std::chrono::seconds(120);
};

// Asks until the app serves `want` everywhere; returns the time from `since` (the restart
// call) to the start of the final run. An error past the timeout.
Result<Duration> wait_for_mode(const ModeProbeOptions& options, ServedMode want, Instant since,
                               Clock& clock);

}  // namespace mepsim::load
