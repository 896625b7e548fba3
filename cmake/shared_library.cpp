// libordertrail.so is made of the whole ordertrail_core and ordertrail_import
// archives (CMakeLists.txt); CMake needs one source of its own for the target.
