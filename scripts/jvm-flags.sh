#!/usr/bin/env bash
# Prints the JVM flags Spoor's server runs with on the JDK at $1 (default: $JAVA_HOME). The one list the launcher
# (./spoor), the demo and the bench scripts use; the root pom's spoor.jvm.flags (tests) mirrors it.
#   --enable-native-access=ALL-UNNAMED     Lucene (madvise) and Netty call native code: allowed, without a warning
#   --sun-misc-unsafe-memory-access=allow  JDK 24+: Netty, protobuf and Armeria's shaded JCTools use sun.misc.Unsafe;
#                                          without it JDK 24/25 print a warning on the console at the first use
# Not --add-modules jdk.incubator.vector: Spoor uses Lucene's postings, not its vector search, and the module costs
# a "Using incubator modules" warning that no flag silences (Spoor silences Lucene's notice that it is missing).
set -u
home=${1:-${JAVA_HOME:-}}
flags="--enable-native-access=ALL-UNNAMED"
major=""
if [ -n "$home" ] && [ -f "$home/release" ]; then
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
fi
if [ -z "$major" ] && [ -n "$home" ] && [ -x "$home/bin/java" ]; then
  major=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
fi
if [ -n "$major" ] && [ "$major" -ge 24 ]; then
  flags="$flags --sun-misc-unsafe-memory-access=allow"
fi
echo "$flags"
