// One-off containers. `POST /v1/apps/{app}/run {command, env, size, detached}` answers
// {"container":{…,"type":"one-off","state":"booting","attach_url":…},"operation_url":…,
// "attach_url":…} with the operation URL in Location too (the Go client reads it there,
// older clients read attach_url at the top, the npm client inside `container`).
//
// The attach URL is a capability (no bearer token), like the real one:
// - `GET {attach_url}/wait` blocks until the container exits, then answers
//   {"exit_code":N}, as the CLI reads it after an attached run. The wait is bounded in
//   real time (408 when it runs out) and so is the number of concurrent waits (429).
// - `GET {attach_url}/output` (a mepsim extension): the container's output so far, as
//   text, since the fake does not serve the interactive CONNECT stream.

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"
#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

void run(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto request_run = read_run(body, errors, ex.notes);
  if (!request_run) return reply_field_errors(ex, errors);
  auto started = ctx.platform.run(app.name, request_run->command, request_run->env,
                                  request_run->size, request_run->detached);
  if (!started) return reply_platform_error(ex, started.error(), "app");
  const std::string attach = ctx.attach_url(started->id);
  const std::string operation = ctx.operation_url(app.name, started->id);
  ex.res.set_header("Location", operation);
  reply_json(ex, 200,
             {{"container", one_off_json(*started, attach)},
              {"operation_url", operation},
              {"attach_url", attach}});
}

// The one-off the attach URL names, or nullopt after answering 404. The signature is
// checked first; the journal never sees it (the routes' secret_group).
std::optional<platform::OneOff> attached(ApiContext& ctx, Exchange& ex) {
  const std::string id = ex.param(1);
  if (!ctx.attach_signature_valid(id, ex.param(2))) {
    reply_not_found(ex, "container");
    return std::nullopt;
  }
  auto found = ctx.platform.one_off(id);
  if (!found) {
    reply_not_found(ex, "container");
    return std::nullopt;
  }
  return std::move(found).value();
}

// Counts a waiter in and out, so that blocked waits cannot take every server thread.
class WaitSlot {
 public:
  explicit WaitSlot(ApiContext& ctx) : ctx_(ctx) {
    taken_ = ctx_.one_off_waits.fetch_add(1) < ctx_.one_off_waits_max;
  }
  ~WaitSlot() { ctx_.one_off_waits.fetch_sub(1); }
  WaitSlot(const WaitSlot&) = delete;
  WaitSlot& operator=(const WaitSlot&) = delete;
  bool taken() const { return taken_; }

 private:
  ApiContext& ctx_;
  bool taken_ = false;
};

void wait_for_exit(ApiContext& ctx, Exchange& ex) {
  const auto found = attached(ctx, ex);
  if (!found) return;
  const WaitSlot slot(ctx);
  if (!slot.taken()) {
    ex.res.set_header("Retry-After", "1");
    return reply_json(ex, 429, {{"error", "too many one-off waits in progress"}});
  }
  const std::string id = found->id;
  const auto exited = [&] {
    auto now = ctx.platform.one_off(id);
    return !now || now->state == platform::OneOffState::exited;
  };
  // Woken by every platform change, and by stop() so that a wait never holds it up.
  ctx.platform.wait_until([&] { return ctx.stopping.load() || exited(); }, ctx.one_off_wait_max);
  auto last = ctx.platform.one_off(id);
  if (!last) return reply_not_found(ex, "container");
  if (last->state != platform::OneOffState::exited) {
    if (ctx.stopping.load()) return reply_json(ex, 503, {{"error", "the API is stopping"}});
    // 408, as the platform answers an attachment it cuts: the CLI prints its idle-timeout
    // notice on it.
    return reply_json(ex, 408, {{"error", "the one-off container is still running"}});
  }
  reply_json(ex, 200, {{"exit_code", last->exit_code}});
}

void get_attached_output(ApiContext& ctx, Exchange& ex) {
  const auto found = attached(ctx, ex);
  if (!found) return;
  reply_text(ex, 200, found->output);
}

}  // namespace

std::vector<Route> one_off_routes() {
  const std::string attach = "/one-off/" + std::string(kIdPattern) + "/" + std::string(kIdPattern);
  return {
      {"POST", std::string(kAppPattern) + "/run", Access::bearer, run},
      {"GET", attach + "/wait", Access::open, wait_for_exit, 2},
      {"GET", attach + "/output", Access::open, get_attached_output, 2},
  };
}

}  // namespace mepsim::fakes::scalingo
