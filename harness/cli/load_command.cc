#include "harness/cli/load_command.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/cli/ci_command.h"
#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/cli/load_dashboard.h"
#include "harness/cli/toggle_preset.h"
#include "harness/dashboard/load_seconds.h"
#include "harness/load/load_generator.h"
#include "harness/report/run_report.h"
#include "harness/scalingo_cli/scalingo_config.h"
#include "harness/scenario/duration_text.h"
#include "sim/datastore/datastore_url.h"
#include "sim/net/http_client.h"

namespace mepsim {
namespace load_cli {
namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_input, std::move(message));
}

// APP_URL_HISTOLOGE_STAGING for histologe-staging, as `mepsim up` names them.
std::string app_url_key(std::string_view app) {
  std::string key = "APP_URL_";
  for (const char c : app) {
    key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

}  // namespace

Result<std::map<scenario::UserClass, double>> parse_mix(std::string_view text) {
  std::map<scenario::UserClass, double> mix;
  while (!text.empty()) {
    const auto comma = std::min(text.find(','), text.size());
    const std::string_view item = text.substr(0, comma);
    text.remove_prefix(std::min(comma + 1, text.size()));
    const auto sep = item.find_first_of("=:");
    if (sep == std::string_view::npos)
      return invalid(fmt::format("--mix: '{}' is not class=percent", item));
    const auto c = load::class_from_name(item.substr(0, sep));
    if (!c) {
      return invalid(
          fmt::format("--mix: '{}' is not a class (anonymous, usager, partner, admin, api)",
                      item.substr(0, sep)));
    }
    const std::string_view number = item.substr(sep + 1);
    double percent = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
    if (ec != std::errc() || end != number.data() + number.size() || percent < 0) {
      return invalid(fmt::format("--mix: '{}' is not a percentage", number));
    }
    mix[*c] += percent;
  }
  return mix;
}

// The mixed load of the maintenance-toggle test when --mix is not given: every class, the
// logged-in ones (partners, admins) enough to measure their sessions.
constexpr std::string_view kToggleMix = "anonymous=45,usager=10,partner=25,admin=15,api=5";

Result<load::LoadOptions> load_options_of(const LoadCommandOptions& o) {
  if (o.target.has_value() == o.app.has_value()) return invalid("give one of --target and --app");
  if (o.preset) {
    if (*o.preset != "maintenance-toggle") {
      return invalid(fmt::format("--preset: '{}' is not a preset (maintenance-toggle)", *o.preset));
    }
    if (!o.app) return invalid("--preset maintenance-toggle: needs --app (an app of `mepsim up`)");
    if (o.duration) {
      return invalid("--preset maintenance-toggle: its length is its toggles' (--toggles, --hold)");
    }
    if (o.closed || o.path) return invalid("--preset maintenance-toggle: an open-loop mixed load");
    if (o.toggle_cycles < 1 || o.toggle_cycles > 100) return invalid("--toggles: 1 to 100 cycles");
  }
  load::LoadOptions out;
  if (o.name) {
    if (!dashboard::valid_load_name(*o.name)) {
      return invalid("--name: 1 to 64 of the characters A-Z a-z 0-9 . _ -");
    }
    out.name = *o.name;
  }
  std::map<std::string, std::string> env;
  const bool env_file_read = o.app || std::filesystem::exists(o.env_file);
  if (env_file_read) {
    auto entries = ci_cli::read_env_file(o.env_file);
    if (!entries) return entries.error();
    env = std::move(entries).value();
  }
  if (o.app) {
    const auto key = app_url_key(*o.app);
    const auto found = env.find(key);
    if (found == env.end()) return invalid(fmt::format("--app: {} has no {}", o.env_file, key));
    out.target_url = found->second;
    out.app = *o.app;
  } else {
    out.target_url = *o.target;
  }
  if (const auto p = env.find("MEPSIM_FIXTURE_PASSWORD"); p != env.end()) {
    out.password = p->second;
  } else if (auto from_env = process_env("MEPSIM_FIXTURE_PASSWORD")) {
    out.password = *from_env;
  }
  out.rate_per_s = o.rate_per_s;
  out.ramp_to_rate_per_s = o.ramp_to_rate_per_s;
  out.closed = o.closed;
  out.connections = o.connections;
  out.threads = o.threads;
  out.fixed_path = o.path;
  out.seed = o.seed;
  if (o.duration) {
    auto d = scenario::parse_duration(*o.duration);
    if (!d) return d.error().context("--duration");
    out.duration = d.value();
  }
  if (o.think_time) {
    auto d = scenario::parse_duration(*o.think_time);
    if (!d) return d.error().context("--think-time");
    out.think_time = d.value();
  }
  const std::string_view mix_text = o.mix.empty() && o.preset ? kToggleMix : o.mix;
  if (!mix_text.empty()) {
    auto mix = parse_mix(mix_text);
    if (!mix) return mix.error();
    out.mix_percent = std::move(mix).value();
  }
  if (auto valid = load::validate(out); !valid) return valid.error();
  return out;
}

std::string progress_line(const load::LoadReport& r) {
  std::int64_t server_errors = 0;
  for (const auto& [code, n] : r.total.status) server_errors += code >= 500 ? n : 0;
  std::int64_t transport = 0;
  for (const auto& [kind, n] : r.total.errors) transport += n;
  return fmt::format(
      "{:6.1f} s  {} req  {:.0f} req/s  p99 {:.1f} ms  5xx {}  errors {}  lost sessions {}",
      r.duration_s, r.total.requests,
      r.duration_s > 0 ? static_cast<double>(r.total.requests) / r.duration_s : 0.0,
      r.total.latency.percentile_ms(99), server_errors, transport, r.sessions.unexpected_losses);
}

}  // namespace load_cli

namespace {

// SIGINT/SIGTERM are blocked in every thread (main.cc): a pending one is taken here.
bool shutdown_requested() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) != 0) return false;
  if (sigismember(&pending, SIGINT) != 1 && sigismember(&pending, SIGTERM) != 1) return false;
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGINT);
  sigaddset(&wanted, SIGTERM);
  int signal_number = 0;
  sigwait(&wanted, &signal_number);
  return true;
}

// Answers 5xx (maintenance's 503s among them) and transport errors in a tally's JSON.
std::pair<std::int64_t, std::int64_t> failures_of(const nlohmann::json& tally) {
  std::pair<std::int64_t, std::int64_t> n{0, 0};
  // Named: a range-for over value(…).items() would iterate a destroyed temporary.
  const auto status = tally.value("status", nlohmann::json::object());
  for (const auto& [code, count] : status.items()) {
    if (!code.empty() && code[0] == '5') n.first += count.get<std::int64_t>();
  }
  const auto errors = tally.value("errors", nlohmann::json::object());
  for (const auto& [kind, count] : errors.items()) {
    n.second += count.get<std::int64_t>();
  }
  return n;
}

// The preset's toggles run beside the progress loop; Ctrl-C stops both.
class PresetThread {
 public:
  PresetThread(load_cli::TogglePreset preset, scalingo_cli::ScalingoConfig config,
               load::LoadGenerator& load, Clock& clock)
      : api_(std::move(config)), thread_([this, preset, &load, &clock] {
          result_ = load_cli::run_toggle_preset(preset, load, api_, clock,
                                                [this] { return stop_.load(); });
          done_ = true;
        }) {}
  ~PresetThread() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool done() const { return done_; }
  void request_stop() { stop_ = true; }
  Result<void> join() {
    if (thread_.joinable()) thread_.join();
    return result_;
  }

 private:
  scalingo_cli::ApiClient api_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  Result<void> result_;
  std::thread thread_;  // last: starts once the members it uses exist
};

Result<std::unique_ptr<PresetThread>> start_preset(const LoadCommandOptions& o,
                                                   const load::LoadOptions& settings,
                                                   load::LoadGenerator& load, Clock& clock) {
  auto env = ci_cli::read_env_file(o.env_file);
  if (!env) return env.error();
  auto config = scalingo_cli::scalingo_config_from_env(
      [&](std::string_view name) -> std::optional<std::string> {
        const auto found = env->find(std::string(name));
        if (found == env->end()) return std::nullopt;
        return found->second;
      });
  if (!config) return config.error().context(o.env_file);
  auto hold = scenario::parse_duration(o.hold);
  if (!hold) return hold.error().context("--hold");
  auto url = parse_http_url(settings.target_url);
  if (!url) return url.error().context("the app's URL");
  load_cli::TogglePreset preset;
  preset.app = *o.app;
  preset.cycles = o.toggle_cycles;
  preset.hold = hold.value();
  preset.router_port = url->port;
  return std::make_unique<PresetThread>(preset, std::move(config).value(), load, clock);
}

std::string html_of(const load::LoadReport& r, const nlohmann::json& json) {
  report::RunReport run;
  run.tool_version = "mepsim load";
  report::ScenarioReport scenario;
  scenario.name = r.name;
  scenario.description =
      fmt::format("{} on {}", r.closed ? "closed loop" : "open loop", r.target_url);
  scenario.wall_s = r.duration_s;
  scenario.series = load::to_series(r);
  scenario.loads.push_back({r.name, json});
  run.scenarios.push_back(std::move(scenario));
  return report::to_html(run);
}

// One line per toggle and the sessions verdict, after the run's line.
void print_toggles(const nlohmann::json& report) {
  const auto value_text = [](const nlohmann::json& v, const char* format_unit) {
    return v.is_number() ? fmt::format("{:.2f} {}", v.get<double>(), format_unit)
                         : std::string("-");
  };
  for (const auto& t : report.value("toggles", nlohmann::json::array())) {
    const auto& during =
        t.contains("during") && t["during"].is_object() ? t["during"] : nlohmann::json::object();
    const auto [status_5xx, transport] = failures_of(during);
    const auto p99 = during.contains("latency_ms")
                         ? during["latency_ms"].value("p99", nlohmann::json())
                         : nlohmann::json();
    fmt::print(
        "{:<24} effect {:>9}  p99 {:>10}  5xx {:>4}  transport errors {:>3}  cache back {}\n",
        t.value("phase", ""), value_text(t.value("effect_s", nlohmann::json()), "s"),
        value_text(p99, "ms"), status_5xx, transport,
        value_text(t.value("cache_recovery_s", nlohmann::json()), "s"));
  }
  const auto m = report.value("maintenance", nlohmann::json::object());
  if (!m.is_object()) return;
  fmt::print(
      "admins: {} sessions, {} lost (retention {}); non-admins: {} logged out in maintenance, {} "
      "logged in again; lost writes: {}\n",
      m.value("admin_sessions", 0), m.value("admin_sessions_lost", 0),
      value_text(m.value("admin_session_retention", nlohmann::json()), ""),
      m.value("non_admin_logouts_in_maintenance", 0), m.value("non_admin_relogins", 0),
      report["writes"].value("lost", nlohmann::json()).dump());
}

}  // namespace

int run_load(const LoadCommandOptions& options) {
  auto settings = load_cli::load_options_of(options);
  if (!settings) {
    fmt::print(stderr, "mepsim load: {}\n", settings.error().message);
    return exit_code::bad_input;
  }
  RealClock clock;
  auto started = load::LoadGenerator::start(settings.value(), clock, nullptr);
  if (!started) {
    fmt::print(stderr, "mepsim load: {}\n", started.error().message);
    return exit_code_for(started.error());
  }
  auto& gen = *started.value();
  std::unique_ptr<PresetThread> preset;
  if (options.preset) {
    auto begun = start_preset(options, settings.value(), gen, clock);
    if (!begun) {
      gen.stop();
      fmt::print(stderr, "mepsim load: {}\n", begun.error().message);
      return exit_code_for(begun.error());
    }
    preset = std::move(begun).value();
  }
  auto live = load_cli::LoadDashboard::start(options, settings.value(), gen, clock);
  if (!live) {
    // The dashboard is a view of the load, never a reason to stop it.
    fmt::print(stderr, "mepsim load: not posting to the dashboard: {}\n", live.error().message);
    live = std::unique_ptr<load_cli::LoadDashboard>();
  }
  const bool terminal = isatty(STDERR_FILENO) == 1;
  int ticks = 0;
  while (!gen.finished() && !(preset && preset->done())) {
    if (shutdown_requested()) {
      if (preset) preset->request_stop();
      break;
    }
    clock.sleep(std::chrono::milliseconds(250));
    if (live.value()) live.value()->tick();
    if (terminal && ++ticks % 4 == 0) {
      fmt::print(stderr, "\r\033[K{}", load_cli::progress_line(gen.report()));
      std::fflush(stderr);
    }
  }
  Result<void> toggled = preset ? preset->join() : Result<void>{};
  gen.stop();
  if (terminal) fmt::print(stderr, "\r\033[K");
  std::optional<std::string> database = options.database_url;
  if (!database && options.app == "histologe" && std::filesystem::exists(options.env_file)) {
    // The env file's DATABASE_URL is the first app's, histologe in the default profile.
    if (auto env = ci_cli::read_env_file(options.env_file); env && env->contains("DATABASE_URL")) {
      database = env->at("DATABASE_URL");
    }
  }
  if (database) {
    auto url = parse_mysql_url(*database);
    auto checked =
        url ? gen.check_lost_writes(url.value()) : Result<load::LostWritesCheck>(url.error());
    if (!checked)
      fmt::print(stderr, "mepsim load: lost writes not checked: {}\n", checked.error().message);
  }
  const auto report = gen.report();
  auto json = load::to_json(report);
  if (live.value()) {
    const auto posted = live.value()->finish();
    json["dashboard"] = live.value()->report_json(posted);
    if (posted.dropped > 0) {
      fmt::print(stderr, "mepsim load: dashboard: {} of {} seconds not delivered{}\n",
                 posted.dropped, posted.offered,
                 posted.last_error.empty() ? "" : " (" + posted.last_error + ")");
    }
  }
  if (options.json_file && *options.json_file == "-") {
    fmt::print("{}\n", json.dump(2));
  } else {
    fmt::print("{}\n", load_cli::progress_line(report));
    if (options.json_file) {
      if (auto written = cli::write_output_file(*options.json_file, json.dump(2)); !written) {
        fmt::print(stderr, "mepsim load: {}\n", written.error().message);
        return exit_code::failure;
      }
    }
  }
  if (options.html_file) {
    if (auto written = cli::write_output_file(*options.html_file, html_of(report, json));
        !written) {
      fmt::print(stderr, "mepsim load: {}\n", written.error().message);
      return exit_code::failure;
    }
  }
  if (!toggled) {
    fmt::print(stderr, "mepsim load: maintenance toggles: {}\n", toggled.error().message);
    return exit_code::failure;
  }
  if (preset) print_toggles(json);
  return exit_code::ok;
}

CLI::App* add_load_command(CLI::App& app, LoadCommandOptions& o) {
  auto* load = app.add_subcommand(
      "load", "Send a load of virtual users (anonymous, usager, partner, admin, api) to an app");
  load->add_option("--target", o.target, "The app's router URL (http://127.0.0.1:PORT)");
  load->add_option("--app", o.app, "An app of `mepsim up`: its URL from the env file");
  load->add_option("--env-file", o.env_file, "The env file `mepsim up` wrote")
      ->capture_default_str();
  load->add_option("--rate", o.rate_per_s, "Open loop: arrivals per second")->capture_default_str();
  load->add_option("--ramp-to", o.ramp_to_rate_per_s, "Ramp linearly to this rate over --duration");
  load->add_flag("--closed", o.closed, "Closed loop: --connections requests back to back");
  load->add_option("--connections", o.connections, "Keep-alive connections")->capture_default_str();
  load->add_option("--threads", o.threads, "Generator threads")->capture_default_str();
  load->add_option("--duration", o.duration, "30s, 2m… (absent: until Ctrl-C)");
  load->add_option("--mix", o.mix, "Classes in percent: anonymous=70,partner=20,admin=10");
  load->add_option("--path", o.path, "GET this path only, anonymously (no flows)");
  load->add_option("--think-time", o.think_time,
                   "Between a user's requests, every class (default: 10s, usagers 20s, api 2s)");
  load->add_option("--json", o.json_file, "Write the JSON report to this file (- for stdout)");
  load->add_option("--html", o.html_file, "Write an HTML report with the per-second charts");
  load->add_option("--database-url", o.database_url,
                   "Look the accepted reports up in this MySQL (default with --app histologe: "
                   "the env file's DATABASE_URL)");
  load->add_option("--seed", o.seed, "Which user does what")->capture_default_str();
  load->add_option("--preset", o.preset,
                   "maintenance-toggle: a mixed load while the banner and maintenance are toggled "
                   "(variables set, then restart) --toggles times over");
  load->add_option("--toggles", o.toggle_cycles,
                   "With the preset: cycles of banner, maintenance, live")
      ->capture_default_str();
  load->add_option("--hold", o.hold, "With the preset: load between toggles")
      ->capture_default_str();
  load->add_option("--name", o.name,
                   "The load's name in its report and on the dashboard (default: <app>-<pid>)");
  load->add_flag("--no-dashboard", o.no_dashboard,
                 "Post nothing to the dashboard of the `mepsim up` the load targets");
  return load;
}

}  // namespace mepsim
