# Install rules: headers, libraries, the command, data files, the CMake package
# (find_package(vigil) -> vigil::vigil, vigil::vigil_c) and pkg-config's vigil.pc (the C ABI).
include(CMakePackageConfigHelpers)

set(VIGIL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/vigil CACHE STRING "where vigilConfig.cmake goes")
set(VIGIL_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/vigil CACHE STRING "where plans and calendars go")

# Headers: the C++ API (vigil/*.hpp, vigil/detail/) and the C ABI (vigil/vigil.h).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vigil
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT vigil_development
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")

# Libraries. vigil is static unless BUILD_SHARED_LIBS: a static vigil carries its private
# dependencies (Boost.JSON, libcrypto) as link-only requirements, which the config re-finds.
set(_vigil_targets vigil)
if(TARGET vigil_c)
  list(APPEND _vigil_targets vigil_c)
endif()
install(TARGETS ${_vigil_targets}
        EXPORT vigilTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil_runtime
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_runtime NAMELINK_COMPONENT vigil_development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET vigil_cli)
  install(TARGETS vigil_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil_runtime)
endif()

# Data: the plans and calendars the library embeds, as files (to read, diff, or load edited copies).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/
        DESTINATION ${VIGIL_INSTALL_DATADIR}
        COMPONENT vigil_runtime
        FILES_MATCHING PATTERN "*.json" PATTERN "*.csv")

# The CMake package.
install(EXPORT vigilTargets
        NAMESPACE vigil::
        DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
        COMPONENT vigil_development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vigilConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/vigilConfig.cmake
                              INSTALL_DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
                              PATH_VARS VIGIL_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vigilConfig.cmake ${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
        DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
        COMPONENT vigil_development)

# pkg-config, for C users of the C ABI: cc prog.c $(pkg-config --cflags --libs vigil)
if(TARGET vigil_c)
  # Relocatable: the prefix is found from where vigil.pc is (cmake --install --prefix elsewhere works).
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(VIGIL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  else()
    file(RELATIVE_PATH _up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
    string(REGEX REPLACE "/$" "" _up "${_up}")
    set(VIGIL_PC_PREFIX "\${pcfiledir}/${_up}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(VIGIL_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  else()
    set(VIGIL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(VIGIL_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  else()
    set(VIGIL_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  endif()
  if(IS_ABSOLUTE "${VIGIL_INSTALL_DATADIR}")
    set(VIGIL_PC_DATADIR "${VIGIL_INSTALL_DATADIR}")
  else()
    set(VIGIL_PC_DATADIR "\${prefix}/${VIGIL_INSTALL_DATADIR}")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/vigil.pc.in ${PROJECT_BINARY_DIR}/vigil.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/vigil.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
          COMPONENT vigil_development)
endif()
