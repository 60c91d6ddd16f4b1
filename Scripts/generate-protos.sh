#!/usr/bin/env bash
# Regenerates Sources/MarginalRuns/TensorBoard/Generated/tensorboard_events.pb.swift from
# Protos/tensorboard_events.proto. The generated Swift is committed, so building and CI need
# neither protoc nor the plugin; run this only after changing the .proto.
#
# Needs protoc (Debian: apt-get install protobuf-compiler; 3.21.12 generated the committed file)
# and protoc-gen-swift from swift-protobuf 1.39.0 (the version Package.swift pins), built once
# outside the repo, e.g.:
#   mkdir /tmp/pgs && cd /tmp/pgs   # a package depending on
#   # .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0")
#   swift build -c release --product protoc-gen-swift
# and passed as PROTOC_GEN_SWIFT (default: /tmp/pgs/.build/release/protoc-gen-swift).
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-/tmp/pgs/.build/release/protoc-gen-swift}"
protoc --plugin=protoc-gen-swift="$plugin" \
  --proto_path=Protos \
  --swift_out=Sources/MarginalRuns/TensorBoard/Generated \
  --swift_opt=Visibility=Internal \
  tensorboard_events.proto
