#pragma once
// The dashboard's page: one self-contained HTML document (inline style and script, no URL
// but its own feed), the same for a live topology and a finished run's report. Its source
// is harness/dashboard/dashboard_page.html, compiled in.

#include <string_view>

namespace mepsim::dashboard {

std::string_view dashboard_page();

}  // namespace mepsim::dashboard
