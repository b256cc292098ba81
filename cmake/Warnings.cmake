# Warnings are errors for mepsim's own code; third-party headers come in as system
# headers (/usr/include) and do not trip them.
add_compile_options(
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wconversion -Wsign-conversion -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)

if(MEPSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer (the router's and the load generator's threads): a build of its own,
# since it cannot be combined with AddressSanitizer.
if(MEPSIM_TSAN)
  if(MEPSIM_SANITIZE)
    message(FATAL_ERROR "MEPSIM_TSAN and MEPSIM_SANITIZE are separate builds")
  endif()
  # GCC cannot instrument Asio's std::atomic_thread_fence and says so (-Wtsan): its queues
  # are under mutexes, which TSan sees, so the warning is not an error here.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()
