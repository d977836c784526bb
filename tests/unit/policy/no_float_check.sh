#!/bin/sh
# Fails when any source under the given folder (default: policy/) uses floating point: the types
# float / double / long double, floating literals, <cmath> or math functions that return floats.
# Comments are stripped first so prose may mention the words.
dir="${1:-$(dirname "$0")/../../../policy}"
status=0
for f in $(find "$dir" -name '*.h' -o -name '*.cc' | sort); do
  hits=$(sed -e 's://.*$::' "$f" | grep -nE '\b(float|double|long double)\b|<cmath>|<math\.h>|\bstd::(pow|sqrt|exp|log|floor|ceil|round|lround|llround|fmod|trunc)\b|\b(powf?|sqrtf?|expf?|logf?|floorf?|ceilf?|roundf?)\(|[0-9]\.[0-9]+[fFlL]?\b|\bstatic_cast<\s*(float|double)' )
  if [ -n "$hits" ]; then
    echo "floating point in $f:"
    echo "$hits"
    status=1
  fi
done
[ $status -eq 0 ] && echo "no floating point in $dir"
exit $status
