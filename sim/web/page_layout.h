#pragma once
// The app's HTML pages: one layout (header with the user's menu, the maintenance banner,
// footer) around each page's content. The layout of each template is "compiled" once per
// process into the system cache, as Twig's compiled templates are: a restarted container
// starts with none.

#include <string>
#include <string_view>

#include "sim/web/app_context.h"
#include "sim/web/exchange.h"

namespace mepsim::web {

// Sets the exchange's response to the page; `status` 200 unless said.
void render_page(AppContext& app, Exchange& ex, std::string_view template_name,
                 std::string_view title, const std::string& content, int status = 200);

// The banner's markup for this request, or "" when it is not shown (FACTS.md: shown when
// MAINTENANCE_BANNER_ENABLE=1, unless dismissed by the `maintenanceBannerShow` cookie
// while maintenance is off).
std::string maintenance_banner(const WebConfig& config, const Exchange& ex);

}  // namespace mepsim::web
