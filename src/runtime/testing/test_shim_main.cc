// drydock_test_shim: a test-only executable that is nothing but the shim, so
// that runtime tests can launch real tasks without the full drydock binary.
// Not part of the drydock_runtime library (src/CMakeLists.txt excludes
// *_main.cc under runtime/).
#include "runtime/real/shim.h"

int main(int argc, char** argv) { return drydock::runtime::RunShim(argc, argv); }
