#!/usr/bin/env python3
"""compare-oracle.py: does `tracefuzz check` agree with the Go oracle?

For each trace file (wire format):
  validate  the events `tracefuzz check --only validate` flags, and its
            sentences, equal the `\tinvalid` lines of
            `gotrace-oracle dump -validate` (event index = N-th event line)
  classes   the per-generation goroutine classes equal
            `gotrace-oracle stats --json`

usage: compare-oracle.py [--check CMD] [--oracle PATH] [-v] FILE|DIR...
  (a directory stands for every *.trace file below it)
  --check CMD    the checker command, split on spaces (default: "tracefuzz check")
  --oracle PATH  gotrace-oracle (default: on PATH)
  -v             print a line for every file, not only for differences

Exit codes: 0 all agree, 1 some file differs, 2 usage error or a tool failed.
"""
import json
import os
import subprocess
import sys

CLASSES = ["blocked", "syscall", "unblocked_never_ran", "ran_without_blocking", "ran", "other"]


def run(cmd):
    """stdout of cmd; exit 2 is fine when it printed (a trace the reader stops on)."""
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode not in (0, 1) and not (p.returncode == 2 and p.stdout):
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode(errors='replace')[:200]}")
    return p.stdout


def oracle_invalid(oracle, path):
    """Event index -> invalid messages, from the oracle's validating dump."""
    out = subprocess.run([oracle, "dump", "-validate", path], capture_output=True).stdout
    idx, inv = -1, {}
    for line in out.decode("latin1").split("\n"):
        if line.startswith("\tinvalid "):
            inv.setdefault(idx, []).append(line[len("\tinvalid "):])
        elif not line or line[0] == "\t" or line.startswith("stack "):
            continue
        elif line == "ok" or line.startswith(("error:", "panic:", "declined:")):
            break
        else:
            idx += 1
    return inv


def oracle_classes(oracle, path):
    f = json.loads(run([oracle, "stats", "--json", path]))["files"][0]
    return [(g["n"], [g["counts"][k] for k in CLASSES],
             [g["counts"]["blocked_with_stack"], g["counts"]["syscall_with_stack"]])
            for g in f["generations"]]


def checker(check, path):
    f = json.loads(run(check + ["--json", "--max", "1000000", path]))["files"][0]
    inv = {}
    for v in f["violations"]:
        if v["invariant"].startswith("validate."):
            inv.setdefault(v["event"], []).append(v["sentence"])
    classes = [(g["sync"], [g["classes"][k]["count"] for k in CLASSES],
                [g["classes"]["blocked"]["with_stack"], g["classes"]["syscall"]["with_stack"]])
               for g in f.get("generations", [])]
    return inv, classes


def main(argv):
    check, oracle, verbose, files = ["tracefuzz", "check"], "gotrace-oracle", False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--check" and i + 1 < len(argv):
            check, i = argv[i + 1].split(), i + 1
        elif a == "--oracle" and i + 1 < len(argv):
            oracle, i = argv[i + 1], i + 1
        elif a == "-v":
            verbose = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            print(f"compare-oracle: unknown option {a}", file=sys.stderr)
            return 2
        elif os.path.isdir(a):
            for root, dirs, names in sorted(os.walk(a)):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".trace"))
        else:
            files.append(a)
        i += 1
    if not files:
        print("compare-oracle: no files (see --help)", file=sys.stderr)
        return 2
    bad = flagged = gens = 0
    for path in files:
        try:
            o_inv, o_cls = oracle_invalid(oracle, path), oracle_classes(oracle, path)
            m_inv, m_cls = checker(check, path)
        except (RuntimeError, json.JSONDecodeError, OSError) as e:
            print(f"ERROR {path}: {e}")
            return 2
        flagged += len(o_inv)
        gens += len(o_cls)
        same_v, same_c = o_inv == m_inv, o_cls == m_cls
        if verbose or not (same_v and same_c):
            print(f"{'same' if same_v and same_c else 'DIFF'} {path}: oracle flags {len(o_inv)} events, "
                  f"check {len(m_inv)}; {len(o_cls)} generations{'' if same_c else ' (classes differ)'}")
        if not same_v:
            for k in sorted(set(o_inv) | set(m_inv)):
                if o_inv.get(k) != m_inv.get(k):
                    print(f"  event {k}: oracle {o_inv.get(k)}\n  {' ' * len(str(k))}        check  {m_inv.get(k)}")
        if not same_c:
            for a, b in zip(o_cls, m_cls):
                if a != b:
                    print(f"  generation {a[0]}: oracle {a[1:]} check {b[1:]}")
        bad += not (same_v and same_c)
    print(f"{len(files)} files, {flagged} flagged events, {gens} generations: {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
