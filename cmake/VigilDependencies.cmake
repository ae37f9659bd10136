# Every dependency comes from Debian's packages (scripts/setup.sh installs them).
# Boost 1.81: JSON reads plans and inputs, system::result carries data errors,
#             Date_Time does dates and working days, Graph holds organisation charts.
find_package(Boost 1.81 REQUIRED COMPONENTS json)
# Microsoft GSL: gsl::span for batch columns, Expects/Ensures for contracts.
find_package(Microsoft.GSL CONFIG REQUIRED)
# OpenSSL libcrypto: SHA-256 for the event log's hash chain.
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
if(VIGIL_BUILD_CLI OR VIGIL_FUZZ)
  # CLI11: the vigil command's sub-commands, options and --help.
  find_package(CLI11 CONFIG REQUIRED)
endif()
