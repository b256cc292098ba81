#include "harness/scenario/yaml_documents.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace mepsim::scenario::yaml {
namespace {

// Only where documents start matters; the nodes are built by YAML::Load afterwards.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

ScenarioDocuments read_documents(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts events;
  // Three documents tell all there is to know: whether a second one exists, and whether
  // the parser is stuck on the first or the second.
  while (events.starts.size() < 3 && parser.HandleNextDocument(events)) {
    const auto& starts = events.starts;
    if (starts.size() >= 2 && starts.back().pos == starts[starts.size() - 2].pos) {
      const auto at = static_cast<std::size_t>(starts.back().pos);
      const bool printable = at < text.size() && text[at] > ' ' && text[at] < 0x7f;
      throw YAML::ParserException(starts.back(),
                                  printable ? "unexpected '" + std::string(1, text[at]) + "'"
                                            : "the YAML reader cannot go past this point");
    }
  }
  ScenarioDocuments documents{YAML::Load(text), std::nullopt};
  if (events.starts.size() >= 2) documents.second_start = events.starts[1];
  return documents;
}

}  // namespace mepsim::scenario::yaml
