#include "harness/rehearsal/container_metrics.h"

#include <charconv>
#include <map>
#include <string>

#include "harness/topology/topology.h"
#include "sim/net/http_client.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim {
namespace {

using nlohmann::json;

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::uint64_t value = 0;
};

// `name{k="v",…} value`; route labels hold spaces and braces, so quotes are honoured.
std::optional<Sample> parse_sample(std::string_view line) {
  Sample sample;
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const auto eq = line.find("=\"", i);
      if (eq == std::string_view::npos) return std::nullopt;
      const std::string key(line.substr(i, eq - i));
      std::string value;
      std::size_t j = eq + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size()) ++j;
        value.push_back(line[j]);
      }
      if (j >= line.size()) return std::nullopt;
      sample.labels[key] = std::move(value);
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    ++i;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  const auto text = line.substr(i);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sample.value);
  if (ec != std::errc() || sample.name.empty()) return std::nullopt;
  return sample;
}

void add_sample(ContainerFigures& f, const Sample& s) {
  if (s.name == "mepsim_web_requests_total") {
    const auto& route = s.labels.count("route") != 0 ? s.labels.at("route") : std::string();
    if (route != "GET /_mepsim/health" && route != "GET /metrics") {
      f.requests += s.value;
      const auto status = s.labels.find("status");
      f.requests_by_status[status != s.labels.end() ? status->second : "other"] += s.value;
    }
  } else if (s.name == "mepsim_web_session_reads_total") {
    f.session_reads += s.value;
  } else if (s.name == "mepsim_web_session_writes_total") {
    f.session_writes += s.value;
  } else if (s.name == "mepsim_web_cache_requests_total") {
    const bool app = s.labels.count("pool") != 0 && s.labels.at("pool") == "app";
    const bool hit = s.labels.count("result") != 0 && s.labels.at("result") == "hit";
    auto& counter = app ? (hit ? f.app_cache_hits : f.app_cache_misses)
                        : (hit ? f.system_cache_hits : f.system_cache_misses);
    counter += s.value;
  }
}

json pool_json(std::uint64_t hits, std::uint64_t misses) {
  const std::uint64_t lookups = hits + misses;
  return {
      {"hits", hits},
      {"misses", misses},
      {"hit_ratio", lookups == 0 ? json(nullptr)
                                 : json(static_cast<double>(hits) / static_cast<double>(lookups))}};
}

}  // namespace

ContainerFigures& ContainerFigures::operator+=(const ContainerFigures& o) {
  requests += o.requests;
  session_reads += o.session_reads;
  session_writes += o.session_writes;
  app_cache_hits += o.app_cache_hits;
  app_cache_misses += o.app_cache_misses;
  system_cache_hits += o.system_cache_hits;
  system_cache_misses += o.system_cache_misses;
  for (const auto& [status, count] : o.requests_by_status) requests_by_status[status] += count;
  return *this;
}

ContainerFigures parse_container_metrics(std::string_view text) {
  ContainerFigures figures;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    if (auto sample = parse_sample(line)) add_sample(figures, *sample);
  }
  return figures;
}

json figures_json(const ContainerFigures& f) {
  return {{"requests", f.requests},
          {"sessions", {{"reads", f.session_reads}, {"writes", f.session_writes}}},
          {"cache",
           {{"app", pool_json(f.app_cache_hits, f.app_cache_misses)},
            {"system", pool_json(f.system_cache_hits, f.system_cache_misses)}}}};
}

json measure_web_containers(Topology& topology) {
  constexpr auto kScrapeTimeout = std::chrono::seconds(1);
  json apps = json::object();
  ContainerFigures total;
  for (const auto& app : topology.platform().apps()) {
    auto containers = topology.platform().containers(app.name);
    if (!containers) continue;
    ContainerFigures figures;
    int read = 0;
    int unreachable = 0;
    for (const auto& container : containers.value()) {
      if (container.type != "web") continue;
      const auto port = topology.processes().port_of(container.runtime_id);
      if (port == 0) continue;
      HttpExchange scrape;
      scrape.url = {"127.0.0.1", port, "/metrics"};
      scrape.timeout = kScrapeTimeout;
      auto reply = http_exchange(scrape);
      if (!reply || reply->status != 200) {
        ++unreachable;
        continue;
      }
      figures += parse_container_metrics(reply->body);
      ++read;
    }
    total += figures;
    json entry = figures_json(figures);
    entry["containers"] = read;
    entry["unreachable"] = unreachable;
    apps[app.name] = std::move(entry);
  }
  return {{"source",
           "GET /metrics of every running web container; counters start again at zero when a "
           "container restarts"},
          {"apps", std::move(apps)},
          {"total", figures_json(total)}};
}

}  // namespace mepsim
