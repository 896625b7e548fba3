# What `cmake --install` puts where (GNUInstallDirs), by component:
#
#   dev   headers, libordertrail.a + libordertrail-import.a, the libordertrail.so
#         link, lib/cmake/ordertrail (find_package), lib/pkgconfig/ordertrail.pc
#   lib   libordertrail.so.X.Y (the shared library's runtime file)
#   cli   share/ordertrail: the JSON Schemas and the market policies
#         (the commands, man pages and completions: not yet; their install
#         rules are on branch `cli`, issue 19)
#
# A project that adds ordertrail with add_subdirectory installs nothing of it
# unless it sets ORDERTRAIL_INSTALL.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

option(ORDERTRAIL_INSTALL "Install ordertrail's libraries, headers and data" ${PROJECT_IS_TOP_LEVEL})
if(NOT ORDERTRAIL_INSTALL OR EMSCRIPTEN)
  return()
endif()

set(ORDERTRAIL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ordertrail")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/core/include/ordertrail" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT dev)

set(targets ordertrail_deps ordertrail_core ordertrail_import)
if(ORDERTRAIL_SHARED)
  list(APPEND targets ordertrail_shared)
endif()
# Exported as ordertrail::core, ordertrail::import, ordertrail::shared: the
# names the build tree's ALIAS targets give add_subdirectory users.
set_target_properties(ordertrail_deps PROPERTIES EXPORT_NAME deps)
set_target_properties(ordertrail_core PROPERTIES EXPORT_NAME core)
set_target_properties(ordertrail_import PROPERTIES EXPORT_NAME import)
if(ORDERTRAIL_SHARED)
  set_target_properties(ordertrail_shared PROPERTIES EXPORT_NAME shared)
endif()
install(TARGETS ${targets} EXPORT ordertrailTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT lib NAMELINK_COMPONENT dev
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT ordertrailTargets NAMESPACE ordertrail:: DESTINATION "${ORDERTRAIL_CMAKE_DIR}" COMPONENT dev)

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/ordertrailConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/ordertrailConfig.cmake" INSTALL_DESTINATION "${ORDERTRAIL_CMAKE_DIR}")
# Before 1.0 a minor release may change the API, so only the same X.Y matches.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ordertrailConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ordertrailConfig.cmake" "${PROJECT_BINARY_DIR}/ordertrailConfigVersion.cmake"
        DESTINATION "${ORDERTRAIL_CMAKE_DIR}" COMPONENT dev)

file(RELATIVE_PATH ORDERTRAIL_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" ORDERTRAIL_PC_UP "${ORDERTRAIL_PC_UP}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/ordertrail.pc.in" "${PROJECT_BINARY_DIR}/ordertrail.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/ordertrail.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT dev)

if(EXISTS "${PROJECT_SOURCE_DIR}/docs/schemas")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/schemas/" DESTINATION "${CMAKE_INSTALL_DATADIR}/ordertrail/schemas"
          COMPONENT cli FILES_MATCHING PATTERN "*.json")
endif()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/policies/" DESTINATION "${CMAKE_INSTALL_DATADIR}/ordertrail/policies"
        COMPONENT cli FILES_MATCHING PATTERN "*.json")
