#pragma once
// The replica of the Histologe web app behind one container's HTTP server: the firewall
// (session, remember-me, API token), the maintenance listener, rate limits, the routes,
// and the failures the real app shows (500 and a Sentry event for an unhandled error,
// 503 when a datastore is down). `handle` is called from several threads at once.

#include <memory>

#include "sim/core/clock.h"
#include "sim/web/app_context.h"
#include "sim/web/http_server.h"
#include "sim/web/web_config.h"

namespace mepsim::web {

class WebApp {
 public:
  WebApp(WebConfig config, Clock& clock);
  Response handle(const Request& request);
  AppContext& context() { return *context_; }

 private:
  std::unique_ptr<AppContext> context_;
};

}  // namespace mepsim::web
