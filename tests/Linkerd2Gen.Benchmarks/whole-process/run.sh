#!/usr/bin/env bash
# Whole-process benchmark (not a test; nothing asserts on time): linkerd2gen against a cdk8s 2.x program writing the same
# objects, start-up included. Generates meshes of 100, 1,000 and 10,000 services (a route each, every fourth exported,
# a target cluster), runs the two alternately (median of RUNS), and prints wall time, peak memory and the ratio.
#   bash tests/Linkerd2Gen.Benchmarks/whole-process/run.sh [SERVICES...]     (RUNS=5 by default)
# linkerd2gen is the NativeAOT binary, published here first (needs clang), or LINKERD2GEN=path (e.g. the JIT build's
# src/Linkerd2Gen.Cli/bin/Release/net10.0/linkerd2gen). Both tools write below WORKDIR (default: the system's temp
# folder, a disk); WORKDIR=/dev/shm measures them on tmpfs, without the file system's cost of creating files.
set -euo pipefail
cd "$(dirname "$0")/../../.."
sizes=("${@:-100 1000 10000}"); read -r -a sizes <<< "${sizes[*]}"
runs=${RUNS:-5}
work=$(mktemp -d "${WORKDIR:-${TMPDIR:-/tmp}}/l2g-bench.XXXXXX"); trap 'rm -rf "$work"' EXIT

if [ -z "${LINKERD2GEN:-}" ]; then
  dotnet publish src/Linkerd2Gen.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v q -nologo >/dev/null
  LINKERD2GEN="$work/aot/linkerd2gen"
fi
echo "linkerd2gen: $LINKERD2GEN; outputs below $work"
peer=tests/Linkerd2Gen.Benchmarks/whole-process
[ -d "$peer/node_modules/cdk8s" ] || (cd "$peer" && npm install --silent --no-save --no-package-lock cdk8s@2.70.106 constructs@10 >/dev/null)

mesh() { # the benchmark's mesh of N services
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
out = ["apiVersion: linkerd2gen.io/v1alpha1", "kind: Mesh", "metadata:", "  name: bench", "namespaces:"]
for ns in range(max(1, n // 100)):
    out += [f"  - name: ns{ns}", "    inject: enabled", "    services:"]
    for s in range(min(100, n)):
        out += [f"      - name: svc{s}", f"        image: ghcr.io/example/svc:{s}",
                "        ports: [{name: http, containerPort: 8080, servicePort: 80}]",
                f"        routes: [{{prefix: /ns{ns}/svc{s}/}}]"]
        if s % 4 == 0: out.append("        export: true")
out += ["multicluster:", "  role: target"]
print("\n".join(out))
PY
}

measure() { # prints "seconds kib" of one run of the command: its wall time, and its peak resident set from wait4's
  # rusage. No wrapper runs in between (GNU time's own start-up added 5-15 ms to every figure, to both tools alike).
  python3 -c '
import os, sys, time
err = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, err, 2)])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(open(sys.argv[1]).read())
print(f"{elapsed:.4f} {usage.ru_maxrss}")
' "$work/err" "$@" || exit 1
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

version=$(for _ in $(seq 11); do measure "$LINKERD2GEN" --version; done | awk '{print $1}' | median)
awk -v v="$version" 'BEGIN { printf "linkerd2gen --version: %.1f ms (median of 11)\n\n", v * 1000 }'
printf '%9s %14s %10s %7s %14s %10s %7s %7s\n' services "linkerd2gen s" "peak MiB" files "cdk8s s" "peak MiB" files ratio
for n in "${sizes[@]}"; do
  mesh "$n" > "$work/mesh.yaml"
  : > "$work/ours"; : > "$work/theirs"
  for run in $(seq "$runs"); do
    # The previous run's output is moved aside, not deleted: on an ext4 without a journal (as some VM disks are), each
    # new file's inode search skips every inode deleted in the last seconds to minutes (the kernel's recently_deleted),
    # so deleting a thousand files before a run made the run's creates slower than the run before's. It is deleted at exit.
    mkdir -p "$work/old"
    [ -e "$work/out" ] && mv "$work/out" "$work/old/out-$n-$run"
    [ -e "$work/dist" ] && mv "$work/dist" "$work/old/dist-$n-$run"
    measure "$LINKERD2GEN" render "$work/mesh.yaml" -o "$work/out" >> "$work/ours"
    measure node "$peer/cdk8s-mesh.js" "$n" "$work/dist" >> "$work/theirs"
  done
  ours=$(awk '{print $1}' "$work/ours" | median); ours_mem=$(awk '{print $2}' "$work/ours" | sort -g | tail -1)
  theirs=$(awk '{print $1}' "$work/theirs" | median); theirs_mem=$(awk '{print $2}' "$work/theirs" | sort -g | tail -1)
  ours_files=$(find "$work/out" -type f | wc -l); theirs_files=$(find "$work/dist" -type f | wc -l)
  awk -v n="$n" -v a="$ours" -v am="$ours_mem" -v af="$ours_files" -v b="$theirs" -v bm="$theirs_mem" -v bf="$theirs_files" \
    'BEGIN { printf "%9d %14.3f %10.0f %7d %14.3f %10.0f %7d %6.2fx\n", n, a, am / 1024, af, b, bm / 1024, bf, (b > 0 ? a / b : 0) }'
done
echo
echo "ratio: linkerd2gen time / cdk8s time (lower is better); peak MiB: the largest resident set of the runs;"
echo "files: what each writes (linkerd2gen: a file per workload, reviewable one by one; cdk8s: a file per chart)"
