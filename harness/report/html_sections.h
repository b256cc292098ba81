#pragma once
// The parts of a scenario's section in the HTML report, each a fragment of markup where all
// data is escaped. `slug` is the scenario's id-safe name ("scenario-<slug>").

#include <string>

#include "harness/report/run_report.h"

namespace mepsim::report {

// <table class="steps" id="steps-<slug>">, a <tr class="step pass|fail"> per step.
std::string steps_table(const ScenarioReport& scenario, const std::string& slug);

// <table class="violations" id="violations-<slug>">, a <tr class="violation …"
// data-rule="…"> per violation found and per expected one missing.
std::string violations_table(const ScenarioReport& scenario, const std::string& slug);

// Loads, faults used and measurements; empty when the scenario has none.
std::string extras_html(const ScenarioReport& scenario);

// "250 ms", "12.5 s", "3 min 20 s", "2 h 05 min".
std::string format_duration(Duration d);

}  // namespace mepsim::report
