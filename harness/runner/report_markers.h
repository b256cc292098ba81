#pragma once
// The marks a run's charts and timeline show — deployments finished, restarts, variable
// changes (maintenance and banner toggles apart), faults — taken from its event log.

#include <cstdint>
#include <vector>

#include "harness/report/run_report.h"
#include "sim/core/event_log.h"

namespace mepsim::runner {

// The events a step published (seq first..last) and when, in real seconds since the first
// step began: a mark's place on the data-plane axis is its step's.
struct StepSpan {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  double t_s = 0;
};

std::vector<report::Marker> markers_of(const std::vector<Event>& timeline,
                                       const std::vector<StepSpan>& spans);

}  // namespace mepsim::runner
