# Debian packages by CPack (`cpack -G DEB` in a build folder), one per
# component, each package's Depends computed by dpkg-shlibdeps from what its
# binaries really link:
#
#   ordertrail          cli     the JSON Schemas and policies (/usr/bin/ordertrail,
#                               its man page and completions: branch `cli`, issue 19)
#   ordertrail-serve    serve   /usr/bin/ordertrail-serve (branch `cli`, issue 19)
#   libordertrail0.2    lib     the shared library
#   libordertrail-dev   dev     headers, static libraries, CMake and pkg-config files
#   python3-ordertrail  python  the Python module (when ORDERTRAIL_PYTHON is on)
include_guard(GLOBAL)
if(EMSCRIPTEN OR NOT ORDERTRAIL_INSTALL)
  return()
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ordertrail)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "The ordertrail authors")
set(CPACK_PACKAGE_CONTACT "The ordertrail authors <ordertrail@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Order-lifecycle engine for social-commerce marketplaces")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(components cli serve lib dev)
if(ORDERTRAIL_PYTHON)
  list(APPEND components python)
endif()
set(CPACK_COMPONENTS_ALL ${components})

set(CPACK_DEBIAN_CLI_PACKAGE_NAME ordertrail)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_CLI_DESCRIPTION "ordertrail command: order status, deadlines, decisions, sweeps and metrics\nAnswers, for a social-commerce order at an instant, its status, who may cancel\nit, what the seller and the buyer must do by when, and whether a refund is owed.")
# The OS tz database serves `ordertrail policy check` only.
set(CPACK_DEBIAN_CLI_PACKAGE_SUGGESTS tzdata)

set(CPACK_DEBIAN_SERVE_PACKAGE_NAME ordertrail-serve)
set(CPACK_DEBIAN_SERVE_PACKAGE_SECTION net)
set(CPACK_COMPONENT_SERVE_DESCRIPTION "ordertrail order service on SQLite\nThe HTTP service behind `ordertrail serve`.")
set(CPACK_COMPONENT_SERVE_DEPENDS cli)

set(CPACK_DEBIAN_LIB_PACKAGE_NAME "libordertrail${ORDERTRAIL_SOVERSION}")
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_COMPONENT_LIB_DESCRIPTION "ordertrail core, shared library\nThe order-lifecycle engine as libordertrail.so.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libordertrail-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The public headers include <date/date.h>.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS libhowardhinnant-date-dev)
set(CPACK_COMPONENT_DEV_DEPENDS lib)
set(CPACK_COMPONENT_DEV_DESCRIPTION "ordertrail core, development files\nHeaders, static libraries, CMake package and pkg-config file.")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-ordertrail)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS python3)
set(CPACK_DEBIAN_PYTHON_PACKAGE_RECOMMENDS "python3-dask, python3-distributed")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION "ordertrail for Python and Dask\nThe ordertrail core as a Python module, with Dask sweeps and metrics.")

include(CPack)
