#include "harness/load/toggle_observer.h"

#include <fmt/format.h>

namespace mepsim::load {

ToggleObserver::ToggleObserver(LoadGenerator& load, Clock& clock, ServedMode mode, int index)
    : load_(load),
      clock_(clock),
      mode_(mode),
      index_(index),
      restart_at_(clock.now()),
      phase_(fmt::format("toggle-{}-{}", index, to_string(mode))) {
  load_.mark_phase(phase_);
  load_.set_maintenance_switching(mode_ == ServedMode::maintenance || load_.maintenance_expected());
}

ToggleRecord ToggleObserver::finish(const ModeProbeOptions& probe, const Result<void>& restarted) {
  ToggleRecord record;
  record.mode = std::string(to_string(mode_));
  record.phase = phase_;
  record.restart_at_s = load_.since_start_s(restart_at_);
  if (!restarted) {
    record.error = "restart: " + restarted.error().message;
  } else if (auto effect = wait_for_mode(probe, mode_, restart_at_, clock_); !effect) {
    record.error = effect.error().message;
  } else {
    record.effect_s = std::chrono::duration<double>(effect.value()).count();
  }
  load_.set_maintenance_expected(mode_ == ServedMode::maintenance);
  load_.mark_phase(fmt::format("after-toggle-{}", index_));
  load_.record_toggle(record);
  return record;
}

}  // namespace mepsim::load
