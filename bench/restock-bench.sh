#!/usr/bin/env bash
# Runs the restock benchmark (bench/src, package io.restock.bench) against a freshly built service jar.
# Usage: bench/restock-bench.sh [options]   (see: bench/restock-bench.sh --help)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

jar=target/restock-notifier.jar

# Rebuild when the jar is missing or older than anything it is built from.
needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ pom.xml -nt "$jar" ]] && return 0
  [[ -n "$(find src db -newer "$jar" -print -quit 2>/dev/null)" ]]
}

if needs_build; then
  echo "building $jar ..." >&2
  # Remove the old jar first: Maven rewrites target/restock-notifier.jar in place, which would
  # corrupt the jar under a service already running from it (e.g. one on port 8080). Unlinked,
  # the running JVM keeps its open copy and Maven writes a new file.
  rm -f "$jar"
  ./mvnw -q -B package -DskipTests
fi

# Options that run a Debian tool: install it when missing and we are root.
#   needs_tool OPTION TOOL: --api-load drives its rush with wrk; --wire records with tcpdump.
needs_tool() {
  local option=$1 tool=$2
  shift 2
  [[ " $* " == *" $option "* ]] && ! command -v "$tool" >/dev/null || return 0
  if [[ $(id -u) -eq 0 ]]; then
    echo "installing $tool for $option ..." >&2
    apt-get install -y "$tool" >&2
  else
    echo "error: $option needs $tool (sudo apt-get install -y $tool), and this is not root" >&2
    exit 3
  fi
}
needs_tool --api-load wrk "$@"
needs_tool --wire tcpdump "$@"

mkdir -p bench/out

# Compile the benchmark afresh each run (a second or two): a class left behind by a renamed or
# removed source file must not be run.
classes=bench/out/classes
rm -rf "$classes"
mapfile -t sources < <(find bench/src -name '*.java')
javac --release 17 -encoding UTF-8 -d "$classes" "${sources[@]}"

# The benchmark shares the machine with the service it measures: C1-only JIT and the serial GC
# keep its own CPU use (receiver, polling) small, so it takes less from the service. A 2 GB young
# generation (and a collection right before the trigger) keeps the receiver from pausing during
# the rounds: a pause would bunch arrivals and show up as a burst that the service never sent.
exec java -XX:ThreadPriorityPolicy=1 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms3g -Xmn2g -Xlog:gc:file=bench/out/gc-bench.log \
  -cp "$classes" io.restock.bench.RestockBench "$@"
