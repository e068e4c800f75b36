// SPDX-License-Identifier: MIT
// A program outside pkgnote's tree that uses the installed libpkgnote: builds metadata and prints
// its payload, so the CMake package and pkgnote.pc are proven by a real compile, link and run.
#include <pkgnote/metadata.h>
#include <pkgnote/payload_json.h>

#include <iostream>

int main() {
  pkgnote::MetadataRequest request;
  request.type = "rpm";
  request.name = "consumer";
  request.version = "1,2";
  auto metadata = pkgnote::buildMetadata(request);
  if (!metadata) {
    std::cerr << metadata.error().message << '\n';
    return 1;
  }
  auto json = pkgnote::toPayloadJson(*metadata);
  if (!json) {
    std::cerr << json.error().message << '\n';
    return 1;
  }
  std::cout << *json << '\n';
  return 0;
}
