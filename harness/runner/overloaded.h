#pragma once
// std::visit over a step's or an expectation's alternatives with one lambda per kind.

namespace mepsim::runner {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace mepsim::runner
