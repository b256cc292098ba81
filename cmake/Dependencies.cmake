# Every dependency comes from Debian 12's packages (scripts/install-deps lists them).
# Three of them ship no CMake package: they get imported targets here, so that the
# rest of the build links against `mepsim::<name>` and never spells flags by hand.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)            # Asio and Beast are header-only
find_package(OpenSSL REQUIRED)               # SHA-256 for event-log fingerprints
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(ZLIB REQUIRED)                  # the Sentry fake inflates gzip request bodies

# cpp-httplib 0.11 is packaged as a shared library whose feature macros
# (CPPHTTPLIB_OPENSSL_SUPPORT, …) live only in its .pc: compiling without them
# gives a class layout different from the library's.
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
add_library(mepsim::httplib ALIAS PkgConfig::CPP_HTTPLIB)
add_library(mepsim::hiredis ALIAS PkgConfig::HIREDIS)

# mysql-connector-c++ 1.1 has neither CMake nor pkg-config files.
find_path(MYSQLCPPCONN_INCLUDE_DIR cppconn/driver.h REQUIRED)
find_library(MYSQLCPPCONN_LIBRARY mysqlcppconn REQUIRED)
add_library(mepsim_mysqlcppconn INTERFACE)
target_include_directories(mepsim_mysqlcppconn SYSTEM INTERFACE ${MYSQLCPPCONN_INCLUDE_DIR})
target_link_libraries(mepsim_mysqlcppconn INTERFACE ${MYSQLCPPCONN_LIBRARY})
add_library(mepsim::mysqlcppconn ALIAS mepsim_mysqlcppconn)

# Boost 1.74's Asio uses std::exchange without including <utility>; GCC 12 in C++20
# no longer brings it in transitively.
add_library(mepsim_asio INTERFACE)
target_link_libraries(mepsim_asio INTERFACE Boost::headers Threads::Threads)
target_compile_options(mepsim_asio INTERFACE -include utility)
target_compile_definitions(mepsim_asio INTERFACE BOOST_ASIO_NO_DEPRECATED)
add_library(mepsim::asio ALIAS mepsim_asio)
