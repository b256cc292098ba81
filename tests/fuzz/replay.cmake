# Included by tests/CMakeLists.txt: each fuzz target's LLVMFuzzerTestOneInput built with the
# project's compiler against corpus_replay.cc, replaying its committed corpus as a unit test
# (`fuzz_corpus_<target>`), so that every run of the suite, sanitized or not, replays them.
function(mepsim_fuzz_replay target corpus)
  set(binary fuzz_replay_${target})
  add_executable(${binary} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${target}.cc
                           ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_replay.cc)
  target_link_libraries(${binary} PRIVATE ${ARGN})
  add_test(NAME fuzz_corpus_${target}
           COMMAND ${binary} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${corpus})
  set_tests_properties(fuzz_corpus_${target} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

mepsim_fuzz_replay(envelope_fuzz envelope mepsim_fakes ZLIB::ZLIB)
mepsim_fuzz_replay(scenario_fuzz scenario mepsim_harness)
mepsim_fuzz_replay(router_request_fuzz router_request mepsim_sim)
mepsim_fuzz_replay(web_request_fuzz web_request mepsim_sim)
mepsim_fuzz_replay(scalingo_body_fuzz scalingo_body mepsim_fakes)
