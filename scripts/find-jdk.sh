#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (the newest found), or explains on stderr and exits 1.
# Looks at $JAVA_HOME, the java on PATH, then every JDK under /usr/lib/jvm and /opt.
set -u

java_major() { # $1 = JDK home; prints its feature version or nothing
  local home=$1 v=""
  [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  fi
  echo "$v"
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi
for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk*; do
  [ -d "$d" ] && candidates+=("$d")
done

best="" best_v=0
for home in "${candidates[@]}"; do
  v=$(java_major "$home")
  [ -n "$v" ] || continue
  # an explicitly chosen JAVA_HOME that is new enough wins
  if [ "$home" = "${JAVA_HOME:-}" ] && [ "$v" -ge 21 ]; then best=$home; best_v=$v; break; fi
  if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
done

if [ -z "$best" ]; then
  {
    echo "spoor: no JDK 21 or newer was found."
    echo "  Looked at \$JAVA_HOME, the javac on PATH, /usr/lib/jvm/* and /opt."
    echo "  Install one (for example Eclipse Temurin 21 or 25, or your distribution's openjdk-21-jdk)"
    echo "  and run again, or point JAVA_HOME at it."
  } >&2
  exit 1
fi
echo "$best"
