#pragma once
// SIGINT and SIGTERM end `mepsim up` in order: they are blocked in every thread from the
// start of main, and the main thread takes them with sigwait once the topology is up, so
// no handler runs at an arbitrary point. Children unblock them before exec.

namespace mepsim {

// Call first thing in main, before any thread exists: threads inherit the mask.
void block_shutdown_signals();
// Blocks until SIGINT or SIGTERM arrives; returns its number.
int wait_for_shutdown_signal();

}  // namespace mepsim
