#!/usr/bin/env bash
# Adds every symbol that the build reports as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt and removes
# the ones it reports as gone (RS0017). Review the diff: the API files are the record of what the packages promise.
# Usage: eng/update-public-api.sh [project-or-solution] [extra dotnet build args...]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-Numerics.sln}"; shift || true
for round in 1 2 3; do
  log=$(dotnet build "$target" -nologo -clp:NoSummary "$@" 2>&1 || true)
  adds=$(printf '%s\n' "$log" | grep -oE "error RS0016: Symbol '.*' is not part of the declared public API.*\[[^]]*\.csproj\]" || true)
  dels=$(printf '%s\n' "$log" | grep -oE "error RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found.*\[[^]]*\.csproj\]" || true)
  [ -z "$adds$dels" ] && break
  tmp=$(mktemp -d)
  printf '%s\n' "$adds" > "$tmp/adds"; printf '%s\n' "$dels" > "$tmp/dels"
  python3 - "$tmp/adds" "$tmp/dels" <<'PY'
import re, sys, os, collections
# The symbol lists are read from files: passed as arguments they overflow the argument list on large additions.
adds, dels = open(sys.argv[1]).read(), open(sys.argv[2]).read()
pat = re.compile(r"Symbol '(.*)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[([^\]]*\.csproj)\]")
plus = collections.defaultdict(set); minus = collections.defaultdict(set)
for text, target in ((adds, plus), (dels, minus)):
    for line in text.splitlines():
        m = pat.search(line)
        if m: target[os.path.join(os.path.dirname(m.group(2)), 'PublicAPI.Unshipped.txt')].add(m.group(1))
for path in set(plus) | set(minus):
    lines = open(path).read().splitlines() if os.path.exists(path) else ['#nullable enable']
    body = [l for l in lines[1:] if l.strip() and l not in minus[path]]
    body = sorted(set(body) | plus[path], key=lambda s: s.lower())
    open(path, 'w').write('\n'.join([lines[0] if lines else '#nullable enable'] + body) + '\n')
    print(f"{path}: +{len(plus[path])} -{len(minus[path])}")
PY
  rm -rf "$tmp"
done
printf '%s\n' "$log" | grep -E " error | warning " | sort -u | head -50 || true
