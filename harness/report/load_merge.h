#pragma once
// The load reports' half of `mepsim report merge` (report_merge.h says what it does). It
// works on the JSON that `mepsim load --json` writes, field by field, so that a report
// from another machine is read strictly and every fault names its field.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/report/merge_fields.h"
#include "harness/report/run_report.h"

namespace mepsim::report::merge {

// The merged load report, in the same shape as each input, with a `merge` object
// (files, percentiles_upper_bound). Throws FieldError. `notes` gets what was not merged
// exactly.
json merge_load_reports(const std::vector<Part>& documents, std::vector<std::string>& notes);

// What the HTML writer draws for a merged load report (as merge_load_reports wrote it): one
// scenario holding its per-second series and its figures, as `mepsim load --html` draws one.
RunReport load_run_model(const json& load_report);

}  // namespace mepsim::report::merge
