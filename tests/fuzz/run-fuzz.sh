#!/bin/sh
# Run a fuzz replay binary (fuzz_NAME) over tests/fuzz/seeds/NAME.
bin=$1
name=$(basename "$bin")
name=${name#fuzz_}
exec "$bin" "$(dirname "$0")/seeds/$name"
